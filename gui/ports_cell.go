package gui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/loopscope/loopscope/netinfo"
)

// portCell is one cell of the ports table: text on a background that marks
// new and gone rows, or, in the Exposure column, a coloured badge. It opens
// the row's context menu on a secondary tap; a primary tap falls through to
// the table, which selects the row.
type portCell struct {
	widget.BaseWidget
	bg        *canvas.Rectangle
	text      *widget.Label
	badgeBox  *fyne.Container // the badge, centred in the cell by badgeLay
	badgeLay  *badgeLayout
	badgeFill *canvas.Rectangle
	badgeText *canvas.Text

	row         int
	onSecondary func(row int, at fyne.Position)
}

func newPortCell(onSecondary func(int, fyne.Position)) *portCell {
	c := &portCell{
		bg:          canvas.NewRectangle(color.Transparent),
		text:        widget.NewLabel(""),
		badgeFill:   canvas.NewRectangle(color.Transparent),
		badgeText:   canvas.NewText("", color.White),
		badgeLay:    &badgeLayout{},
		onSecondary: onSecondary,
	}
	c.text.Truncation = fyne.TextTruncateEllipsis
	c.badgeFill.CornerRadius = 10
	c.badgeText.Alignment = fyne.TextAlignCenter
	c.badgeBox = container.New(c.badgeLay, c.badgeFill, c.badgeText)
	c.badgeBox.Hide()
	c.ExtendBaseWidget(c)
	return c
}

func (c *portCell) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack(c.bg, c.text, c.badgeBox))
}

// TappedSecondary opens the row's context menu.
func (c *portCell) TappedSecondary(e *fyne.PointEvent) {
	if c.onSecondary != nil {
		c.onSecondary(c.row, e.AbsolutePosition)
	}
}

// show sets the cell to row r's column col.
func (c *portCell) show(row int, r *portRow, col int, selected bool) {
	c.row = row
	c.bg.FillColor = rowBackground(r.state, selected)
	c.bg.Refresh()
	style := fyne.TextStyle{Italic: r.state == rowGone}
	if col == colExposure {
		c.text.Hide()
		tint := theme.Color(importanceColor(exposureImportance(r)))
		c.badgeText.Text = r.cells[col]
		c.badgeText.TextStyle = style
		c.badgeText.TextSize = theme.TextSize()
		c.badgeText.Color = tint
		c.badgeFill.FillColor = withAlpha(tint, 0x2c)
		c.badgeLay.text = fyne.MeasureText(c.badgeText.Text, c.badgeText.TextSize, style)
		c.badgeBox.Show()
		c.badgeBox.Refresh() // the text's width changed: lay the badge out again
		return
	}
	c.badgeBox.Hide()
	c.text.Text = r.cells[col]
	c.text.TextStyle = style
	c.text.Importance = widget.MediumImportance
	if r.state == rowGone || (col == colProcess && len(r.sock.Holders) == 0) {
		c.text.Importance = widget.LowImportance
	}
	c.text.Alignment = fyne.TextAlignLeading
	if col == colPort || col == colPID {
		c.text.Alignment = fyne.TextAlignTrailing
	}
	c.text.Refresh()
	c.text.Show()
}

// exposureImportance colours the badge: green for loopback, red for every
// interface, amber for one address, a group, a broadcast address, or an
// address the machine does not have yet.
func exposureImportance(r *portRow) widget.Importance {
	switch {
	case r.state == rowGone:
		return widget.LowImportance
	case r.sock.Exposure == netinfo.ExposureAll:
		return widget.DangerImportance
	case r.sock.Exposure == netinfo.ExposureLoopback:
		return widget.SuccessImportance
	}
	return widget.WarningImportance
}

func importanceColor(i widget.Importance) fyne.ThemeColorName {
	switch i {
	case widget.SuccessImportance:
		return theme.ColorNameSuccess
	case widget.DangerImportance:
		return theme.ColorNameError
	case widget.WarningImportance:
		return theme.ColorNameWarning
	}
	return theme.ColorNameDisabled
}

// rowBackground marks the selected row across all its cells, tints new rows
// with the primary colour and gone rows red.
func rowBackground(s rowState, selected bool) color.Color {
	if selected {
		return theme.Color(theme.ColorNameSelection)
	}
	switch s {
	case rowNew:
		return withAlpha(theme.Color(theme.ColorNamePrimary), 0x38)
	case rowGone:
		return withAlpha(theme.Color(theme.ColorNameError), 0x22)
	}
	return color.Transparent
}

func withAlpha(c color.Color, a uint8) color.Color {
	r, g, b, _ := c.RGBA()
	return color.NRGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), a}
}

// badgeLayout centres a pill (objects[0]) around its text (objects[1]),
// sized from the text's measured size rather than from MinSize, which a
// recycled table cell may not have recomputed yet.
type badgeLayout struct{ text fyne.Size }

func (l *badgeLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	pill := fyne.NewSize(min(l.text.Width+3*pad, size.Width), min(l.text.Height+pad, size.Height))
	pos := fyne.NewPos((size.Width-pill.Width)/2, (size.Height-pill.Height)/2)
	for _, o := range objects {
		o.Move(pos)
		o.Resize(pill)
	}
}

func (l *badgeLayout) MinSize([]fyne.CanvasObject) fyne.Size {
	pad := theme.Padding()
	return fyne.NewSize(l.text.Width+3*pad, l.text.Height+pad)
}
