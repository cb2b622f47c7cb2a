package gui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// fitsIn decides from letters' advances only where the shaped width
// agrees: across texts a capture and the tables show, in each style, at
// every width around their measured one, it answers as measuring would.
func TestFitsInAgreesWithMeasuring(t *testing.T) {
	test.NewTempApp(t)
	texts := []string{
		"51234 → 8080 [SYN] seq=0 win=65495 len=0", "GET /index.html HTTP/1.1", "Standard query 0x1a2b A example.com",
		"127.0.0.1", "[::1]:62893", "fe80::1c2d:3e4f:5a6b:7c8d", "python3 -m http.server 8000 --bind 0.0.0.0",
		"WAVE fill AVAVAV To Ty Yo ffi fl", "AVAVAVAVAVAVAVAVAV", "LTLTLTYoYoTaTeToVA", "ffffffffiiiffl", "r.r,r.y.y,Te,Yo.", "r.r.r.r.r.r.r.r.", "T.T.T.T.T.", "y,y,y,y,y,y,", "V.A.W.Y.", "iiiiiiiiiiiiiiiiiiii", "WWWWWWWWWWWWWWWWWWWW", "node\\x1b[31m", "Network · all interfaces",
		"TLS ClientHello server_name=www.example.org", "1234567890", "x",
	}
	styles := []fyne.TextStyle{{}, {Bold: true}, {Monospace: true}}
	size := theme.TextSize()
	for _, st := range styles {
		for _, s := range texts {
			real := fyne.MeasureText(s, size, st).Width
			for d := float32(-12); d <= 12; d += 0.5 {
				width := real + d
				if got, want := fitsIn(s, width, size, st), real <= width; got != want {
					t.Errorf("fitsIn(%q, %.1f, %+v) = %v; measured %.1f", s, width, st, got, real)
				}
			}
		}
	}
	// An ellipsized text fits, and is no more than a letter shorter than
	// the longest start that would.
	for _, s := range texts {
		for _, width := range []float32{30, 60, 120} {
			e := ellipsize(s, width, size, fyne.TextStyle{})
			if fyne.MeasureText(e, size, fyne.TextStyle{}).Width > width && e != "…" {
				t.Errorf("ellipsize(%q, %v) = %q, wider than its room", s, width, e)
			}
		}
	}
}

// A fitLabel shows its whole text when there is room, cuts it with "…"
// when there is not, and follows a new width and a new text.
func TestFitLabel(t *testing.T) {
	test.NewTempApp(t)
	l := newFitLabel()
	text := "Capturing on lo · 1,234,567 captured · 100,000 shown · 0 dropped by the kernel · 1,134,567 left the view"
	w := test.NewTempWindow(t, l)
	w.Resize(fyne.NewSize(1200, 60))
	l.SetText(text)
	if l.shown.Text != text {
		t.Errorf("wide: shows %q", l.shown.Text)
	}
	l.Resize(fyne.NewSize(200, l.MinSize().Height))
	if cut := l.shown.Text; len(cut) >= len(text) || cut[len(cut)-len("…"):] != "…" ||
		fyne.MeasureText(cut, l.shown.TextSize, l.shown.TextStyle).Width > 200-2*theme.InnerPadding() {
		t.Errorf("narrow: shows %q", cut)
	}
	l.SetText("Stopped")
	if l.shown.Text != "Stopped" || l.Text != "Stopped" {
		t.Errorf("new text: shows %q", l.shown.Text)
	}
	if l.MinSize().Width > 60 {
		t.Errorf("min width %v holds the window wide", l.MinSize().Width)
	}
}
