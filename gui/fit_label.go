package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// fitLabel is a one-line label cut with "…" to its width, for a status
// line that changes ten times a second: a Label's own ellipsis shapes the
// text again, a word at a time, at every change, which under a packet
// flood was a sixth of the UI goroutine's work. This one decides what fits
// from the letters' widths (fitsIn) and draws a single canvas.Text.
type fitLabel struct {
	widget.BaseWidget
	Text  string // the whole text; what shows may be cut
	shown *canvas.Text
}

func newFitLabel() *fitLabel {
	l := &fitLabel{shown: canvas.NewText("", theme.Color(theme.ColorNameForeground))}
	l.shown.TextSize = theme.TextSize()
	l.ExtendBaseWidget(l)
	return l
}

// SetText shows text, cut to the label's width.
func (l *fitLabel) SetText(text string) {
	if text == l.Text {
		return
	}
	l.Text = text
	l.fit(l.Size().Width)
}

// fit cuts the text to width and redraws it when what shows changed.
func (l *fitLabel) fit(width float32) {
	text := l.Text
	avail := width - 2*theme.InnerPadding()
	size, style := theme.TextSize(), l.shown.TextStyle
	if avail > 0 && !fitsIn(text, avail, size, style) {
		text = ellipsize(text, avail, size, style)
	}
	if text != l.shown.Text || size != l.shown.TextSize {
		l.shown.Text, l.shown.TextSize = text, size
		l.shown.Refresh()
	}
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
	r.l.shown.Move(fyne.NewPos(pad, (size.Height-h)/2))
	r.l.shown.Resize(fyne.NewSize(size.Width-2*pad, h))
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
	r.l.fit(r.l.Size().Width)
	r.l.shown.Refresh()
}

func (r *fitLabelRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.l.shown} }
func (r *fitLabelRenderer) Destroy()                     {}
