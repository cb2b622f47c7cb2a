package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// socketList is a process's sockets list with, under it, the whole of
// what the chosen socket's state means: the table's column has room for
// the first words only.
func socketList(socks *dataTable[sockRow]) fyne.CanvasObject {
	meaning := widget.NewLabel("Choose a socket to read what its state means, in full.")
	meaning.Wrapping = fyne.TextWrapWord
	meaning.Importance = widget.LowImportance
	socks.onCurrent = func(r *sockRow) {
		if r == nil {
			meaning.Importance = widget.LowImportance
			setText(meaning, "Choose a socket to read what its state means, in full.")
			return
		}
		meaning.Importance = widget.MediumImportance
		setText(meaning, r.cells[scolState].text+": "+r.cells[scolMeaning].text)
	}
	return container.NewBorder(nil, meaning, nil, nil, socks.object())
}
