package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Dialogs: every one Loopscope shows goes through here, so that its text
// scrolls inside the dialog instead of running under the buttons,
// dangerous choices are in the danger colour, and Escape closes the one
// on top.

// openDialog is a shown dialog and what closing it with Escape means.
type openDialog struct {
	d           dialog.Dialog
	onDismiss   func()
	title, text string           // for the real-window tests' probe
	buttons     []*widget.Button // likewise
	onClosed    func()           // runs once the dialog has closed, however it closed
}

// dialogs is the stack of shown dialogs; only the UI goroutine touches it.
var dialogs []*openDialog

// dismissTop closes the dialog on top, as its dismiss button would.
func dismissTop() {
	if n := len(dialogs); n > 0 {
		top := dialogs[n-1]
		if top.onDismiss != nil {
			top.onDismiss()
		} else {
			top.d.Hide()
		}
	}
}

// confirmTop presses the highlighted button of a message on top ("OK"),
// as Enter does in a message box. A dialog with a dangerous choice waits
// for a click: Enter must never end a process.
func confirmTop() {
	n := len(dialogs)
	if n == 0 {
		return
	}
	var main *widget.Button
	for _, b := range dialogs[n-1].buttons {
		switch b.Importance {
		case widget.DangerImportance:
			return
		case widget.HighImportance:
			if main != nil {
				return // two highlighted: not a message
			}
			main = b
		}
	}
	if main != nil && main.OnTapped != nil && !main.Disabled() {
		main.OnTapped()
	}
}

// trackDialog puts d on the stack that Escape closes from the top;
// dismiss is what Escape does (nil: hide it). Call it before d.Show.
func trackDialog(w fyne.Window, d dialog.Dialog, title, text string, dismiss func(), buttons []*widget.Button) *openDialog {
	od := &openDialog{d: d, onDismiss: dismiss, title: title, text: text, buttons: buttons}
	prev := w.Canvas().Focused()
	w.Canvas().Unfocus() // so Escape reaches the window, which closes the dialog
	d.SetOnClosed(func() {
		for i, x := range dialogs {
			if x == od {
				dialogs = append(dialogs[:i], dialogs[i+1:]...)
				break
			}
		}
		if prev != nil && len(dialogs) == 0 {
			w.Canvas().Focus(prev) // the keyboard goes back where it was
		}
		if od.onClosed != nil {
			od.onClosed()
		}
	})
	dialogs = append(dialogs, od)
	return od
}

// showDialog shows a dialog with a scrolling text and buttons; onDismiss
// runs when Escape closes it. The first button is the dismissing one.
func showDialog(w fyne.Window, title, text string, onDismiss func(), buttons ...*widget.Button) dialog.Dialog {
	msg := widget.NewLabel(text)
	msg.Wrapping = fyne.TextWrapWord
	msg.Resize(fyne.NewSize(dialogWidth, 0))
	scroll := container.NewVScroll(msg)
	scroll.SetMinSize(fyne.NewSize(dialogWidth, min(msg.MinSize().Height, 360)))
	row := container.NewHBox()
	for _, b := range buttons {
		row.Add(b)
	}
	d := dialog.NewCustomWithoutButtons(title, container.NewBorder(nil, container.NewCenter(row), nil, nil, scroll), w)
	dismiss := onDismiss
	if dismiss == nil {
		dismiss = d.Hide
	} else {
		dismiss = func() { d.Hide(); onDismiss() }
	}
	trackDialog(w, d, title, text, dismiss, buttons)
	d.Show()
	return d
}

// dialogWidth is the width of a dialog's text.
const dialogWidth = 540

// ask shows a question; answer runs once with the choice. A dangerous
// action's button is red.
func ask(w fyne.Window, title, yes, no, text string, danger bool, answer func(bool)) {
	var d dialog.Dialog
	done := false
	reply := func(ok bool) {
		if !done {
			done = true
			d.Hide()
			answer(ok)
		}
	}
	cancel := widget.NewButton(no, func() { reply(false) })
	confirm := widget.NewButton(yes, func() { reply(true) })
	confirm.Importance = widget.HighImportance
	if danger {
		confirm.Importance = widget.DangerImportance
	}
	d = showDialog(w, title, text, func() { reply(false) }, cancel, confirm)
}

// inform shows an outcome, with a button that copies its text.
func inform(w fyne.Window, title, text string) {
	var d dialog.Dialog
	copyBtn := widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), func() { fyne.CurrentApp().Clipboard().SetContent(text) })
	ok := widget.NewButton("OK", func() { d.Hide() })
	ok.Importance = widget.HighImportance
	d = showDialog(w, title, text, nil, copyBtn, ok)
}

// showError tells the user about something they asked for that failed;
// the text says what to do, and can be copied.
func showError(w fyne.Window, err error) { inform(w, "Error", capitalize(err.Error())) }

func capitalize(s string) string {
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		return string(s[0]-'a'+'A') + s[1:]
	}
	return s
}

// progress is a dialog that says what Loopscope is waiting for, with a
// bar that fills as the time runs out. Escape hides it; the wait goes on
// and its outcome still shows.
type progress struct {
	d   dialog.Dialog
	msg *widget.Label
	bar *widget.ProgressBar
}

func showProgress(w fyne.Window, title, text string) *progress {
	p := &progress{msg: widget.NewLabel(text), bar: widget.NewProgressBar()}
	p.bar.TextFormatter = func() string { return "" }
	content := container.NewVBox(p.msg, p.bar)
	p.d = dialog.NewCustomWithoutButtons(title, container.NewGridWrap(fyne.NewSize(dialogWidth, content.MinSize().Height), content), w)
	trackDialog(w, p.d, title, text, nil, nil)
	p.d.Show()
	return p
}

// set shows text, and how much of the wait has passed (0 to 1).
func (p *progress) set(text string, done float64) {
	setText(p.msg, text)
	p.bar.SetValue(done)
}

func (p *progress) hide() { p.d.Hide() }

// option is one button of a choice: its text, colour and action.
type option struct {
	text       string
	importance widget.Importance
	act        func()
}

// choose offers options beside a Cancel button, which Escape presses too.
func choose(w fyne.Window, title, text string, options ...option) {
	var d dialog.Dialog
	buttons := []*widget.Button{widget.NewButton("Cancel", func() { d.Hide() })}
	for _, o := range options {
		b := widget.NewButton(o.text, func() { d.Hide(); o.act() })
		b.Importance = o.importance
		buttons = append(buttons, b)
	}
	d = showDialog(w, title, text, nil, buttons...)
}
