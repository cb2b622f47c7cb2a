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
// column: a first tap sorts ascending, a second reverses.
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

func (h *sortHeader) update(id widget.TableCellID, o fyne.CanvasObject) {
	b := o.(*widget.Button)
	if id.Col < 0 || id.Col >= len(h.titles) {
		b.SetText("")
		return
	}
	col := id.Col
	b.Text = h.titles[col]
	b.Icon = nil
	if h.spec.col == col {
		b.Icon = theme.MenuDropDownIcon()
		if h.spec.desc {
			b.Icon = theme.MenuDropUpIcon()
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
