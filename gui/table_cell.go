package gui

import (
	"image/color"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// cellView is what a table shows in one cell: computed off the UI
// goroutine, so drawing a cell only copies it.
type cellView struct {
	text  string
	dim   bool // shown in low importance: "—", "no process"
	badge bool // shown as a coloured pill
	tone  widget.Importance
	// pieces marks a number that is new in every row (a packet's number
	// and time): it is drawn in pieces Fyne has drawn before (pieceText).
	pieces bool
}

// rowState says whether a row is new, steady, or closed and about to drop.
type rowState int

const (
	rowSteady rowState = iota
	rowNew             // appeared in a recent refresh
	rowGone            // closed; shown a few seconds more
)

// tableCell is one cell of a dataTable: text or a badge on a background
// that marks selected, new and closed rows. It takes the clicks itself —
// Fyne's real driver gives a click to the deepest object that takes any,
// so a cell that only took right clicks would swallow the left ones — and
// reports them with the modifiers MouseDown saw (Ctrl, Shift).
type tableCell struct {
	widget.BaseWidget
	bg        *canvas.Rectangle
	text      *canvas.Text // cut to fit by fitText; a Label would shape it at every layout
	textBox   *fyne.Container
	badgeBox  *fyne.Container
	badgeLay  *badgeLayout
	badgeFill *canvas.Rectangle
	badgeText *canvas.Text
	pieces    *pieceText          // made when the cell first shows a cellView.pieces
	parts     []fyne.CanvasObject // what it draws, each over the whole cell

	row     int
	reserve float32 // room kept free at the right, under the scroll bar
	mods    fyne.KeyModifier
	onTap   func(row int, mods fyne.KeyModifier)
	onMenu  func(row int, at fyne.Position)

	shown shownCell // what it draws now: a refresh that changes nothing redraws nothing
}

// shownCell is everything a cell's drawing depends on.
type shownCell struct {
	v        cellView
	numeric  bool
	state    rowState
	selected bool
	variant  fyne.ThemeVariant
	reserve  float32
	set      bool
}

func newTableCell(onTap func(int, fyne.KeyModifier), onMenu func(int, fyne.Position)) *tableCell {
	c := &tableCell{
		bg:        canvas.NewRectangle(color.Transparent),
		text:      canvas.NewText("", theme.Color(theme.ColorNameForeground)),
		badgeFill: canvas.NewRectangle(color.Transparent),
		badgeText: canvas.NewText("", color.White),
		badgeLay:  &badgeLayout{},
		onTap:     onTap,
		onMenu:    onMenu,
	}
	pad := theme.InnerPadding() // a Label's padding, so rows keep their height
	c.text.TextSize = theme.TextSize()
	c.textBox = container.New(layout.NewCustomPaddedLayout(pad, pad, pad, pad), c.text)
	c.badgeFill.CornerRadius = 10
	c.badgeText.Alignment = fyne.TextAlignCenter
	c.badgeBox = container.New(c.badgeLay, c.badgeFill, c.badgeText)
	c.badgeBox.Hide()
	c.parts = []fyne.CanvasObject{c.bg, c.textBox, c.badgeBox}
	c.ExtendBaseWidget(c)
	return c
}

func (c *tableCell) CreateRenderer() fyne.WidgetRenderer { return cellRenderer{c} }

// cellRenderer lays each part over the whole cell, as a stack would, and
// asks a size that does not follow the text: a cell whose text changed
// width makes Fyne lay out the cell again inside the frame, and a stack
// (or a size that grew, which lays out the whole table) then repainted
// the window, drawing it twice.
type cellRenderer struct{ c *tableCell }

func (r cellRenderer) Layout(size fyne.Size) {
	for _, o := range r.c.parts {
		place(o, fyne.Position{}, size)
	}
}

// MinSize is an empty cell's: a line of text in a Label's padding. Fyne's
// table sizes its rows from it and its columns itself.
func (r cellRenderer) MinSize() fyne.Size {
	return fyne.NewSize(2*theme.InnerPadding(), cellHeight())
}

func (r cellRenderer) Refresh() {
	for _, o := range r.c.parts {
		o.Refresh()
	}
}

func (r cellRenderer) Objects() []fyne.CanvasObject { return r.c.parts }
func (r cellRenderer) Destroy()                     {}

// MouseDown remembers the modifiers of the click that is starting.
func (c *tableCell) MouseDown(e *desktop.MouseEvent) { c.mods = e.Modifier }

// MouseUp is part of desktop.Mouseable.
func (c *tableCell) MouseUp(*desktop.MouseEvent) {}

// Tapped selects the cell's row.
func (c *tableCell) Tapped(*fyne.PointEvent) {
	mods := c.mods
	c.mods = 0
	if c.onTap != nil {
		c.onTap(c.row, mods)
	}
}

// TappedSecondary opens the row's context menu.
func (c *tableCell) TappedSecondary(e *fyne.PointEvent) {
	if c.onMenu != nil {
		c.onMenu(c.row, e.AbsolutePosition)
	}
}

// show draws v for row in the given state. Laying text out again is the
// costly part of a refresh, so a cell whose content did not change is
// left alone.
func (c *tableCell) show(row int, v cellView, numeric bool, state rowState, selected bool) {
	c.row = row
	now := shownCell{v: v, numeric: numeric, state: state, selected: selected,
		variant: shownVariant(), reserve: c.reserve, set: true}
	if now == c.shown {
		return
	}
	c.shown = now
	c.bg.FillColor = rowBackground(state, selected)
	c.bg.Refresh()
	style := fyne.TextStyle{Italic: state == rowGone}
	if v.badge {
		c.textBox.Hide()
		tone := v.tone
		if state == rowGone {
			tone = widget.LowImportance
		}
		fg, fill := badgeColors(tone)
		c.badgeText.Text, c.badgeText.TextStyle = v.text, style
		c.badgeText.TextSize = theme.TextSize()
		c.badgeText.Color = fg
		c.badgeFill.FillColor = fill
		c.badgeLay.text = fyne.MeasureText(v.text, c.badgeText.TextSize, style)
		c.badgeBox.Show()
		c.badgeBox.Refresh() // the text's width changed: lay the badge out again
		return
	}
	c.badgeBox.Hide()
	pad := theme.InnerPadding()
	c.textBox.Layout = layout.NewCustomPaddedLayout(pad, pad, pad, pad+c.reserve)
	c.text.TextStyle, c.text.TextSize = style, theme.TextSize()
	c.text.Color = theme.Color(theme.ColorNameForeground)
	if v.dim && !selected { // on the selection colour, the plain colour reads best
		c.text.Color = dimColor()
	}
	c.text.Alignment = fyne.TextAlignLeading
	if numeric {
		c.text.Alignment = fyne.TextAlignTrailing
	}
	c.fitText(c.Size().Width)
	c.drawText()
}

// drawText redraws the cell's text: in pieces when it asks for them and
// shows whole, else as one text.
func (c *tableCell) drawText() {
	if c.shown.v.pieces && c.text.Text == c.shown.v.text && pieceable(c.text.Text) {
		if c.pieces == nil {
			c.pieces = newPieceText()
			c.parts = append(c.parts, c.pieces.box)
			place(c.pieces.box, fyne.Position{}, c.Size())
		}
		pad := theme.InnerPadding()
		c.pieces.lay.pad, c.pieces.lay.padRight = pad, pad+c.shown.reserve
		c.pieces.split = numberPieces(c.pieces.split[:0], c.text.Text)
		c.pieces.set(c.pieces.split, c.text.TextSize, c.text.TextStyle, c.text.Color, c.text.Alignment == fyne.TextAlignTrailing)
		c.textBox.Hide()
		c.pieces.box.Refresh() // lays the pieces out now, not in the frame
		c.pieces.box.Show()
		return
	}
	if c.pieces != nil {
		c.pieces.box.Hide()
	}
	c.textBox.Refresh() // lays the text out again, and redraws it
	c.textBox.Show()
}

// rowBackground marks the selected rows, tints new rows green and closed
// rows red (the colours TCPView uses), whole rows across every cell.
func rowBackground(s rowState, selected bool) color.Color {
	if selected {
		return theme.Color(theme.ColorNameSelection)
	}
	switch s {
	case rowNew:
		return withAlpha(theme.Color(theme.ColorNameSuccess), 0x30)
	case rowGone:
		return withAlpha(theme.Color(theme.ColorNameError), 0x28)
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
	pill := fyne.NewSize(max(min(l.text.Width+3*pad, size.Width), 0), max(min(l.text.Height+pad, size.Height), 0))
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

// Resize lays the cell out at a new width: a recycled cell may move to
// another column.
func (c *tableCell) Resize(size fyne.Size) {
	if size != c.Size() && !c.shown.v.badge && c.fitText(size.Width) {
		c.BaseWidget.Resize(size)
		c.drawText()
		return
	}
	c.BaseWidget.Resize(size)
}

// fitText puts the cell's text on screen, cut with "…" when it does not
// fit in width, and reports whether what shows changed. A Label's own
// ellipsis shapes the text anew at every layout, which was most of the
// cost of a table that scrolls ten times a second; measuring here is
// cached, so a text that fits costs nothing after its first time.
func (c *tableCell) fitText(width float32) bool {
	text := c.shown.v.text
	avail := width - 2*theme.InnerPadding() - c.shown.reserve
	size, style := c.text.TextSize, c.text.TextStyle
	// A text no wider than its length in the widest letters fits without
	// being measured: most cells (numbers, addresses) are short, and
	// measuring a new text shapes it.
	switch {
	case avail <= 0 && width > 0:
		text = "" // no room at all
	case avail <= 0: // not laid out yet
	case !isASCII(text) || float32(len(text))*widestRune(size, style) > avail:
		// The W bound holds for ASCII only: emoji and wide letters are measured.
		if !fitsIn(text, avail, size, style) {
			text = ellipsize(text, avail, size, style)
		}
	}
	if text == c.text.Text {
		return false
	}
	c.text.Text = text
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// cellHeight is a table cell's height, as Fyne's table sizes its rows
// from a new cell; rowHeight adds the separator between rows. Remembered
// per text size and padding (the UI goroutine only): the tables ask on
// every batch and every layout.
func cellHeight() float32 {
	k := [2]float32{theme.TextSize(), theme.InnerPadding()}
	h, ok := cellHeights[k]
	if !ok {
		h = fyne.MeasureText("", theme.TextSize(), fyne.TextStyle{}).Height + 2*theme.InnerPadding()
		cellHeights[k] = h
	}
	return h
}

var cellHeights = map[[2]float32]float32{}

func rowHeight() float32 { return cellHeight() + theme.Padding() }

// widestRune is the width of the widest letter likely in a cell ("W"),
// a bound for a text's width from its length; remembered per size and
// style (the UI goroutine only).
func widestRune(size float32, style fyne.TextStyle) float32 {
	k := widestKey{size, style}
	if w, ok := widest[k]; ok {
		return w
	}
	w := max(fyne.MeasureText("W", size, style).Width, fyne.MeasureText("—", size, style).Width, fyne.MeasureText("…", size, style).Width)
	widest[k] = w
	return w
}

type widestKey struct {
	size  float32
	style fyne.TextStyle
}

var widest = map[widestKey]float32{}
