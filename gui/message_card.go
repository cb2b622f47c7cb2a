package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// messageCard shows a message over a table on a card of the window's
// background colour, so the table's column lines do not run through its
// words. A widget rather than a rectangle: the card takes the new colour
// when the theme changes (Fyne refreshes every widget then).
type messageCard struct {
	widget.BaseWidget
	content fyne.CanvasObject
}

func newMessageCard(content fyne.CanvasObject) *messageCard {
	c := &messageCard{content: content}
	c.ExtendBaseWidget(c)
	return c
}

func (c *messageCard) CreateRenderer() fyne.WidgetRenderer {
	r := &messageCardRenderer{card: canvas.NewRectangle(theme.Color(theme.ColorNameBackground)), padded: container.NewPadded(c.content)}
	r.card.CornerRadius = theme.InputRadiusSize()
	return r
}

type messageCardRenderer struct {
	card   *canvas.Rectangle
	padded *fyne.Container
}

func (r *messageCardRenderer) Layout(size fyne.Size) {
	place(r.card, fyne.Position{}, size)
	place(r.padded, fyne.Position{}, size)
}

func (r *messageCardRenderer) MinSize() fyne.Size { return r.padded.MinSize() }

func (r *messageCardRenderer) Refresh() {
	r.card.FillColor, r.card.CornerRadius = theme.Color(theme.ColorNameBackground), theme.InputRadiusSize()
	r.card.Refresh()
	r.padded.Refresh()
}

func (r *messageCardRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.card, r.padded}
}
func (r *messageCardRenderer) Destroy() {}
