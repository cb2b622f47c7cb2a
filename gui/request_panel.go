package gui

import (
	"context"
	"net/url"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/loopscope/loopscope/netinfo/send"
	"github.com/loopscope/loopscope/netinfo/serve"
)

// requestMethods are the methods the Method select offers.
var requestMethods = []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}

// requestPanel is the "Send a request" panel of the Local Servers tab,
// a small Postman: method, URL and the request's headers and body on one
// side, and the answer on the other — its status, body, headers, the raw
// bytes on the wire and where the time went.
type requestPanel struct {
	sh        *shell
	method    *safeSelect
	url       *requestEntry
	sendBtn   *widget.Button
	recentBtn *widget.Button
	curlBtn   *widget.Button
	form      *requestForm
	resp      *responseView
	split     *container.Split
	obj       fyne.CanvasObject

	// Owned by the UI goroutine.
	last    string             // the URL useURL or offerURL put in the box
	history send.History       // newest first
	cancel  context.CancelFunc // stops the request in flight; nil when none
	gen     int                // counts requests: the answer to a canceled one is dropped
	done    func()             // runs once an answer is shown: the tests wait on it
}

func newRequestPanel(sh *shell) *requestPanel {
	p := &requestPanel{sh: sh, history: loadHistory(sh.a.Preferences())}
	p.method = newSelect(requestMethods, func(string) { p.resetCopied() })
	p.method.SetSelected(requestMethods[0])
	p.url = newRequestEntry(sh.shortcut, p.submit, false)
	p.url.SetPlaceHolder("http://127.0.0.1:8000/   Any local URL; Enter sends")
	p.url.OnSubmitted = func(string) { p.submit() }
	p.url.OnChanged = func(string) { p.resetCopied() }
	p.sendBtn = widget.NewButtonWithIcon("Send", theme.MailSendIcon(), p.sendOrCancel)
	p.sendBtn.Importance = widget.HighImportance
	p.recentBtn = widget.NewButtonWithIcon("Recent", theme.HistoryIcon(), p.showRecent)
	p.curlBtn = widget.NewButtonWithIcon(curlText, theme.ContentCopyIcon(), p.copyCurl)
	p.form = newRequestForm(sh.shortcut, p.submit)
	p.form.onChange = p.formChanged
	p.resp = newResponseView(sh.copy)
	p.build()
	p.formChanged()
	return p
}

const curlText = "Copy as curl"

func (p *requestPanel) build() {
	top := container.NewBorder(nil, nil, p.method, container.NewHBox(p.sendBtn, p.recentBtn, p.curlBtn), p.url)
	// Side by side rather than stacked: the panel lives in the lower half
	// of the tab, so it is wide and short, and stacked the request and
	// the answer would each get a few lines. The answer gets more room:
	// it is what the panel is for. Both sides scroll as a whole only when
	// the window is too small for them, so the panel never makes the
	// window grow.
	p.split = container.NewHSplit(p.form.object(), container.NewScroll(p.resp.object()))
	p.split.Offset = 0.43
	p.obj = container.NewBorder(top, nil, nil, nil, p.split)
}

func (p *requestPanel) object() fyne.CanvasObject { return p.obj }

// useURL puts u in the URL box: the user asked for it.
func (p *requestPanel) useURL(u string) {
	p.url.SetText(u)
	p.last = u
}

// offerURL puts s's URL in the box unless the user typed one of their own.
func (p *requestPanel) offerURL(s *serve.Server) {
	if p.url.Text == "" || p.url.Text == p.last {
		p.useURL(s.URL())
	}
}

// formChanged lets Send and Copy as curl work only on a request that can
// be built; the form shows why not.
func (p *requestPanel) formChanged() {
	p.resetCopied()
	if p.cancel != nil {
		return // Send is Cancel while a request runs
	}
	enable(p.sendBtn, p.form.problem == "")
	enable(p.curlBtn, p.form.problem == "")
}

// submit is Enter in the URL box or Ctrl+Enter in any box: it sends, but
// never cancels by accident.
func (p *requestPanel) submit() {
	if p.cancel == nil && p.form.problem == "" {
		p.start()
	}
}

func (p *requestPanel) sendOrCancel() {
	if p.cancel != nil {
		p.stop()
		return
	}
	p.start()
}

// start sends the form's request on a goroutine of its own; the answer
// comes back in one onUI call, made ready to show.
func (p *requestPanel) start() {
	req, err := p.form.request(p.method.Selected, p.url.Text)
	if err != nil {
		return // Send is off and the form says why
	}
	ctx, cancel := context.WithCancel(context.Background())
	p.gen++
	gen := p.gen
	p.cancel = cancel
	p.setRunning(true)
	p.resp.sending(hostOf(req.URL))
	go func() {
		defer cancel()
		res, err := send.Do(ctx, req)
		shown := prepareResponse(req, res, err)
		onUI(func() { p.finish(gen, req, shown) })
	}()
}

// finish shows the answer to request gen, and remembers the request.
func (p *requestPanel) finish(gen int, req send.Request, shown *shownResponse) {
	if gen != p.gen {
		return // canceled: the panel moved on
	}
	p.cancel = nil
	p.setRunning(false)
	p.resp.set(shown)
	p.remember(req, shown.historyStatus())
	if p.done != nil {
		p.done()
	}
}

// stop cancels the request in flight; its answer, if one still comes, is
// dropped.
func (p *requestPanel) stop() {
	p.gen++ // first: the goroutine reads it after it sees the cancel
	p.cancel()
	p.cancel = nil
	p.setRunning(false)
	p.resp.canceled()
}

// setRunning turns Send into Cancel while a request runs, and back.
func (p *requestPanel) setRunning(on bool) {
	if on {
		p.sendBtn.SetText("Cancel")
		p.sendBtn.SetIcon(theme.CancelIcon())
		p.sendBtn.Importance = widget.MediumImportance
		p.sendBtn.Enable()
		p.sendBtn.Refresh()
		return
	}
	p.sendBtn.SetText("Send")
	p.sendBtn.SetIcon(theme.MailSendIcon())
	p.sendBtn.Importance = widget.HighImportance
	p.sendBtn.Refresh()
	p.formChanged()
}

// copyCurl puts the request on the clipboard as a curl command; the
// button says so until the request changes.
func (p *requestPanel) copyCurl() {
	req, err := p.form.request(p.method.Selected, p.url.Text)
	if err != nil {
		return
	}
	p.sh.copy(send.Curl(req))
	p.curlBtn.SetText("Copied")
	p.curlBtn.SetIcon(theme.ConfirmIcon())
}

func (p *requestPanel) resetCopied() {
	if p.curlBtn != nil && p.curlBtn.Text != curlText {
		p.curlBtn.SetText(curlText)
		p.curlBtn.SetIcon(theme.ContentCopyIcon())
	}
}

// hostOf is the host:port a URL names, for "Waiting for …".
func hostOf(raw string) string {
	if u, err := url.Parse(strings.TrimSpace(raw)); err == nil && u.Host != "" {
		return u.Host
	}
	return raw
}
