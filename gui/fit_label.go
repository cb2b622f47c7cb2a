package gui

import (
	"image/color"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// fitLabel is a one-line label cut with "…" to its width, for a status
// line that changes ten times a second: a Label's own ellipsis shapes the
// text again, a word at a time, at every change, which under a packet
// flood was a sixth of the UI goroutine's work. A text that fits shows in
// pieces, its words and the digits of its counts two by two (pieceText),
// which Fyne has measured and drawn before: a new count costs no shaping.
// A text that does not fit is cut (ellipsize) and drawn whole.
type fitLabel struct {
	widget.BaseWidget
	Text    string       // the whole text; what shows may be shorter, or cut
	shorter []string     // shorter ways to say it, longest first, for a narrow window
	shown   *canvas.Text // the text cut to fit, drawn when it was cut
	pieces  *pieceText   // the text drawn in pieces, when it fits whole
	drawn   drawnText
}

// drawnText is what the label last drew: a refresh that changes none of
// it draws nothing.
type drawnText struct {
	text  string
	size  float32
	color color.Color
	whole bool
}

func newFitLabel() *fitLabel {
	l := &fitLabel{shown: canvas.NewText("", theme.Color(theme.ColorNameForeground)), pieces: newPieceText()}
	l.shown.TextSize = theme.TextSize()
	l.pieces.box.Hide()
	l.ExtendBaseWidget(l)
	return l
}

// SetText shows text at the label's width: else the first of the
// shorter ones that fits, else the shortest cut with "…".
func (l *fitLabel) SetText(text string, shorter ...string) {
	if text == l.Text && slices.Equal(shorter, l.shorter) {
		return
	}
	l.Text, l.shorter = text, shorter
	l.fit(l.Size().Width)
}

// fit shows the text at width: in pieces when they fit (their widths,
// measured once each, add up to the text's), else cut and whole.
func (l *fitLabel) fit(width float32) {
	size, style := theme.TextSize(), l.shown.TextStyle
	avail := width - 2*theme.InnerPadding()
	var now drawnText
	for i, text := range append([]string{l.Text}, l.shorter...) {
		l.pieces.split = wordPieces(l.pieces.split[:0], text)
		var w float32
		for _, p := range l.pieces.split {
			w += fyne.MeasureText(p, size, style).Width
		}
		now = drawnText{text: text, size: size, color: l.shown.Color, whole: avail <= 0 || w <= avail}
		if now.whole {
			break
		}
		if i == len(l.shorter) {
			now.text = ellipsize(text, avail, size, style)
		}
	}
	if now == l.drawn {
		return
	}
	l.drawn = now
	l.shown.Text, l.shown.TextSize = now.text, size
	if now.whole && now.text != "" {
		l.pieces.set(l.pieces.split, size, style, now.color, false)
		l.shown.Hide()
		l.pieces.box.Refresh() // laid out now, not in the frame
		l.pieces.box.Show()
		return
	}
	l.pieces.box.Hide()
	l.shown.Show()
	l.shown.Refresh()
}

func (l *fitLabel) Resize(size fyne.Size) {
	if size.Width != l.Size().Width {
		l.fit(size.Width)
	}
	l.BaseWidget.Resize(size)
}

func (l *fitLabel) CreateRenderer() fyne.WidgetRenderer { return &fitLabelRenderer{l: l} }

type fitLabelRenderer struct{ l *fitLabel }

func (r *fitLabelRenderer) Layout(size fyne.Size) {
	pad := theme.InnerPadding()
	h := r.l.shown.MinSize().Height
	at, inner := fyne.NewPos(pad, (size.Height-h)/2), fyne.NewSize(size.Width-2*pad, h)
	place(r.l.shown, at, inner)
	place(r.l.pieces.box, at, inner)
}

// MinSize is one line high and a few letters wide: the text is cut, not
// the window held wide.
func (r *fitLabelRenderer) MinSize() fyne.Size {
	pad := theme.InnerPadding()
	h := fyne.MeasureText("Mg", theme.TextSize(), r.l.shown.TextStyle).Height
	return fyne.NewSize(4*pad, h+2*pad)
}

// Refresh follows the theme: its colour and text size.
func (r *fitLabelRenderer) Refresh() {
	r.l.shown.Color = theme.Color(theme.ColorNameForeground)
	r.l.fit(r.l.Size().Width) // redraws what changed, the colour too
}

func (r *fitLabelRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.l.shown, r.l.pieces.box}
}
func (r *fitLabelRenderer) Destroy() {}
