package gui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// headerButton is a table's column title that sorts when tapped, drawn
// as a flat button: bold title, the sort arrow after it, a highlight
// under the pointer. Fyne's table refreshes every header at each scroll —
// ten times a second while a capture follows its newest packet — and a
// widget.Button decodes its icon again at each refresh; this one only
// sets its colours unless its title or arrow changed.
type headerButton struct {
	widget.BaseWidget
	Text     string
	Icon     fyne.Resource // the sort arrow, nil when not sorted by it
	OnTapped func()
	hovered  bool
	col      int // the column it shows, -1 before it shows one
}

func newHeaderButton() *headerButton {
	b := &headerButton{col: -1}
	b.ExtendBaseWidget(b)
	return b
}

func (b *headerButton) Tapped(*fyne.PointEvent) {
	if b.OnTapped != nil {
		b.OnTapped()
	}
}

func (b *headerButton) MouseIn(*desktop.MouseEvent)    { b.hovered = true; b.Refresh() }
func (b *headerButton) MouseMoved(*desktop.MouseEvent) {}
func (b *headerButton) MouseOut()                      { b.hovered = false; b.Refresh() }

// Cursor is the pointing hand, as a button's.
func (b *headerButton) Cursor() desktop.Cursor { return desktop.PointerCursor }

func (b *headerButton) CreateRenderer() fyne.WidgetRenderer {
	r := &headerRenderer{b: b, bg: canvas.NewRectangle(nil), text: canvas.NewText("", nil), icon: canvas.NewImageFromResource(nil)}
	r.text.TextStyle = fyne.TextStyle{Bold: true}
	r.icon.FillMode = canvas.ImageFillContain
	r.bg.CornerRadius = theme.InputRadiusSize()
	r.Refresh()
	return r
}

type headerRenderer struct {
	b     *headerButton
	bg    *canvas.Rectangle
	text  *canvas.Text
	icon  *canvas.Image
	shown fyne.Resource // the arrow the image holds
}

// Layout puts the arrow after the title; a title too long for its column
// with the arrow is cut with "…", so the arrow stays in its own column.
func (r *headerRenderer) Layout(size fyne.Size) {
	pad, is := theme.InnerPadding(), theme.IconInlineSize()
	place(r.bg, fyne.Position{}, size)
	avail := size.Width - 2*pad
	if r.b.Icon != nil {
		avail = size.Width - arrowRoom()
	}
	title, ts := r.b.Text, r.text.TextSize
	if avail > 0 && !fitsIn(title, avail, ts, r.text.TextStyle) {
		title = ellipsize(title, avail, ts, r.text.TextStyle)
	}
	if title != r.text.Text {
		r.text.Text = title
		r.text.Refresh()
	}
	m := r.text.MinSize()
	place(r.text, fyne.NewPos(pad, (size.Height-m.Height)/2), fyne.NewSize(max(0, size.Width-2*pad), m.Height))
	place(r.icon, fyne.NewPos(pad+min(m.Width, max(avail, 0))+theme.Padding(), (size.Height-is)/2), fyne.NewSize(is, is))
}

func (r *headerRenderer) MinSize() fyne.Size {
	pad := theme.InnerPadding()
	ts := fyne.MeasureText(r.b.Text, theme.TextSize(), r.text.TextStyle)
	w := ts.Width + 2*pad
	if r.b.Icon != nil {
		w += theme.Padding() + theme.IconInlineSize()
	}
	return fyne.NewSize(w, max(ts.Height, theme.IconInlineSize())+2*pad)
}

// Refresh sets the colours (they follow the theme), and the title and
// arrow only when they changed.
func (r *headerRenderer) Refresh() {
	r.bg.FillColor = color.Transparent
	if r.b.hovered {
		r.bg.FillColor = theme.Color(theme.ColorNameHover)
	}
	r.bg.Refresh()
	fg, size := theme.Color(theme.ColorNameForeground), theme.TextSize()
	themed := r.text.Color != fg || r.text.TextSize != size // the theme changed: the arrow's colour too
	if themed {
		r.text.Color, r.text.TextSize = fg, size
		r.text.Refresh()
	}
	if !sameIcon(r.shown, r.b.Icon) || themed {
		r.shown = r.b.Icon
		r.icon.Resource = r.b.Icon
		r.icon.Hidden = r.b.Icon == nil
		r.icon.Refresh()
	}
	r.Layout(r.b.Size())
}

func (r *headerRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.bg, r.text, r.icon}
}

func (r *headerRenderer) Destroy() {}

// arrowRoom is a header's width beside its title when sorted: the
// padding before the title, and the arrow after it (its box may reach
// the column's edge: the arrow is drawn in its middle).
func arrowRoom() float32 { return theme.InnerPadding() + theme.Padding() + theme.IconInlineSize() }

// sortedTitleWidth is the width a column needs for its title, bold, with
// the sort arrow after it.
func sortedTitleWidth(title string) float32 {
	return fyne.MeasureText(title, theme.TextSize(), fyne.TextStyle{Bold: true}).Width + arrowRoom()
}
