package gui

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/loopscope/loopscope/internal/safetext"
	"github.com/loopscope/loopscope/netinfo/send"
	"github.com/loopscope/loopscope/netinfo/serve"
)

// newTestPanel is a panel in a test window on a, a fresh test app when nil.
func newTestPanel(t *testing.T, a fyne.App) *requestPanel {
	t.Helper()
	if a == nil {
		a = test.NewTempApp(t)
	}
	w := test.NewTempWindow(t, nil)
	sh := &shell{a: a, w: w, prefs: prefs{a.Preferences()}, shortcut: func(fyne.Shortcut) bool { return false }}
	p := newRequestPanel(sh)
	w.SetContent(p.object())
	w.Resize(fyne.NewSize(1180, 420))
	return p
}

// startEcho starts an HTTP echo server for the test.
func startEcho(t *testing.T) *serve.Server {
	t.Helper()
	s, err := serve.New(serve.Config{Kind: serve.Echo})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// sendAndWait presses Send and waits until the answer is shown.
func sendAndWait(t *testing.T, p *requestPanel) {
	t.Helper()
	answer(t, p, func() { test.Tap(p.sendBtn) })
}

// answer does act and waits until the answer it asked for is shown. The
// answer arrives through the panel's done hook, so the test reads the
// widgets only after the sending goroutine has finished with them (the
// test driver runs fyne.Do on the calling goroutine); the bound is a
// guard against a hang, not a speed test.
func answer(t *testing.T, p *requestPanel, act func()) {
	t.Helper()
	done := make(chan struct{}, 1)
	p.done = func() { done <- struct{}{} }
	act()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("no answer shown within 30 s")
	}
	p.done = nil
}

// fillJSON sets the form to POST a JSON body to u, typing the body as a
// user does.
func fillJSON(p *requestPanel, u, body string) {
	p.useURL(u)
	p.method.SetSelected("POST")
	p.form.kind.SetSelected(bodyJSON)
	p.form.body.SetText("")
	test.Type(p.form.body, body)
}

func TestRequestPanelPostsJSONAndShowsTheAnswer(t *testing.T) {
	srv := startEcho(t)
	p := newTestPanel(t, nil)
	fillJSON(p, srv.URL()+"api/users", `{"name": "Ada"}`)
	sendAndWait(t, p)

	if p.resp.badge.text != "200 OK" || p.resp.badge.tone != widget.SuccessImportance {
		t.Errorf("status badge = %q (tone %v), want 200 OK in green", p.resp.badge.text, p.resp.badge.tone)
	}
	body := p.resp.body.text.Text()
	for _, want := range []string{"\n  \"method\": \"POST\",", `"body": "{\"name\": \"Ada\"}"`, `"Content-Type": [`, `"application/json"`} {
		if !strings.Contains(body, want) {
			t.Errorf("Body tab lacks %q:\n%s", want, body)
		}
	}
	if got := p.resp.summary.Text; !strings.HasPrefix(got, "JSON · ") {
		t.Errorf("summary = %q, want the body's kind first", got)
	}

	// The same request sent again writes the same bytes: Go orders the
	// headers, and nothing in them changes between two sends.
	req, err := p.form.request("POST", srv.URL()+"api/users")
	if err != nil {
		t.Fatal(err)
	}
	res, err := send.Do(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if want := escapeWire(res.RawRequest); !strings.Contains(p.resp.raw.Text(), "\n"+want+"\n") {
		t.Errorf("Raw tab lacks the escaped request %q:\n%s", want, p.resp.raw.Text())
	}
	if !strings.Contains(p.resp.raw.Text(), "HTTP/1.1 200 OK\nCache-Control: no-store\n") {
		t.Errorf("Raw tab lacks the response:\n%s", p.resp.raw.Text())
	}

	steps := map[string]time.Duration{}
	for i, s := range p.resp.shown.timing {
		steps[s.name] = s.d
		if got := p.resp.timing.ms[i].Text; got != stepTime(s.d) {
			t.Errorf("Timing row %s shows %q, want %q", s.name, got, stepTime(s.d))
		}
	}
	for _, name := range []string{"Connect", "Wait", "Total"} {
		if steps[name] <= 0 {
			t.Errorf("Timing %s = %v, want > 0", name, steps[name])
		}
	}
	if len(p.resp.timing.ms) != 7 || p.resp.timing.ms[1].Text == "—" {
		t.Errorf("Timing tab rows = %d, Connect shows %q", len(p.resp.timing.ms), p.resp.timing.ms[1].Text)
	}
}

// escapeWire escapes raw HTTP as the Raw tab should: CRLF as a line
// break, each line through safetext.
func escapeWire(raw []byte) string {
	lines := strings.Split(string(raw), "\r\n")
	for i, l := range lines {
		lines[i] = safetext.Escape(l)
	}
	return strings.Join(lines, "\n")
}

func TestRequestPanelInvalidFormDisablesSend(t *testing.T) {
	p := newTestPanel(t, nil)
	p.useURL("http://127.0.0.1:1/")
	p.form.kind.SetSelected(bodyJSON)
	test.Type(p.form.body, `{"a": }`)
	_, jsonErr := send.JSONBody(`{"a": }`)
	if !p.sendBtn.Disabled() || !p.curlBtn.Disabled() {
		t.Fatal("Send and Copy as curl stay enabled with invalid JSON")
	}
	if !p.form.reason.Visible() || !strings.Contains(p.form.reason.Text, "Body, line 1, column 7: ") ||
		!strings.Contains(p.form.reason.Text, jsonErr.Error()) {
		t.Errorf("reason = %q (shown %v), want the body's line and column", p.form.reason.Text, p.form.reason.Visible())
	}
	if p.form.bodyTab.Icon == nil {
		t.Error("the Body tab is not marked")
	}

	p.form.body.SetText(`{"a": 1}`)
	if p.sendBtn.Disabled() || p.form.reason.Visible() || p.form.bodyTab.Icon != nil {
		t.Errorf("fixed JSON: Send disabled %v, reason %q shown %v", p.sendBtn.Disabled(), p.form.reason.Text, p.form.reason.Visible())
	}

	test.Type(p.form.headers, "Accept application/json")
	if !p.sendBtn.Disabled() || !strings.HasPrefix(p.form.reason.Text, "Headers, line 1: ") {
		t.Errorf("header without colon: Send disabled %v, reason %q", p.sendBtn.Disabled(), p.form.reason.Text)
	}
}

func TestCopyAsCurl(t *testing.T) {
	p := newTestPanel(t, nil)
	fillJSON(p, "http://127.0.0.1:8000/api", `{"a": 1}`)
	p.form.headers.SetText("X-Test: yes")
	test.Tap(p.curlBtn)
	want := send.Curl(send.Request{Method: "POST", URL: "http://127.0.0.1:8000/api",
		Headers: []send.Header{{Name: "X-Test", Value: "yes"}, {Name: "Content-Type", Value: "application/json"}},
		Body:    []byte(`{"a": 1}`)})
	if got := p.sh.a.Clipboard().Content(); got != want {
		t.Errorf("clipboard = %q, want %q", got, want)
	}
	if p.curlBtn.Text != "Copied" {
		t.Errorf("button says %q after copying", p.curlBtn.Text)
	}
	test.Type(p.url, "x")
	if p.curlBtn.Text != curlText {
		t.Errorf("button still says %q after the URL changed", p.curlBtn.Text)
	}
}

func TestOfferURLKeepsTypedURL(t *testing.T) {
	a, b := startEcho(t), startEcho(t)
	p := newTestPanel(t, nil)
	p.offerURL(a)
	if p.url.Text != a.URL() {
		t.Fatalf("empty box: offerURL gave %q, want %q", p.url.Text, a.URL())
	}
	p.offerURL(b)
	if p.url.Text != b.URL() {
		t.Fatalf("offered URL not replaced by the next offer: %q", p.url.Text)
	}
	p.url.SetText("")
	test.Type(p.url, "http://localhost:9999/mine")
	p.offerURL(a)
	if p.url.Text != "http://localhost:9999/mine" {
		t.Errorf("offerURL clobbered the typed URL: %q", p.url.Text)
	}
	p.useURL(a.URL())
	if p.url.Text != a.URL() {
		t.Errorf("useURL did not put its URL: %q", p.url.Text)
	}
}

func TestRefusedConnectionShowsWhy(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nobody listens there now
	p := newTestPanel(t, nil)
	fillJSON(p, "http://"+addr+"/x", `{"a": 1}`)
	sendAndWait(t, p)
	want := "Nothing is listening on " + addr + " (connection refused): start a server on that port, or check the URL"
	if !p.resp.failBox.Visible() || p.resp.failure.Text != want {
		t.Errorf("failure = %q (shown %v), want %q", p.resp.failure.Text, p.resp.failBox.Visible(), want)
	}
	if p.resp.badge.text != "Failed" || p.resp.tabs.Visible() {
		t.Errorf("badge %q, tabs shown %v", p.resp.badge.text, p.resp.tabs.Visible())
	}
	if p.url.Text != "http://"+addr+"/x" || p.method.Selected != "POST" || p.form.body.Text != `{"a": 1}` {
		t.Errorf("the form changed: %s %s %q", p.method.Selected, p.url.Text, p.form.body.Text)
	}
	if e := p.history.Entries[0]; e.Status != "error" || e.Request.URL != "http://"+addr+"/x" {
		t.Errorf("history top = %+v, want the failed request with status error", e)
	}
}
