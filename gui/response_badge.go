package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// statusBadge is the status as a coloured pill, like the tables' badges;
// it takes its colours from the theme each time it is drawn.
type statusBadge struct {
	widget.BaseWidget
	text string
	tone widget.Importance
}

func newStatusBadge() *statusBadge {
	b := &statusBadge{}
	b.ExtendBaseWidget(b)
	return b
}

func (b *statusBadge) set(text string, tone widget.Importance) {
	if b.text != text || b.tone != tone {
		b.text, b.tone = text, tone
		b.Refresh()
	}
}

func (b *statusBadge) CreateRenderer() fyne.WidgetRenderer {
	r := &badgeRenderer{b: b, fill: canvas.NewRectangle(nil), text: canvas.NewText("", nil), lay: &badgeLayout{}}
	r.fill.CornerRadius = 10
	r.text.Alignment = fyne.TextAlignCenter
	r.text.TextStyle = fyne.TextStyle{Bold: true}
	r.box = container.New(r.lay, r.fill, r.text)
	r.Refresh()
	return r
}

type badgeRenderer struct {
	b    *statusBadge
	fill *canvas.Rectangle
	text *canvas.Text
	lay  *badgeLayout
	box  *fyne.Container
}

func (r *badgeRenderer) Layout(size fyne.Size) { r.box.Resize(size) }

// MinSize leaves room around the pill, as a label has around its text.
func (r *badgeRenderer) MinSize() fyne.Size {
	return r.lay.MinSize(nil).Add(fyne.NewSquareSize(2 * theme.Padding()))
}

func (r *badgeRenderer) Refresh() {
	fg, fill := badgeColors(r.b.tone)
	r.text.Text, r.text.Color, r.text.TextSize = r.b.text, fg, theme.TextSize()
	r.fill.FillColor = fill
	r.lay.text = fyne.MeasureText(r.b.text, r.text.TextSize, r.text.TextStyle)
	r.box.Refresh()
}

func (r *badgeRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.box} }
func (r *badgeRenderer) Destroy()                     {}
