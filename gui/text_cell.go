package gui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// textCell is a plain table cell: truncated text on a background that
// marks the selected row across all its cells.
type textCell struct {
	widget.BaseWidget
	bg   *canvas.Rectangle
	text *widget.Label
}

func newTextCell() *textCell {
	c := &textCell{bg: canvas.NewRectangle(color.Transparent), text: widget.NewLabel("")}
	c.text.Truncation = fyne.TextTruncateEllipsis
	c.ExtendBaseWidget(c)
	return c
}

func (c *textCell) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack(c.bg, c.text))
}

// set shows text, right-aligned for numbers, on the selection colour when selected.
func (c *textCell) set(text string, numeric, selected bool) {
	c.bg.FillColor = color.Transparent
	if selected {
		c.bg.FillColor = theme.Color(theme.ColorNameSelection)
	}
	c.bg.Refresh()
	c.text.Alignment = fyne.TextAlignLeading
	if numeric {
		c.text.Alignment = fyne.TextAlignTrailing
	}
	c.text.SetText(text)
}
