package gui

import (
	"mime"
	"net/url"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/loopscope/loopscope/internal/safetext"
	"github.com/loopscope/loopscope/netinfo/send"
)

// historyKey is where the last requests are kept between runs.
const historyKey = "send.history"

// loadHistory reads the remembered requests. Data that does not parse
// (an older version, a hand-edited file) is dropped: the next request
// sent writes a fresh list over it.
func loadHistory(prefs fyne.Preferences) send.History {
	h, err := send.LoadHistory([]byte(prefs.String(historyKey)))
	if err != nil {
		return send.History{}
	}
	return h
}

// remember adds a finished request to the history and saves it; status
// is "error" for a request that got no answer.
func (p *requestPanel) remember(req send.Request, status string) {
	p.history.Add(send.Entry{Request: req, When: time.Now(), Status: status})
	if data, err := p.history.Marshal(); err == nil {
		p.sh.a.Preferences().SetString(historyKey, string(data))
	}
}

// recentItems are the Recent menu's items, newest first.
func (p *requestPanel) recentItems() []*fyne.MenuItem {
	if len(p.history.Entries) == 0 {
		none := fyne.NewMenuItem("No requests yet: the last 20 you send show here", nil)
		none.Disabled = true
		return []*fyne.MenuItem{none}
	}
	items := make([]*fyne.MenuItem, 0, len(p.history.Entries))
	for _, e := range p.history.Entries {
		items = append(items, fyne.NewMenuItem(historyLabel(e), func() { p.refill(e) }))
	}
	return items
}

// historyLabel is "GET http://127.0.0.1:8000/api/users · 200 OK",
// escaped, each part capped so the status always shows.
func historyLabel(e send.Entry) string {
	status := e.Status
	if status == "" {
		status = "error"
	}
	return safetext.Line(e.Request.Method, 12) + " " + safetext.Line(e.Request.URL, 72) + " · " + safetext.Line(status, 28)
}

// showRecent pops the Recent menu under its button.
func (p *requestPanel) showRecent() {
	c := p.sh.w.Canvas()
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(p.recentBtn)
	pos.Y += p.recentBtn.Size().Height
	widget.ShowPopUpMenuAtPosition(fyne.NewMenu("", p.recentItems()...), c, pos)
}

// refill puts a remembered request back in the form. Its text came from
// the preferences file, so it is escaped like any outside text; the URL
// counts as the user's own, which offerURL leaves alone.
func (p *requestPanel) refill(e send.Entry) {
	r := e.Request
	method := strings.ToUpper(r.Method)
	if !slices.Contains(requestMethods, method) {
		method = requestMethods[0]
	}
	p.method.SetSelected(method)
	p.url.SetText(safetext.Line(r.URL, maxURL))
	p.last = ""
	p.form.fill(r, e.BodyDropped, e.SecretsDropped)
}

// maxURL bounds a URL put back from the history.
const maxURL = 8000

// fill shows r in the form: the body kind follows its Content-Type, and
// a Content-Type that the kind adds by itself is left out of Headers.
func (f *requestForm) fill(r send.Request, dropped bool, secrets []string) {
	kind, hs, body := bodyKindOf(r)
	lines := make([]string, len(hs))
	for i, h := range hs {
		lines[i] = escapeLine(h.Name+": "+h.Value, true)
	}
	f.headers.SetText(strings.Join(lines, "\n"))
	f.body.SetText(escapeLines(body, true))
	f.insecure.SetChecked(r.Insecure)
	note := noBodyText
	if dropped {
		note = "The body of this request was over 64 KB, too large to remember: type or paste it again."
	}
	setText(f.noBody, note)
	f.kind.SetSelected(kind)
	f.changed()
	if len(secrets) > 0 { // after SetText, whose change hides the note
		names := make([]string, len(secrets))
		for i, n := range secrets {
			names[i] = safe(n)
		}
		setText(f.headNote, "Loopscope does not save credentials to disk: type the value of "+strings.Join(names, ", ")+" again.")
		f.headNote.Show()
		f.tabs.Select(f.headTab)
	}
}

// bodyKindOf tells which body kind r was sent as, and returns its headers
// without the Content-Type that kind adds, and its body as the kind's box
// shows it.
func bodyKindOf(r send.Request) (kind string, hs []send.Header, body string) {
	if len(r.Body) == 0 {
		return bodyNone, r.Headers, ""
	}
	ct := ""
	for _, h := range r.Headers {
		if strings.EqualFold(h.Name, "Content-Type") {
			ct = h.Value
		}
	}
	kind, body = bodyRaw, string(r.Body)
	media, _, _ := mime.ParseMediaType(ct)
	switch {
	case media == "application/json" || strings.HasSuffix(media, "+json"):
		kind = bodyJSON
	case media == "application/x-www-form-urlencoded":
		if fields, ok := formLines(body); ok {
			kind, body = bodyForm, fields
		}
	}
	hs = slices.DeleteFunc(slices.Clone(r.Headers), func(h send.Header) bool {
		return strings.EqualFold(h.Name, "Content-Type") && h.Value == bodyType[kind]
	})
	return kind, hs, body
}

// formLines turns "a=1&b=2" back into the "a=1\nb=2" the box takes.
func formLines(body string) (string, bool) {
	var lines []string
	for pair := range strings.SplitSeq(body, "&") {
		k, v, _ := strings.Cut(pair, "=")
		name, err1 := url.QueryUnescape(k)
		value, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil || strings.Contains(name, "=") || strings.ContainsAny(name+value, "\r\n") {
			return "", false
		}
		lines = append(lines, name+"="+value)
	}
	return strings.Join(lines, "\n"), true
}
