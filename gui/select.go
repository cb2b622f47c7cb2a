package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// safeSelect is Fyne's Select that opens its list only while Fyne knows
// which window it is in: Fyne 2.7.1 crashes (a nil canvas in the pop-up)
// when a click reaches a select it has lost track of — once, after a
// dialog closed (fyne-io/fyne#5965; fixed after 2.7.1 by #6305). A click
// then does nothing, and the next one works.
type safeSelect struct{ widget.Select }

func newSelect(options []string, changed func(string)) *safeSelect {
	s := &safeSelect{widget.Select{Options: options, OnChanged: changed, PlaceHolder: "(Select one)"}}
	s.ExtendBaseWidget(s)
	return s
}

func (s *safeSelect) known() bool { return fyne.CurrentApp().Driver().CanvasForObject(s) != nil }

// Tapped opens the list, when the window is known.
func (s *safeSelect) Tapped(e *fyne.PointEvent) {
	if s.known() {
		s.Select.Tapped(e)
	}
}

// TypedKey opens the list on Space or Return, when the window is known.
func (s *safeSelect) TypedKey(e *fyne.KeyEvent) {
	if s.known() {
		s.Select.TypedKey(e)
	}
}
