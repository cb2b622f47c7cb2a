package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
)

// flowLayout places objects in rows, left to right, wrapping where the
// width ends. Fyne's RowWrapLayout asks, once laid out, for the width it
// was last given, so a window that was wide can never be made narrow
// again; this one asks only for its widest object's width.
type flowLayout struct {
	height float32 // the height the last layout took
}

func newFlow(objects ...fyne.CanvasObject) *fyne.Container {
	return container.New(&flowLayout{}, objects...)
}

func (l *flowLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	gap := float32(4)
	x, y, rowH := float32(0), float32(0), float32(0)
	for _, o := range objects {
		if !o.Visible() {
			continue
		}
		m := o.MinSize()
		if x > 0 && x+m.Width > size.Width {
			x, y, rowH = 0, y+rowH+gap, 0
		}
		o.Move(fyne.NewPos(x, y))
		o.Resize(m)
		x += m.Width + gap
		rowH = max(rowH, m.Height)
	}
	l.height = y + rowH
}

func (l *flowLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var w, h float32
	for _, o := range objects {
		if o.Visible() {
			m := o.MinSize()
			w, h = max(w, m.Width), max(h, m.Height)
		}
	}
	return fyne.NewSize(w, max(h, l.height))
}
