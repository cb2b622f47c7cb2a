package gui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"github.com/loopscope/loopscope/sniff"
)

// The pieces side by side are as wide as the whole text: the theme's
// font has no kerning between digits and . : - (letters such as "f." do
// kern, so they are never cut).
func TestPieceWidthsAddUp(t *testing.T) {
	test.NewTempApp(t)
	const set = "0123456789.:-,"
	size := theme.TextSize()
	for _, style := range []fyne.TextStyle{{}, {Italic: true}, {Bold: true}} {
		for _, a := range set {
			for _, b := range set {
				pair := string(a) + string(b)
				whole := fyne.MeasureText(pair, size, style).Width
				apart := fyne.MeasureText(string(a), size, style).Width + fyne.MeasureText(string(b), size, style).Width
				if d := whole - apart; d > 0.01 || d < -0.01 {
					t.Errorf("%+v %q is %v wide, its letters %v apart: the font kerns it", style, pair, whole, apart)
				}
			}
		}
	}
	if pieceable("f.1") || pieceable("fe80::1") || pieceable("12") || !pieceable("127.0.0.1:8080") || !pieceable("488067") {
		t.Error("pieceable cuts what it must not, or not what it may")
	}
}

// A cell shows a number it is asked to cut in pieces that read as the
// number, end where the whole text would (right-aligned), and keep the
// cell's size; other texts, and numbers cut short with "…", show whole.
func TestCellDrawsNumbersInPieces(t *testing.T) {
	test.NewTempApp(t)
	c := newTableCell(nil, nil)
	w := test.NewWindow(c)
	defer w.Close()
	c.Resize(fyne.NewSize(120, cellHeight()))
	c.show(0, cellView{text: "4.930641"}, true, rowSteady, false)
	whole := c.MinSize()
	c.show(0, cellView{text: "4.930641", pieces: true}, true, rowSteady, false)
	if c.pieces == nil || !c.pieces.box.Visible() || c.textBox.Visible() {
		t.Fatal("a number asked in pieces shows whole")
	}
	if got := c.MinSize(); got != whole {
		t.Errorf("in pieces the cell asks %v, whole it asked %v: Fyne would lay the table out again", got, whole)
	}
	var joined strings.Builder
	var x, end float32
	for _, o := range c.pieces.box.Objects {
		p := o.(*canvas.Text)
		if !p.Visible() {
			continue
		}
		if p.Position().X < x {
			t.Errorf("piece %q at %v, before the one ahead of it ends (%v)", p.Text, p.Position().X, x)
		}
		joined.WriteString(p.Text)
		x = p.Position().X + p.Size().Width
		end = x
	}
	if joined.String() != "4.930641" {
		t.Errorf("the pieces read %q", joined.String())
	}
	if want := c.Size().Width - theme.InnerPadding(); end < want-0.5 || end > want+0.5 {
		t.Errorf("right-aligned pieces end at %v, want %v", end, want)
	}

	c.show(1, cellView{text: "fe80::1", pieces: true}, false, rowSteady, false)
	if c.pieces.box.Visible() || !c.textBox.Visible() || c.text.Text != "fe80::1" {
		t.Error("a text with letters was cut in pieces")
	}
	long := strings.Repeat("9", 30)
	c.show(2, cellView{text: long, pieces: true}, true, rowSteady, false)
	if c.pieces.box.Visible() || !strings.HasSuffix(c.text.Text, "…") {
		t.Errorf("a number too wide for its cell shows %q, in pieces: %v", c.text.Text, c.pieces.box.Visible())
	}
}

// A status line is cut after its spaces and in its counts' digit pairs;
// the pieces read as the line, and side by side they are as wide as the
// line drawn whole.
func TestWordPieces(t *testing.T) {
	test.NewTempApp(t)
	line := "Capturing on lo · 983,534 captured · 100,000 shown · none dropped by the kernel · 883,534 left the view (it keeps the newest 100,000)"
	got := wordPieces(nil, line)
	if strings.Join(got, "") != line {
		t.Fatalf("the pieces read %q", strings.Join(got, ""))
	}
	want := []string{"Capturing ", "on ", "lo ", "· ", "98", "3", ",", "53", "4", " ", "captured "}
	for i, w := range want {
		if got[i] != w {
			t.Fatalf("pieces %q, want them to start %q", got[:len(want)], want)
		}
	}
	if p := wordPieces(nil, "(it keeps 100000)"); strings.Join(p, "|") != "(it |keeps |10|00|00|)" {
		t.Errorf("pieces %q", p)
	}
	size := theme.TextSize()
	var sum float32
	for _, p := range got {
		sum += fyne.MeasureText(p, size, fyne.TextStyle{}).Width
	}
	if whole := fyne.MeasureText(line, size, fyne.TextStyle{}).Width; sum-whole > 0.5 || whole-sum > 0.5 {
		t.Errorf("the pieces are %v wide, the line %v", sum, whole)
	}
}

// The status line shows in pieces while it fits, and cut with "…",
// whole, when it does not.
func TestFitLabelPieces(t *testing.T) {
	test.NewTempApp(t)
	l := newFitLabel()
	w := test.NewWindow(l)
	defer w.Close()
	l.Resize(fyne.NewSize(900, 30))
	l.SetText("Capturing on lo · 6 captured · 6 shown")
	if !l.pieces.box.Visible() || l.shown.Visible() {
		t.Fatal("a status that fits is not drawn in pieces")
	}
	var read strings.Builder
	for _, o := range l.pieces.box.Objects {
		if o.Visible() {
			read.WriteString(o.(*canvas.Text).Text)
		}
	}
	if read.String() != "Capturing on lo · 6 captured · 6 shown" {
		t.Errorf("the pieces read %q", read.String())
	}
	l.Resize(fyne.NewSize(120, 30))
	if l.pieces.box.Visible() || !l.shown.Visible() || !strings.HasSuffix(l.shown.Text, "…") {
		t.Errorf("too narrow: pieces shown %v, text %q", l.pieces.box.Visible(), l.shown.Text)
	}
	l.Resize(fyne.NewSize(900, 30))
	if !l.pieces.box.Visible() || l.shown.Visible() {
		t.Error("wide again: the status is not back in pieces")
	}
	// Too narrow for the whole status, it says it shorter before it cuts.
	st := sniff.SessionStats{Captured: 986942, Left: 886942, Holds: 100000}
	lines := packetsStatusLines(st, 100000, "Capturing on lo", true)
	full, shorter := lines[0], lines[1:]
	l.SetText(full, shorter...)
	pieced := func() string {
		var b strings.Builder
		for _, o := range l.pieces.box.Objects {
			if o.Visible() {
				b.WriteString(o.(*canvas.Text).Text)
			}
		}
		return b.String()
	}
	wants := []string{full, "Capturing on lo · 986,942 captured · 100,000 shown · 886,942 left the view",
		"Capturing on lo · 986,942 captured · 100,000 shown · 886,942 gone"}
	for _, want := range wants { // each as wide as it needs: the longer ones do not fit
		width := fyne.MeasureText(want, theme.TextSize(), fyne.TextStyle{}).Width + 2*theme.InnerPadding() + 1
		l.Resize(fyne.NewSize(width, 30))
		if got := pieced(); !l.pieces.box.Visible() || got != want {
			t.Errorf("at %v wide: %q, want %q", width, got, want)
		}
	}
	l.Resize(fyne.NewSize(200, 30))
	if !l.shown.Visible() || !strings.HasPrefix(l.shown.Text, "Capturing on lo · 9") || !strings.HasSuffix(l.shown.Text, "…") {
		t.Errorf("narrower than the shortest: %q", l.shown.Text)
	}
}
