package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// sortSpec is the column a table is sorted by, and which way.
type sortSpec struct {
	col  int
	desc bool
}

// sortHeader turns a table's header row into buttons that sort by their
// column: a first tap sorts ascending (▲, as file managers show it), a
// second reverses (▼).
type sortHeader struct {
	titles []string
	spec   *sortSpec
	onSort func()
}

func (h *sortHeader) create() fyne.CanvasObject {
	b := widget.NewButton("", nil)
	b.Alignment = widget.ButtonAlignLeading
	b.Importance = widget.LowImportance
	b.IconPlacement = widget.ButtonIconTrailingText
	return b
}

// update shows column col's title, with the arrow when sorted by it.
func (h *sortHeader) update(col int, o fyne.CanvasObject) {
	b := o.(*widget.Button)
	if col < 0 || col >= len(h.titles) {
		b.SetText("")
		return
	}
	b.Text = h.titles[col]
	b.Icon = nil
	if h.spec.col == col {
		b.Icon = theme.MenuDropUpIcon()
		if h.spec.desc {
			b.Icon = theme.MenuDropDownIcon()
		}
	}
	b.OnTapped = func() { h.sortBy(col) }
	b.Refresh()
}

// sortBy sorts by col, or flips the direction when already sorted by it.
func (h *sortHeader) sortBy(col int) {
	if h.spec.col == col {
		h.spec.desc = !h.spec.desc
	} else {
		*h.spec = sortSpec{col: col}
	}
	h.onSort()
}
