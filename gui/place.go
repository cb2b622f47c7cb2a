package gui

import "fyne.io/fyne/v2"

// place moves and sizes o, touching only what changes. Fyne's container
// repaints the window at every Move, even to where it already is; when
// the frame lays a widget out again because a text in it changed width,
// that repaint made Fyne draw the whole window a second time.
func place(o fyne.CanvasObject, pos fyne.Position, size fyne.Size) {
	if o.Position() != pos {
		o.Move(pos)
	}
	if o.Size() != size {
		o.Resize(size)
	}
}
