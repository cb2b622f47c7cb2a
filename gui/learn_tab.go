package gui

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// learnView is the Learn tab: the lessons on the left, the open one on
// the right. Lessons act on this machine (servers, connections, captures
// on loopback) only when the learner presses a step's button.
type learnView struct {
	*shell
	ctx    context.Context // the window's
	lab    *lab
	prefs  prefs
	follow func(lessonLink) // shows where a step's result is in the window

	index   []*widget.Button // one per lesson
	restart *widget.Button
	next    *widget.Button
	holder  *fyne.Container // holds the open lesson's page
	page    *lessonPage
	cur     int
	passed  map[int]bool
	statusL *widget.Label
	obj     fyne.CanvasObject
}

func newLearnView(sh *shell, ctx context.Context, l *lab, p prefs) *learnView {
	v := &learnView{shell: sh, ctx: ctx, lab: l, prefs: p, passed: p.lessonsPassed(), statusL: widget.NewLabel("")}
	v.statusL.Truncation = fyne.TextTruncateEllipsis
	v.build()
	return v
}

func (v *learnView) build() {
	list := container.NewVBox(widget.NewLabelWithStyle("Lessons", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	for i := range lessonMakers {
		b := widget.NewButton("", func() { v.open(i) })
		b.Alignment = widget.ButtonAlignLeading
		v.index = append(v.index, b)
		list.Add(b)
	}
	v.restart = widget.NewButtonWithIcon("Start this lesson over", theme.ViewRefreshIcon(), func() { v.open(v.cur) })
	v.next = widget.NewButtonWithIcon("Next lesson", theme.NavigateNextIcon(), func() { v.open(v.cur + 1) }) // disabled on the last
	note := wrapped("Each lesson runs on this machine: its servers show in Local Servers while it is open, and stop when you leave it.")
	side := container.NewBorder(list, container.NewVBox(v.restart, v.next), nil, nil, container.NewVScroll(note))
	v.holder = container.NewStack()
	split := container.NewHSplit(side, v.holder)
	split.Offset = 0.24
	v.obj = split
	v.open(0)
}

// open shows lesson i from its start; the lesson that was open stops
// what it started.
func (v *learnView) open(i int) {
	if v.page != nil {
		v.page.cancel()
		// The keyboard may be on the old page's field or button: left
		// there, Fyne would complain that it is no longer in the window.
		if c := v.w.Canvas(); c.Focused() != nil {
			c.Unfocus()
		}
	}
	v.lab.reset()
	v.cur = i
	v.page = newLessonPage(v, lessonMakers[i](v.lab))
	if i == len(lessonMakers)-1 {
		v.next.Disable() // the last: nowhere further to go
	} else {
		v.next.Enable()
	}
	v.holder.Objects = []fyne.CanvasObject{v.page.obj}
	v.holder.Refresh()
	v.updateIndex()
	v.updateStatus()
}

// markPassed records that the open lesson's check passed.
func (v *learnView) markPassed() {
	if v.passed[v.cur] {
		return
	}
	v.passed[v.cur] = true
	v.prefs.setLessonPassed(v.passed)
	v.updateIndex()
	v.updateStatus()
}

// updateIndex marks the open lesson and the ones whose check passed.
func (v *learnView) updateIndex() {
	for i, b := range v.index {
		text := fmt.Sprintf("%d. %s", i+1, lessonTitles[i])
		if v.passed[i] {
			text += "  ✓"
		}
		b.SetText(text)
		b.Importance = widget.LowImportance
		if i == v.cur {
			b.Importance = widget.HighImportance
		}
		b.Refresh()
	}
}

func (v *learnView) updateStatus() {
	p := v.page
	s := fmt.Sprintf("Lesson %d of %d · %d of %d steps done", v.cur+1, len(lessonMakers), p.ran, len(p.l.steps))
	if p.running {
		s += " · running…"
	}
	s += fmt.Sprintf(" · %d of %d passed", len(v.passed), len(lessonMakers))
	setText(v.statusL, s)
}

// LessonTitles are the Learn tab's lessons, in order.
func LessonTitles() []string { return slices.Clone(lessonTitles) }

// lessonTitles are the lessons' titles, for the index: made once, from
// lessons that did nothing yet.
var lessonTitles = func() []string {
	var out []string
	for _, m := range lessonMakers {
		out = append(out, m(&lab{}).title)
	}
	return out
}()

func (v *learnView) title() string              { return tabTitles[4][1] }
func (v *learnView) name() string               { return tabTitles[4][0] }
func (v *learnView) icon() fyne.Resource        { return theme.HelpIcon() }
func (v *learnView) content() fyne.CanvasObject { return v.obj }
func (v *learnView) status() fyne.CanvasObject  { return v.statusL }

// run reads nothing on a timer: a lesson acts when its buttons are
// pressed. It only says the tab is ready when shown.
func (v *learnView) run(ctx context.Context, _ func() time.Duration, kick <-chan struct{}, active func() bool) {
	for {
		select {
		case <-ctx.Done():
			v.lab.reset()
			return
		case <-kick:
			if active() {
				v.ready()
			}
		}
	}
}

func (v *learnView) focusFilter(c fyne.Canvas) { v.focusTable(c) }
func (v *learnView) focusTable(c fyne.Canvas)  { c.Focus(v.index[v.cur]) }
func (v *learnView) typedKey(*fyne.KeyEvent)   {}
func (v *learnView) selectAll()                {}
func (v *learnView) selectPort(uint16) bool    { return false }

// copySelection copies the open lesson, with what its steps found.
func (v *learnView) copySelection() bool { v.copy(v.page.text()); return true }
func (v *learnView) copyAllShown()       { v.copy(v.page.text()) }

func (v *learnView) export() {
	inform(v.w, "Nothing to export", "A lesson has no table to export. Ctrl+C copies the open lesson as text, with what its steps found.")
}

// buttons are the tab's enabled buttons, for the probe.
func (v *learnView) buttons() []*widget.Button {
	out := append([]*widget.Button{}, v.index...)
	out = append(out, v.restart, v.next, v.page.checkB)
	out = append(out, v.page.buttons...)
	return append(out, v.page.links...)
}

// probe tells the real-window tests the open lesson, what its steps
// found, the check's verdict, and where its answer field and choices are.
func (v *learnView) probe(st *probeState, abs func(fyne.CanvasObject) fyne.Position, scale float32) {
	p := v.page
	st.Status = v.statusL.Text
	st.Details = p.l.title
	st.Extra = map[string]string{"results": strings.Join(p.texts, "\n"), "ran": strconv.Itoa(p.ran)}
	if p.verdict.Visible() {
		st.Extra["verdict"] = p.verdict.Text
	}
	at := func(o fyne.CanvasObject) string {
		a, s := abs(o), o.Size()
		return fmt.Sprintf("%.0f,%.0f", (a.X+s.Width/2)*scale, (a.Y+s.Height/2)*scale)
	}
	if p.answer != nil {
		st.Extra["answer_at"] = at(p.answer)
	}
	if p.choice != nil {
		for i, c := range p.l.check.choices {
			// A radio group's items are laid out one under another, in order.
			a, s := abs(p.choice), p.choice.Size()
			h := s.Height / float32(len(p.l.check.choices))
			st.Extra["choice:"+c] = fmt.Sprintf("%.0f,%.0f", (a.X+20)*scale, (a.Y+h*(float32(i)+0.5))*scale)
		}
	}
}

// RunLesson opens lesson n (1 for the first) on the Learn tab and runs
// its steps, for `loopscope screenshot --lesson N`. Call it off the UI
// goroutine.
func (u *UI) RunLesson(n int) error {
	if n < 1 || n > len(lessonMakers) {
		return fmt.Errorf("no lesson %d; the lessons are 1 to %d", n, len(lessonMakers))
	}
	var p *lessonPage
	fyne.DoAndWait(func() {
		u.tabs.SelectIndex(u.viewIndex("Learn"))
		u.learn.open(n - 1)
		p = u.learn.page
	})
	for i := range p.l.steps {
		fyne.DoAndWait(func() { p.runStep(i) })
		deadline := time.Now().Add(10 * time.Second)
		for done := false; !done; {
			time.Sleep(50 * time.Millisecond)
			fyne.DoAndWait(func() { done = !p.running })
			if time.Now().After(deadline) {
				return fmt.Errorf("lesson %d: step %d did not finish", n, i+1)
			}
		}
		var failed string
		fyne.DoAndWait(func() {
			if p.ran != i+1 {
				failed = p.texts[i]
			}
		})
		if failed != "" {
			return fmt.Errorf("lesson %d, step %d: %s", n, i+1, failed)
		}
	}
	return nil
}
