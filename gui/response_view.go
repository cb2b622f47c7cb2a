package gui

import (
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// responseView is the response side of the panel: a status line over the
// answer's tabs (Body, Headers, Raw, Timing), or a hint before the first
// request, a spinner while one runs, and the reason when one fails.
type responseView struct {
	badge   *statusBadge
	summary *widget.Label
	hint    *widget.Label
	wait    *widget.Activity
	waitMsg *widget.Label
	waiting fyne.CanvasObject
	failure *widget.Label
	failBox fyne.CanvasObject
	tabs    *container.AppTabs
	copyBtn *widget.Button // copies what the shown tab shows
	head    fyne.CanvasObject

	body     *bodyView
	headers  *fyne.Container // name, value, name, value…
	headNote *widget.Label
	headTab  *container.TabItem
	raw      *textView
	rawNote  *widget.Label
	timing   *timingView

	shown *shownResponse // what the tabs show; nil before the first answer
	box   *fyne.Container
	obj   fyne.CanvasObject
}

func newResponseView(copyText func(string)) *responseView {
	v := &responseView{badge: newStatusBadge(), summary: widget.NewLabel("")}
	v.summary.Truncation = fyne.TextTruncateEllipsis
	v.hint = widget.NewLabel("Press Send: the answer shows here — its status, headers and body, the bytes on the wire, and where the time went.")
	v.hint.Wrapping = fyne.TextWrapWord
	v.hint.Importance = widget.LowImportance
	v.hint.Alignment = fyne.TextAlignCenter
	v.wait = widget.NewActivity()
	v.waitMsg = widget.NewLabel("")
	v.waitMsg.Alignment = fyne.TextAlignCenter
	v.waiting = container.NewCenter(container.NewVBox(v.wait, v.waitMsg))
	v.failure = widget.NewLabel("")
	v.failure.Wrapping = fyne.TextWrapWord
	v.failure.Selectable = true
	v.failBox = container.NewVScroll(container.NewBorder(nil, nil, container.NewVBox(widget.NewIcon(theme.ErrorIcon())), nil, v.failure))
	v.body = newBodyView()
	v.headers = container.New(layout.NewFormLayout())
	v.headNote = captionNote("")
	v.raw = newTextView()
	v.rawNote = captionNote(rawIntro)
	v.timing = newTimingView()
	v.headTab = container.NewTabItem("Headers", container.NewVScroll(container.NewVBox(v.headNote, v.headers)))
	v.tabs = container.NewAppTabs(
		container.NewTabItem("Body", v.body.object()),
		v.headTab,
		container.NewTabItem("Raw", container.NewBorder(v.rawNote, nil, nil, nil, v.raw)),
		container.NewTabItem("Timing", v.timing.object()),
	)
	v.copyBtn = widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), func() { copyText(v.tabText()) })
	v.copyBtn.Importance = widget.LowImportance
	v.head = container.NewBorder(nil, nil, v.badge, v.copyBtn, v.summary)
	v.box = container.NewBorder(v.head, nil, nil, nil, container.NewStack(container.NewPadded(v.hint), v.waiting, v.failBox, v.tabs))
	v.obj = v.box
	v.showOnly(v.hint)
	return v
}

func (v *responseView) object() fyne.CanvasObject { return v.obj }

// rawIntro explains the Raw tab.
const rawIntro = "The bytes as they went over the connection (after TLS decryption for https). Each HTTP header line ends with CR LF (\\r\\n), shown here as a line break; other control bytes show escaped, like \\x1b."

// showOnly shows one of the hint, the spinner, the failure and the tabs.
func (v *responseView) showOnly(o fyne.CanvasObject) {
	for _, x := range []fyne.CanvasObject{v.hint, v.waiting, v.failBox, v.tabs} {
		show(x, x == o)
	}
	show(v.head, o == v.failBox || o == v.tabs)
	if o == v.waiting {
		v.wait.Start()
	} else {
		v.wait.Stop()
	}
	relayout(v.box) // the status line came or went
}

// sending shows that a request is on its way to addr.
func (v *responseView) sending(addr string) {
	setText(v.waitMsg, "Waiting for "+safe(addr)+"…  Cancel stops it.")
	v.showOnly(v.waiting)
}

// canceled shows that the user canceled the request.
func (v *responseView) canceled() {
	v.set(&shownResponse{failure: capitalize(canceledText), status: "Canceled", tone: widget.WarningImportance})
}

// set shows an answer, or why there is none.
func (v *responseView) set(s *shownResponse) {
	v.badge.set(s.status, s.tone)
	if s.failure != "" {
		setText(v.summary, "No answer")
		setText(v.failure, s.failure)
		v.copyBtn.Hide()
		v.showOnly(v.failBox)
		return
	}
	v.copyBtn.Show()
	v.shown = s
	setText(v.summary, s.summary)
	v.body.set(s)
	v.setHeaders(s)
	v.raw.SetText(s.raw, 0, strings.Count(s.rawReq, "\n")+3)
	setText(v.rawNote, strings.TrimSpace(rawIntro+" "+s.rawNote))
	v.timing.set(s.timing)
	v.showOnly(v.tabs)
}

func (v *responseView) setHeaders(s *shownResponse) {
	v.headers.RemoveAll()
	for _, h := range s.headers {
		name := widget.NewLabelWithStyle(h[0], fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
		value := widget.NewLabel(h[1])
		value.Wrapping = fyne.TextWrapBreak
		value.Selectable = true
		v.headers.Add(name)
		v.headers.Add(value)
	}
	v.headers.Refresh()
	setText(v.headNote, s.headersNote)
	show(v.headNote, s.headersNote != "")
	if title := "Headers (" + strconv.Itoa(len(s.headers)) + ")"; v.headTab.Text != title {
		v.headTab.Text = title
		v.tabs.Refresh() // draws every tab again: only when the title changed
	}
}

// relayout places c's objects again after one was shown or hidden,
// without what Container.Refresh also does: refresh, and so measure
// again, every text inside.
func relayout(c *fyne.Container) {
	c.Layout.Layout(c.Objects, c.Size())
	canvas.Refresh(c)
}

// captionNote is a small label that explains a tab, or says what of it
// is not shown; it is hidden while it has no text.
func captionNote(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	l.SizeName = theme.SizeNameCaptionText
	show(l, text != "")
	return l
}

// tabText is what Copy copies: the whole of what the shown tab shows —
// the body as it came (pretty-printed), the headers as lines, the raw
// bytes as shown, or the timings as a table.
func (v *responseView) tabText() string {
	s := v.shown
	if s == nil {
		return ""
	}
	switch v.tabs.SelectedIndex() {
	case 0:
		return s.bodyCopy
	case 1:
		return s.headersCopy
	case 2:
		return v.raw.Text()
	}
	var b strings.Builder
	for _, t := range s.timing {
		fmt.Fprintf(&b, "%-9s %10s  %s\n", t.name, stepTime(t.d), t.why)
	}
	return b.String()
}
