package gui

import (
	"math"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// keyTable is Fyne's table with the keys a list needs: its own TypedKey
// moves a focus marker that selects nothing; this one lets the dataTable
// move the selection first.
type keyTable struct {
	widget.Table
	onKey func(*fyne.KeyEvent) bool
}

func newKeyTable(onKey func(*fyne.KeyEvent) bool) *keyTable {
	t := &keyTable{onKey: onKey}
	t.ShowHeaderRow = true
	t.ExtendBaseWidget(t)
	return t
}

// FocusGained and FocusLost leave out Fyne's focus marker: it marks a
// cell of its own choosing, which the selection (the dataTable's) does
// not move, so it lit a row the selection had left. The selected rows
// show where the keys act; the hover marker still follows the mouse.
func (t *keyTable) FocusGained() {}
func (t *keyTable) FocusLost()   {}

// TypedKey gives the key to the dataTable, then to Fyne's table.
func (t *keyTable) TypedKey(e *fyne.KeyEvent) {
	if t.onKey != nil && t.onKey(e) {
		return
	}
	t.Table.TypedKey(e)
}

// fitLayout tells its owner the width it lays its one object out at, so
// the table can fit its columns to it before it is drawn; onResize, when
// set, does the resize (so that it can look at the table before and
// after).
type fitLayout struct {
	onWidth  func(float32)
	onResize func(size fyne.Size, resize func())
}

func (l *fitLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	l.onWidth(size.Width)
	resize := func() {
		for _, o := range objects {
			o.Move(fyne.NewPos(0, 0))
			o.Resize(size)
		}
	}
	if l.onResize == nil {
		resize()
		return
	}
	l.onResize(size, resize)
}

// keepCurrent resizes the table, and keeps the current row in view when
// a smaller table would hide it (a window made smaller left the chosen
// packet out of sight, the details still showing it).
func (t *dataTable[R]) keepCurrent(size fyne.Size, resize func()) {
	row := t.indexOf(t.current)
	keep := row >= 0 && size.Height < t.widget.Size().Height && t.rowInView(row)
	resize()
	if keep {
		t.reveal(row)
	}
}

func (l *fitLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	return fyne.NewSize(120, objects[0].MinSize().Height)
}

// fit chooses the columns a width can show and stretches them to it: the
// columns with the highest drop go first when the width is too narrow,
// and what is left over goes to the columns that grow.
func (t *dataTable[R]) fit(width float32) {
	if width <= 0 || width == t.width {
		return
	}
	t.width = width
	pad := theme.Padding()
	avail := width - theme.ScrollBarSize() // the vertical scroll bar must not cover the last column
	vis := make([]int, len(t.spec.columns))
	for i := range vis {
		vis[i] = i
	}
	need := func() float32 {
		var sum float32
		for _, c := range vis {
			sum += t.columnWidth(c) + pad
		}
		return sum
	}
	for need() > avail {
		i := dropCandidate(t.spec.columns, vis)
		if i < 0 {
			break
		}
		vis = slices.Delete(vis, i, i+1)
	}
	var grow float32
	for _, c := range vis {
		grow += t.spec.columns[c].grow
	}
	spare := max(avail-need(), 0)
	for i, c := range vis {
		w := t.columnWidth(c)
		if grow > 0 {
			w += spare * t.spec.columns[c].grow / grow
		}
		if i == len(vis)-1 {
			// The rows' tints reach the window's edge; the cells keep
			// their text out from under the scroll bar (tableCell.reserve).
			w += theme.ScrollBarSize() - 1
		}
		t.widget.SetColumnWidth(i, w)
	}
	if !slices.Equal(vis, t.vis) {
		t.vis = vis
		t.widget.Refresh()
	}
}

// columnWidth is the width column c needs: what its cells need, or its
// title with the sort arrow after it, bold, whichever is wider (a sorted
// Length read "Le… ▼").
func (t *dataTable[R]) columnWidth(c int) float32 {
	col := t.spec.columns[c]
	return max(col.width, float32(math.Ceil(float64(sortedTitleWidth(col.title)))))
}

// dropCandidate is the index in vis of the column to drop first, or -1.
func dropCandidate(cols []column, vis []int) int {
	best := -1
	for i, c := range vis {
		if cols[c].drop > 0 && (best < 0 || cols[c].drop > cols[vis[best]].drop) {
			best = i
		}
	}
	return best
}
