package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
)

// showError tells the user about something they just asked for that failed.
func showError(w fyne.Window, err error) {
	dialog.ShowError(err, w)
}
