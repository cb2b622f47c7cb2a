package gui

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// detailsPanel is the panel under a table: a header that stays put (a
// title and the row's actions) and below it, scrolling, the sentence that
// matters most, a note, and a form of "Name  value" rows. A hint shows
// while no row is selected.
type detailsPanel struct {
	hint    *widget.Label
	title   *widget.Label
	lead    *widget.Label // the one sentence that matters most
	note    *widget.Label // a warning, when there is one
	fields  map[string]*widget.Label
	actions []*widget.Button
	body    *fyne.Container
	scroll  *container.Scroll // the body below the title and actions
	obj     fyne.CanvasObject

	// The glossary's words for the row, a click each (Fyne has no
	// tooltips): openTerm opens the glossary on one; nil shows none.
	openTerm  func(term string)
	terms     *fyne.Container
	termsShow []string
}

// newDetailsPanel builds a panel with form rows named names; long names
// (paths, command lines) break anywhere, the rest between words.
func newDetailsPanel(hint string, names, long []string, actions ...*widget.Button) *detailsPanel {
	d := &detailsPanel{fields: map[string]*widget.Label{}, actions: actions}
	d.hint = widget.NewLabel(hint)
	d.hint.Wrapping = fyne.TextWrapWord
	d.hint.Importance = widget.LowImportance
	d.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	d.title.Truncation = fyne.TextTruncateEllipsis
	d.lead = widget.NewLabel("")
	d.lead.Wrapping = fyne.TextWrapWord
	d.lead.Hide()
	d.note = widget.NewLabel("")
	d.note.Wrapping = fyne.TextWrapWord
	d.note.Importance = widget.WarningImportance
	d.note.Hide()
	form := container.New(layout.NewFormLayout())
	for _, n := range names {
		val := widget.NewLabel("")
		val.Wrapping = fyne.TextWrapWord
		for _, l := range long {
			if l == n {
				val.Wrapping = fyne.TextWrapBreak
			}
		}
		val.Selectable = true
		d.fields[n] = val
		form.Add(widget.NewLabelWithStyle(n, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
		form.Add(val)
	}
	buttons := container.NewHBox()
	for _, b := range actions {
		buttons.Add(b)
	}
	// Only the title and the actions stay put: everything else scrolls, so
	// a long sentence never makes the panel (and the window) taller.
	head := container.NewBorder(nil, nil, nil, buttons, d.title)
	d.terms = newFlow()
	d.terms.Hide()
	d.scroll = container.NewVScroll(container.NewVBox(d.lead, d.note, form, d.terms))
	d.body = container.NewBorder(head, nil, nil, nil, d.scroll)
	d.body.Hide()
	d.obj = container.NewPadded(container.NewStack(d.hint, d.body))
	return d
}

// object is the panel, for a tab's layout.
func (d *detailsPanel) object() fyne.CanvasObject { return d.obj }

// clear shows the hint.
func (d *detailsPanel) clear() {
	d.body.Hide()
	d.hint.Show()
}

// show shows the body with its title; set the fields first.
func (d *detailsPanel) show(title string) {
	if title != d.title.Text {
		d.scroll.ScrollToTop() // another row: its first lines say the most
	}
	setText(d.title, title)
	if d.body.Visible() {
		return
	}
	d.hint.Hide()
	d.body.Show()
	d.body.Refresh()
}

// setLead sets the sentence under the title and its colour; "" hides it.
func (d *detailsPanel) setLead(text string, importance widget.Importance) {
	if d.lead.Text == text && d.lead.Importance == importance && d.lead.Hidden == (text == "") {
		return
	}
	d.lead.Importance = importance
	d.lead.SetText(text)
	d.lead.Hidden = text == ""
	d.lead.Refresh()
}

// setNote sets the warning under the lead; "" hides it.
func (d *detailsPanel) setNote(text string) {
	if d.note.Text == text && d.note.Hidden == (text == "") {
		return
	}
	d.note.SetText(text)
	d.note.Hidden = text == ""
	d.note.Refresh()
}

func (d *detailsPanel) set(name, value string) { setText(d.fields[name], value) }

// setTerms links the glossary's words for the row shown.
func (d *detailsPanel) setTerms(terms ...string) {
	if d.openTerm == nil || slices.Equal(terms, d.termsShow) {
		return
	}
	d.termsShow = slices.Clone(terms)
	d.terms.RemoveAll()
	d.terms.Hidden = len(terms) == 0
	if len(terms) > 0 {
		d.terms.Add(widget.NewLabel("In the glossary:"))
	}
	for _, t := range terms {
		b := widget.NewButtonWithIcon(t, theme.HelpIcon(), func() { d.openTerm(t) })
		b.Importance = widget.LowImportance
		d.terms.Add(b)
	}
	d.terms.Refresh()
}

// focusFirstAction moves the keyboard focus to the first enabled action,
// so Enter on a row leads to what can be done with it.
func (d *detailsPanel) focusFirstAction(c fyne.Canvas) {
	for _, b := range d.actions {
		if !b.Disabled() && b.Visible() {
			c.Focus(b)
			return
		}
	}
}

// setText sets a label's text when it changed: laying text out again is
// what a refresh costs most.
func setText(l *widget.Label, text string) {
	if l.Text != text {
		l.SetText(text)
	}
}

// withNote adds a note to a status line.
func withNote(status, note string) string {
	if note == "" {
		return status
	}
	return status + " · " + note
}
