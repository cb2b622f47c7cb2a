package gui

import (
	"errors"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/loopscope/loopscope/netinfo/send"
)

// The body kinds the Body tab offers.
const (
	bodyNone = "None"
	bodyRaw  = "Raw text"
	bodyJSON = "JSON"
	bodyForm = "Form fields"
)

var bodyKinds = []string{bodyNone, bodyRaw, bodyJSON, bodyForm}

// bodyType is the Content-Type added for a body kind, unless the user
// typed one under Headers.
var bodyType = map[string]string{
	bodyRaw:  "text/plain; charset=utf-8",
	bodyJSON: "application/json",
	bodyForm: "application/x-www-form-urlencoded",
}

var bodyPlaceholder = map[string]string{
	bodyRaw:  "Any text, sent as it is",
	bodyJSON: "{\n  \"name\": \"Ada\",\n  \"admin\": true\n}",
	bodyForm: "name=Ada\nrole=admin",
}

const noBodyText = "No body is sent: GET, HEAD and DELETE requests usually have none. Choose JSON, Form fields or Raw text above to send one."

// requestForm is the request side of the panel: headers, body, and the
// certificate option. It checks what is typed as it is typed, so Send is
// never pressed on a request that cannot be built.
type requestForm struct {
	headers  *requestEntry
	headNote *widget.Label // which remembered credentials must be typed again
	body     *requestEntry
	kind     *safeSelect
	kindNote *widget.Label // which Content-Type goes with the body
	noBody   *widget.Label
	insecure *widget.Check
	reason   *widget.Label // why Send is off
	tabs     *container.AppTabs
	inner    *fyne.Container
	obj      *container.Scroll
	headTab  *container.TabItem
	bodyTab  *container.TabItem

	problem  string // the reason, "" when the form can be sent
	onChange func() // the panel: the form changed, and whether it can be sent
}

func newRequestForm(shortcut func(fyne.Shortcut) bool, submit func()) *requestForm {
	f := &requestForm{}
	f.headers = newRequestEntry(shortcut, submit, true)
	f.headers.SetPlaceHolder("One header a line, like\nAccept: application/json\nAuthorization: Bearer abc123")
	f.headNote = widget.NewLabel("")
	f.headNote.Wrapping = fyne.TextWrapWord
	f.headNote.Importance = widget.WarningImportance
	f.headNote.Hide()
	f.body = newRequestEntry(shortcut, submit, true)
	f.body.TextStyle = fyne.TextStyle{Monospace: true}
	f.kindNote = widget.NewLabel("")
	f.kindNote.Importance = widget.LowImportance
	f.kindNote.Truncation = fyne.TextTruncateEllipsis
	f.noBody = widget.NewLabel(noBodyText)
	f.noBody.Importance = widget.LowImportance
	f.noBody.Wrapping = fyne.TextWrapWord
	f.kind = newSelect(bodyKinds, func(string) { f.changed() })
	f.insecure = widget.NewCheck("Skip certificate check (self-signed local HTTPS)", nil)
	f.reason = widget.NewLabel("")
	f.reason.Importance = widget.DangerImportance
	f.reason.Wrapping = fyne.TextWrapWord
	f.reason.Hide()
	f.headers.OnChanged = func(string) {
		if f.headNote.Visible() {
			f.headNote.Hide()
		}
		f.changed()
	}
	f.body.OnChanged = func(string) { f.changed() }
	f.build()
	f.kind.SetSelected(bodyNone)
	return f
}

func (f *requestForm) build() {
	kindRow := container.NewBorder(nil, nil, widget.NewLabel("Send as"), nil, container.NewBorder(nil, nil, f.kind, nil, f.kindNote))
	f.headTab = container.NewTabItem("Headers", container.NewBorder(f.headNote, nil, nil, nil, f.headers))
	f.bodyTab = container.NewTabItem("Body", container.NewBorder(kindRow, nil, nil, nil, container.NewStack(f.body, f.noBody)))
	f.tabs = container.NewAppTabs(f.headTab, f.bodyTab)
	f.inner = container.NewBorder(nil, container.NewVBox(f.reason, f.insecure), nil, nil, f.tabs)
	// In a scroll, the side fills the room it gets and scrolls when it
	// gets less than it needs: at 800x500 the panel is a strip.
	f.obj = container.NewScroll(f.inner)
}

func (f *requestForm) object() fyne.CanvasObject { return f.obj }

// changed checks the form again, shows what is wrong and tells the panel.
func (f *requestForm) changed() {
	if f.kind == nil || f.tabs == nil {
		return // still being built
	}
	kind := f.kind.Selected
	show(f.body, kind != bodyNone)
	show(f.noBody, kind == bodyNone)
	if ph := bodyPlaceholder[kind]; f.body.PlaceHolder != ph {
		f.body.SetPlaceHolder(ph)
	}
	hs, body, err := f.parts()
	f.problem = ""
	if err != nil {
		f.problem = safeLong(err.Error())
	}
	if f.reason.Text != f.problem {
		setText(f.reason, f.problem)
		show(f.reason, f.problem != "")
		relayout(f.inner) // the reason's lines came or went
	}
	setText(f.kindNote, f.typeNote(hs, body))
	f.setTitles(len(hs), kind, err)
	if f.onChange != nil {
		f.onChange()
	}
}

// typeNote says which Content-Type the body goes with.
func (f *requestForm) typeNote(hs []send.Header, body []byte) string {
	kind := f.kind.Selected
	if kind == bodyNone {
		return ""
	}
	for _, h := range hs {
		if strings.EqualFold(h.Name, "Content-Type") {
			return "Content-Type from Headers: " + safe(h.Value)
		}
	}
	if len(body) == 0 && f.problem == "" {
		return "Empty: no body is sent"
	}
	return "adds Content-Type: " + bodyType[kind]
}

// setTitles names the tabs with what they hold, and marks the wrong one.
func (f *requestForm) setTitles(headers int, kind string, err error) {
	head, body := "Headers", "Body"
	if headers > 0 {
		head += " (" + strconv.Itoa(headers) + ")"
	}
	if kind != bodyNone {
		body += " · " + kind
	}
	var fe *formError
	errors.As(err, &fe)
	headWrong, bodyWrong := fe != nil && fe.tab == "Headers", fe != nil && fe.tab == "Body"
	if f.headTab.Text != head || f.bodyTab.Text != body || (f.headTab.Icon != nil) != headWrong || (f.bodyTab.Icon != nil) != bodyWrong {
		f.headTab.Text, f.bodyTab.Text = head, body
		f.headTab.Icon, f.bodyTab.Icon = iconIf(headWrong), iconIf(bodyWrong)
		f.tabs.Refresh()
	}
}

// iconIf is the mark of a tab with a mistake in it.
func iconIf(wrong bool) fyne.Resource {
	if wrong {
		return theme.ErrorIcon()
	}
	return nil
}

// formError is a mistake in one tab of the form.
type formError struct {
	tab string
	err error
}

func (e *formError) Error() string { return e.tab + ", " + e.err.Error() }
func (e *formError) Unwrap() error { return e.err }

// parts parses the headers and the body; Content-Type is not added yet.
func (f *requestForm) parts() ([]send.Header, []byte, error) {
	hs, err := send.ParseHeaders(f.headers.Text)
	if err != nil {
		return nil, nil, &formError{"Headers", err}
	}
	var body []byte
	switch f.kind.Selected {
	case bodyRaw:
		body = []byte(f.body.Text)
	case bodyJSON:
		body, err = send.JSONBody(f.body.Text)
	case bodyForm:
		var fields []send.Field
		if fields, err = send.ParseFields(f.body.Text); err == nil && len(fields) > 0 {
			body = send.FormBody(fields)
		}
	}
	if err != nil {
		return hs, nil, &formError{"Body", err}
	}
	return hs, body, nil
}

// request is the request the form describes, with the Content-Type of
// its body kind added unless the user gave one.
func (f *requestForm) request(method, url string) (send.Request, error) {
	hs, body, err := f.parts()
	if err != nil {
		return send.Request{}, err
	}
	if len(body) > 0 && !formHasHeader(hs, "Content-Type") {
		hs = append(hs, send.Header{Name: "Content-Type", Value: bodyType[f.kind.Selected]})
	}
	return send.Request{Method: method, URL: url, Headers: hs, Body: body, Insecure: f.insecure.Checked}, nil
}

func formHasHeader(hs []send.Header, name string) bool {
	for _, h := range hs {
		if strings.EqualFold(h.Name, name) {
			return true
		}
	}
	return false
}

// requestEntry is an entry of the panel. A plain Entry with the focus
// takes every shortcut, so the window's own (Ctrl+1…9, Ctrl+Tab) would do
// nothing while the user types; this one passes them on, and Ctrl+Enter
// sends the request from any of the panel's boxes.
type requestEntry struct {
	widget.Entry
	window func(fyne.Shortcut) bool
	submit func()
}

func newRequestEntry(window func(fyne.Shortcut) bool, submit func(), multiLine bool) *requestEntry {
	e := &requestEntry{window: window, submit: submit}
	e.MultiLine = multiLine
	if multiLine {
		e.Wrapping = fyne.TextWrapOff
		e.SetMinRowsVisible(2)
	}
	e.ExtendBaseWidget(e)
	return e
}

// TypedShortcut sends on Ctrl+Enter, gives the window its shortcuts and
// the Entry the rest (copy, paste, select all).
func (e *requestEntry) TypedShortcut(s fyne.Shortcut) {
	if cs, ok := s.(*desktop.CustomShortcut); ok {
		if (cs.KeyName == fyne.KeyReturn || cs.KeyName == fyne.KeyEnter) && cs.Modifier == fyne.KeyModifierShortcutDefault {
			if e.submit != nil {
				e.submit()
			}
			return
		}
		if e.window != nil && e.window(s) {
			return
		}
	}
	e.Entry.TypedShortcut(s)
}
