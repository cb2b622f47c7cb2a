package gui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/loopscope/loopscope/netinfo/send"
)

func TestHistoryIsKeptAcrossPanels(t *testing.T) {
	srv := startEcho(t)
	a := test.NewTempApp(t)
	p := newTestPanel(t, a)
	p.useURL(srv.URL() + "first")
	sendAndWait(t, p)
	fillJSON(p, srv.URL()+"second?x=1", `{"a": 1}`)
	p.form.headers.SetText("X-Test:  two  spaces")
	sendAndWait(t, p)

	q := newTestPanel(t, a) // as after a restart: the same preferences
	items := q.recentItems()
	if len(q.history.Entries) != 2 || len(items) != 2 {
		t.Fatalf("new panel remembers %d requests (%d items), want 2", len(q.history.Entries), len(items))
	}
	for i, want := range []string{"POST " + srv.URL() + "second?x=1 · 200 OK", "GET " + srv.URL() + "first · 200 OK"} {
		if items[i].Label != want {
			t.Errorf("item %d = %q, want %q (newest first)", i, items[i].Label, want)
		}
	}

	items[0].Action()
	if q.method.Selected != "POST" || q.url.Text != srv.URL()+"second?x=1" {
		t.Errorf("refilled %s %s", q.method.Selected, q.url.Text)
	}
	// The Content-Type the JSON kind adds is not shown as typed by hand.
	if q.form.headers.Text != "X-Test: two  spaces" || q.form.kind.Selected != bodyJSON || q.form.body.Text != `{"a": 1}` {
		t.Errorf("refilled headers %q, kind %q, body %q", q.form.headers.Text, q.form.kind.Selected, q.form.body.Text)
	}
	if q.sendBtn.Disabled() {
		t.Errorf("Send is off after a refill: %s", q.form.reason.Text)
	}
	q.url.SetText("http://127.0.0.1:1/")
	items[1].Action()
	if q.method.Selected != "GET" || q.form.kind.Selected != bodyNone || q.form.headers.Text != "" {
		t.Errorf("second refill: %s, kind %q, headers %q", q.method.Selected, q.form.kind.Selected, q.form.headers.Text)
	}
}

func TestCorruptHistoryStartsEmpty(t *testing.T) {
	for _, data := range []string{"{not json", `{"version": 99, "entries": []}`, `{"version": 1, "entries": "x"}`, "\x00\xff"} {
		a := test.NewTempApp(t)
		a.Preferences().SetString(historyKey, data)
		p := newTestPanel(t, a)
		if len(p.history.Entries) != 0 {
			t.Errorf("%q: %d entries", data, len(p.history.Entries))
		}
		if items := p.recentItems(); len(items) != 1 || !items[0].Disabled {
			t.Errorf("%q: Recent offers %d items", data, len(items))
		}
	}
}

func TestRefillEscapesStoredText(t *testing.T) {
	p := newTestPanel(t, nil)
	e := send.Entry{Request: send.Request{Method: "weird", URL: "http://127.0.0.1/\x1b[2J",
		Headers: []send.Header{{Name: "X-A", Value: "1\x1b[31m\nInjected: yes"}},
		Body:    []byte("line\x1b[0m\n\tindented")}}
	p.refill(e)
	for name, got := range map[string]string{"url": p.url.Text, "headers": p.form.headers.Text, "body": p.form.body.Text} {
		if strings.ContainsRune(got, 0x1b) {
			t.Errorf("%s holds a raw ESC: %q", name, got)
		}
	}
	if p.form.headers.Text != `X-A: 1\x1b[31m\nInjected: yes` {
		t.Errorf("headers = %q: one header, escaped", p.form.headers.Text)
	}
	if p.form.body.Text != "line\\x1b[0m\n\tindented" || p.form.kind.Selected != bodyRaw {
		t.Errorf("body = %q (%s): lines and tabs kept, escapes shown", p.form.body.Text, p.form.kind.Selected)
	}
	if p.method.Selected != "GET" {
		t.Errorf("unknown method refilled as %q", p.method.Selected)
	}
	label := historyLabel(e)
	if strings.ContainsAny(label, "\x1b\n") {
		t.Errorf("menu label %q holds control characters", label)
	}
}

func TestBodyKindOf(t *testing.T) {
	form := send.Header{Name: "Content-Type", Value: "application/x-www-form-urlencoded"}
	tests := []struct {
		name    string
		req     send.Request
		kind    string
		headers int
		body    string
	}{
		{"no body", send.Request{Headers: []send.Header{{Name: "A", Value: "1"}}}, bodyNone, 1, ""},
		{"form", send.Request{Headers: []send.Header{form}, Body: []byte("a=1&b=x+y%3D")}, bodyForm, 0, "a=1\nb=x y="},
		{"json with charset keeps header", send.Request{Headers: []send.Header{{Name: "content-type", Value: "application/json; charset=utf-8"}}, Body: []byte("{}")}, bodyJSON, 1, "{}"},
		{"text", send.Request{Headers: []send.Header{{Name: "Content-Type", Value: "text/plain; charset=utf-8"}}, Body: []byte("hi")}, bodyRaw, 0, "hi"},
		{"unknown type stays", send.Request{Headers: []send.Header{{Name: "Content-Type", Value: "application/xml"}}, Body: []byte("<a/>")}, bodyRaw, 1, "<a/>"},
		{"bad form is raw", send.Request{Headers: []send.Header{form}, Body: []byte("a=%zz")}, bodyRaw, 1, "a=%zz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kind, hs, body := bodyKindOf(tt.req)
			if kind != tt.kind || len(hs) != tt.headers || body != tt.body {
				t.Errorf("got %q, %d headers, %q; want %q, %d, %q", kind, len(hs), body, tt.kind, tt.headers, tt.body)
			}
		})
	}
}

// A credential sent once is not in the preferences file; after a restart
// the refilled form asks for it again, by name.
func TestHistoryAsksForCredentialsAgain(t *testing.T) {
	srv := startEcho(t)
	a := test.NewTempApp(t)
	p := newTestPanel(t, a)
	p.useURL(srv.URL() + "private")
	p.form.headers.SetText("Authorization: Bearer SECRET123\nAccept: text/plain")
	sendAndWait(t, p)
	if stored := a.Preferences().String(historyKey); strings.Contains(stored, "SECRET123") || !strings.Contains(stored, "Accept") {
		t.Fatalf("the preferences hold %s", stored)
	}

	q := newTestPanel(t, a)
	q.recentItems()[0].Action()
	if q.form.headers.Text != "Authorization: \nAccept: text/plain" || !q.form.headNote.Visible() ||
		!strings.Contains(q.form.headNote.Text, "type the value of Authorization again") {
		t.Errorf("refilled headers %q, note %q (shown %v)", q.form.headers.Text, q.form.headNote.Text, q.form.headNote.Visible())
	}
	q.form.headers.SetText("Authorization: Bearer typed\nAccept: text/plain")
	if q.form.headNote.Visible() {
		t.Error("the note stays after the user typed")
	}
}
