package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// serversLayout stacks the servers table over the selected server's
// details. The table is as tall as its rows (two when there are none, so
// the "no server yet" message fits) but never much more than half:
// people run one to three servers, and the room is better spent on the
// details — the URL, who can reach it, the command that does the same.
type serversLayout struct {
	rows func() int // how many servers the table shows
}

func (l serversLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	table, details := objects[0], objects[1]
	h := min(l.tableHeight(), size.Height*0.62)
	h = max(h, min(table.MinSize().Height, size.Height))
	table.Move(fyne.NewPos(0, 0))
	table.Resize(fyne.NewSize(size.Width, h))
	details.Move(fyne.NewPos(0, h))
	details.Resize(fyne.NewSize(size.Width, size.Height-h))
}

// tableHeight is the header and the rows, and a little room under them
// (theme padding: a row cut by a pixel would look scrollable).
func (l serversLayout) tableHeight() float32 {
	// Fyne's table puts a padding-wide separator between rows.
	row := rowHeight()
	n := l.rows()
	if n == 0 {
		n = 2
	}
	return row*float32(1+n) + 2*theme.Padding()
}

func (l serversLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	t, d := objects[0].MinSize(), objects[1].MinSize()
	return fyne.NewSize(max(t.Width, d.Width), t.Height+d.Height)
}
