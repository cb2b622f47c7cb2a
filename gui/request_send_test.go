package gui

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
)

func TestSelfSignedHTTPS(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("secret"))
	}))
	t.Cleanup(srv.Close)
	p := newTestPanel(t, nil)
	p.useURL(srv.URL)
	sendAndWait(t, p)
	if !strings.Contains(p.resp.failure.Text, "is not trusted") || !strings.Contains(p.resp.failure.Text, "Skip certificate check") {
		t.Errorf("untrusted certificate: %q", p.resp.failure.Text)
	}

	test.Tap(p.form.insecure)
	sendAndWait(t, p)
	if p.resp.badge.text != "200 OK" || !strings.HasSuffix(p.resp.summary.Text, " · TLS 1.3") {
		t.Errorf("with the check skipped: %q, %q", p.resp.badge.text, p.resp.summary.Text)
	}
	for _, s := range p.resp.shown.timing {
		if s.name == "TLS" && (s.d <= 0 || strings.Contains(s.why, "plain http")) {
			t.Errorf("TLS step: %v, %q", s.d, s.why)
		}
	}
	if !strings.Contains(p.resp.raw.Text(), "\nsecret") {
		t.Errorf("Raw tab does not show the decrypted answer:\n%s", p.resp.raw.Text())
	}
}

// Ctrl+Enter sends from the headers and body boxes, where Enter is a new
// line.
func TestCtrlEnterSends(t *testing.T) {
	srv := startEcho(t)
	p := newTestPanel(t, nil)
	p.useURL(srv.URL() + "from-keys")
	answer(t, p, func() {
		p.form.headers.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyReturn, Modifier: fyne.KeyModifierShortcutDefault})
	})
	if p.resp.badge.text != "200 OK" || !strings.Contains(p.resp.body.text.Text(), `"path": "/from-keys"`) {
		t.Errorf("Ctrl+Enter: %q, %q", p.resp.badge.text, p.resp.summary.Text)
	}
}
