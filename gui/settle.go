package gui

import "fyne.io/fyne/v2"

// minSizer is what Fyne's desktop canvas does at the start of each
// frame: lay out again whatever's minimum size changed since the last.
type minSizer interface{ EnsureMinSize() bool }

// settleLayout does now, on the UI goroutine, the layout the next frame
// would start with. A table whose length changed asks a new minimum
// size; laid out inside the frame, it refreshes its header, which marks
// the window for a second frame straight after the first: under a
// capture, each batch that made the table longer was drawn twice, 30–50
// ms each in a window drawn in software. Settled here, the frame finds
// nothing to lay out, and draws once.
func settleLayout(o fyne.CanvasObject) {
	c := fyne.CurrentApp().Driver().CanvasForObject(o)
	m, ok := c.(minSizer)
	if !ok || !m.EnsureMinSize() {
		return
	}
	// The window's content now asks more than it has: what the frame
	// would have done, grow the window to fit.
	for _, w := range fyne.CurrentApp().Driver().AllWindows() {
		if w.Canvas() == c {
			w.Resize(w.Canvas().Size().Max(w.Content().MinSize()))
		}
	}
}
