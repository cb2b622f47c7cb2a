package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
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

func (h *sortHeader) create() fyne.CanvasObject { return newHeaderButton() }

// update shows column col's title, with the arrow when sorted by it.
// Fyne's table asks again at every scroll — ten times a second under a
// packet flood — and a button's refresh decodes its icon anew, so an
// unchanged header is left alone.
func (h *sortHeader) update(col int, o fyne.CanvasObject) {
	b := o.(*headerButton)
	if col < 0 || col >= len(h.titles) {
		b.col, b.Text = -1, ""
		b.Refresh()
		return
	}
	var icon fyne.Resource
	if h.spec.col == col {
		icon = theme.MenuDropUpIcon()
		if h.spec.desc {
			icon = theme.MenuDropDownIcon()
		}
	}
	if b.col == col && b.Text == h.titles[col] && sameIcon(b.Icon, icon) {
		return
	}
	b.col, b.Text, b.Icon = col, h.titles[col], icon
	b.OnTapped = func() { h.sortBy(col) }
	b.Refresh()
}

// sameIcon reports whether two icons are the same resource (a theme's
// icons are new values at each call, with the same name).
func sameIcon(a, b fyne.Resource) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Name() == b.Name()
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
