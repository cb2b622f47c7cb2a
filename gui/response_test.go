package gui

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/loopscope/loopscope/netinfo/send"
)

// rawServer answers every connection with reply, byte for byte, so a test
// can send what net/http would not write.
func rawServer(t *testing.T, reply string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Read(make([]byte, 64<<10))
			c.Write([]byte(reply))
			c.Close()
		}
	}()
	return "http://" + ln.Addr().String() + "/"
}

// shownTexts is every text drawn under o that is visible: labels, entries
// and the rows a text view draws.
func shownTexts(o fyne.CanvasObject) []string {
	if o == nil || !o.Visible() {
		return nil
	}
	var out []string
	switch x := o.(type) {
	case *canvas.Text:
		return []string{x.Text}
	case *widget.Label:
		out = append(out, x.Text)
	case *fyne.Container:
		for _, c := range x.Objects {
			out = append(out, shownTexts(c)...)
		}
		return out
	}
	if w, ok := o.(fyne.Widget); ok {
		for _, c := range test.WidgetRenderer(w).Objects() {
			out = append(out, shownTexts(c)...)
		}
	}
	return out
}

// The Go client refuses control bytes in header values, so the escape
// sequence comes as the 8-bit CSI (U+009B, which a terminal takes like
// ESC [) with a right-to-left override; ESC itself is in the body.
func TestResponseShowsOutsideTextEscaped(t *testing.T) {
	body := "hello \x1b[31mred\x1b[0m\n"
	u := rawServer(t, fmt.Sprintf("HTTP/1.1 200 \u009b31mOK\r\nX-Evil: \u009b31mred\u202e\r\nContent-Type: text/plain\r\n"+
		"Content-Length: %d\r\nConnection: close\r\n\r\n%s", len(body), body))
	p := newTestPanel(t, nil)
	p.useURL(u)
	sendAndWait(t, p)

	wantIn := map[int]string{0: `hello \x1b[31mred\x1b[0m`, 1: `\u009b31mred\u202e`, 2: `X-Evil: \u009b31mred\u202e`}
	for i := range p.resp.tabs.Items {
		p.resp.tabs.SelectIndex(i)
		all := strings.Join(shownTexts(p.object()), "\n")
		if strings.ContainsAny(all, "\x1b\u009b\u202e") {
			t.Errorf("tab %s draws a raw control character: %q", p.resp.tabs.Items[i].Text, all)
		}
		if want, ok := wantIn[i]; ok && !strings.Contains(all, want) {
			t.Errorf("tab %s lacks %q:\n%s", p.resp.tabs.Items[i].Text, want, all)
		}
	}
	if p.resp.badge.text != `200 \u009b31mOK` {
		t.Errorf("status badge = %q", p.resp.badge.text)
	}
	if label := p.recentItems()[0].Label; strings.ContainsAny(label, "\u009b") {
		t.Errorf("Recent shows %q", label)
	}
}

// ESC in a header breaks the answer for Go's client: the failure quotes
// the line, escaped.
func TestFailureQuotesEscapeSequenceEscaped(t *testing.T) {
	u := rawServer(t, "HTTP/1.1 200 OK\r\nX-Evil: \x1b[31mred\r\nContent-Length: 0\r\n\r\n")
	p := newTestPanel(t, nil)
	p.useURL(u)
	sendAndWait(t, p)
	all := strings.Join(shownTexts(p.object()), "\n")
	if strings.ContainsRune(all, 0x1b) || !strings.Contains(p.resp.failure.Text, `X-Evil: \x1b[31mred`) {
		t.Errorf("failure = %q; drawn: %q", p.resp.failure.Text, all)
	}
}

func TestBigBodyIsCapped(t *testing.T) {
	line := strings.Repeat("abcdefghij", 10) + "\n"
	big := strings.Repeat(line, (2<<20)/len(line)+1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte(big))
	}))
	t.Cleanup(srv.Close)
	p := newTestPanel(t, nil)
	p.useURL(srv.URL)
	sendAndWait(t, p)
	shown := p.resp.body.text.Text()
	if len(shown) > maxShownText || !strings.HasPrefix(big, shown) {
		t.Errorf("Body tab holds %d bytes, want the start of the body and at most %d", len(shown), maxShownText)
	}
	want := "Showing the first 256.0 KB of 2.0 MB; Copy takes all of it."
	if !p.resp.body.note.Visible() || p.resp.body.note.Text != want {
		t.Errorf("note = %q (shown %v), want %q", p.resp.body.note.Text, p.resp.body.note.Visible(), want)
	}
	test.Tap(p.resp.copyBtn)
	if got := p.sh.a.Clipboard().Content(); got != big {
		t.Errorf("Copy put %d bytes on the clipboard, want all %d", len(got), len(big))
	}
}

func TestBodyShownByType(t *testing.T) {
	var pic bytes.Buffer
	png.Encode(&pic, image.NewRGBA(image.Rect(0, 0, 3, 2)))
	bodies := map[string]struct{ ctype, body string }{
		"/img": {"image/png", pic.String()},
		"/bin": {"application/octet-stream", "\x00\x01\x02binary\xff"},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := bodies[r.URL.Path]
		w.Header().Set("Content-Type", b.ctype)
		w.Write([]byte(b.body))
	}))
	t.Cleanup(srv.Close)
	p := newTestPanel(t, nil)
	p.useURL(srv.URL + "/img")
	sendAndWait(t, p)
	if !p.resp.body.img.Visible() || p.resp.body.img.Image == nil || p.resp.body.text.Visible() {
		t.Error("a PNG is not shown as an image")
	}
	if want := "PNG 3×2, " + send.Size(pic.Len()); p.resp.body.note.Text != want || !strings.HasPrefix(p.resp.summary.Text, "Image · ") {
		t.Errorf("note = %q, summary %q; want %q", p.resp.body.note.Text, p.resp.summary.Text, want)
	}
	p.useURL(srv.URL + "/bin")
	sendAndWait(t, p)
	if p.resp.body.img.Visible() || !strings.HasPrefix(p.resp.body.text.Text(), "00000000  00 01 02 62 69 6e") ||
		!strings.HasPrefix(p.resp.summary.Text, "Binary · 10 bytes · ") {
		t.Errorf("binary body shown as %q (%s)", p.resp.body.text.Text(), p.resp.summary.Text)
	}
}

func TestCancelStopsTheRequest(t *testing.T) {
	started, gone := make(chan struct{}), make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-r.Context().Done() // answers nothing until the client leaves
		close(gone)
	}))
	t.Cleanup(srv.Close)
	p := newTestPanel(t, nil)
	p.useURL(srv.URL)
	test.Tap(p.sendBtn)
	<-started
	if p.sendBtn.Text != "Cancel" || !p.resp.waiting.Visible() {
		t.Fatalf("while sending: button %q, spinner shown %v", p.sendBtn.Text, p.resp.waiting.Visible())
	}
	test.Tap(p.sendBtn)
	<-gone // the connection was closed: the cancel reached the wire
	if p.sendBtn.Text != "Send" || p.resp.badge.text != "Canceled" || !strings.Contains(p.resp.failure.Text, "canceled") {
		t.Errorf("after Cancel: button %q, badge %q, message %q", p.sendBtn.Text, p.resp.badge.text, p.resp.failure.Text)
	}
}
