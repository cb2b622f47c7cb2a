package gui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/loopscope/loopscope/sniff"
)

// lessonPage is one lesson as the Learn tab shows it, and its progress.
// A new page is made each time a lesson is opened or started over.
type lessonPage struct {
	v      *learnView
	l      *lesson
	ctx    context.Context // ended when the page is left
	cancel context.CancelFunc

	obj     *container.Scroll
	inner   *fyne.Container  // the page's items, one under another
	buttons []*widget.Button // the steps' buttons, in order
	heads   []*widget.Label  // the steps' headings: "Step 1 of 3"
	results []*fyne.Container
	texts   []string        // what each step found, for copying the lesson
	ladders []*sniff.Ladder // the ladder each step drew, if any
	ran     int             // how many steps ran
	running bool
	choice  *widget.RadioGroup
	answer  *widget.Entry
	checkB  *widget.Button
	verdict *widget.Label
	links   []*widget.Button // the links under results, and the glossary words
}

func newLessonPage(v *learnView, l *lesson) *lessonPage {
	p := &lessonPage{v: v, l: l}
	p.ctx, p.cancel = context.WithCancel(v.ctx)
	p.build()
	return p
}

func (p *lessonPage) build() {
	title := widget.NewLabelWithStyle(p.l.title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	items := []fyne.CanvasObject{title, wrapped(p.l.goal), widget.NewSeparator()}
	for i, s := range p.l.steps {
		b := widget.NewButtonWithIcon(s.button, theme.MediaPlayIcon(), func() { p.runStep(i) })
		res := container.NewVBox()
		res.Hide()
		p.buttons, p.results = append(p.buttons, b), append(p.results, res)
		head := widget.NewLabelWithStyle(fmt.Sprintf("Step %d of %d", i+1, len(p.l.steps)), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		p.heads = append(p.heads, head)
		items = append(items, head, wrapped(s.text), container.NewHBox(b), res)
	}
	p.texts, p.ladders = make([]string, len(p.l.steps)), make([]*sniff.Ladder, len(p.l.steps))
	items = append(items, widget.NewSeparator(), p.buildCheck(), widget.NewSeparator(),
		widget.NewLabelWithStyle("Recap", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), wrapped(p.l.recap),
		p.buildTerms())
	p.inner = container.NewVBox(items...)
	p.obj = container.NewVScroll(container.NewPadded(p.inner))
	p.enableSteps()
}

// buildCheck is the question, its answers or a field, and the verdict.
func (p *lessonPage) buildCheck() fyne.CanvasObject {
	c := p.l.check
	p.verdict = wrapped("")
	p.verdict.Hide()
	p.checkB = widget.NewButtonWithIcon("Check my answer", theme.ConfirmIcon(), p.judge)
	var input fyne.CanvasObject
	if len(c.choices) > 0 {
		p.choice = widget.NewRadioGroup(c.choices, nil)
		input = p.choice
	} else {
		p.answer = widget.NewEntry()
		p.answer.SetPlaceHolder("a number")
		p.answer.OnSubmitted = func(string) { p.judge() }
		input = container.New(&fixedSize{fyne.NewSize(160, 0)}, p.answer)
	}
	head := widget.NewLabelWithStyle("Check", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	return container.NewVBox(head, wrapped(c.question), container.NewHBox(input), container.NewHBox(p.checkB), p.verdict)
}

// buildTerms links the lesson's words to the glossary.
func (p *lessonPage) buildTerms() fyne.CanvasObject {
	row := newFlow()
	row.Add(widget.NewLabel("Words in this lesson:"))
	for _, t := range p.l.terms {
		b := widget.NewButtonWithIcon(t, theme.HelpIcon(), func() { showGlossary(p.v.w, t) })
		b.Importance = widget.LowImportance
		p.links = append(p.links, b)
		row.Add(b)
	}
	return row
}

// enableSteps lets only the next step be pressed: a step waits for the
// ones before it, and one that ran is done — its button goes (pressing it
// again would start a second server or client beside the first) and its
// heading says so — until the lesson starts over.
func (p *lessonPage) enableSteps() {
	for i, b := range p.buttons {
		b.Importance = widget.MediumImportance
		if i == p.ran && !p.running {
			b.Importance = widget.HighImportance
		}
		if p.running || i != p.ran {
			b.Disable()
		} else {
			b.Enable()
		}
		if i < p.ran {
			b.Hide()
			setText(p.heads[i], fmt.Sprintf("Step %d of %d ✓ done: %s", i+1, len(p.buttons), strings.ToLower(b.Text[:1])+b.Text[1:]))
		}
		b.Refresh()
	}
}

// runStep runs step i off the UI goroutine and shows what it found.
func (p *lessonPage) runStep(i int) {
	if p.running {
		return
	}
	p.running = true
	p.enableSteps()
	p.v.updateStatus()
	s := p.l.steps[i]
	go func() {
		res, err := s.run(p.ctx)
		onUI(func() {
			if p.ctx.Err() != nil {
				return // the learner left the lesson
			}
			p.running = false
			if err != nil {
				p.showResult(i, stepResult{text: "That did not work: " + strings.TrimSuffix(capitalize(err.Error()), ".") + ". Press the button to try again."}, true)
			} else {
				p.showResult(i, res, false)
				p.ran = i + 1 // only the next step can be pressed
			}
			p.enableSteps()
			p.v.updateStatus()
		})
	}()
}

// showResult puts what step i found under it: its sentences, its ladder,
// and links to where the window shows it.
func (p *lessonPage) showResult(i int, res stepResult, failed bool) {
	box := p.results[i]
	box.RemoveAll()
	text := wrapped(res.text)
	if failed {
		text.Importance = widget.DangerImportance
	}
	box.Add(text)
	p.texts[i], p.ladders[i] = res.text, res.ladder
	if res.ladder != nil && len(res.ladder.Steps) > 0 {
		box.Add(ladderHead(*res.ladder))
		box.Add(ladderRows(*res.ladder))
	}
	if len(res.looks) > 0 {
		links := newFlow()
		for _, lk := range res.looks {
			b := widget.NewButtonWithIcon(lk.label, theme.NavigateNextIcon(), func() { p.v.follow(lk) })
			p.links = append(p.links, b)
			links.Add(b)
		}
		box.Add(links)
	}
	box.Show()
	p.inner.Refresh()
	p.reveal(box)
}

// reveal scrolls the page so what a step found shows, its top first
// when it is taller than the page.
func (p *lessonPage) reveal(o fyne.CanvasObject) {
	p.obj.Refresh() // the page grew
	top := o.Position().Y + theme.Padding()
	bottom, view := top+o.Size().Height, p.obj.Size().Height
	y := p.obj.Offset.Y
	if bottom > y+view {
		y = bottom - view
	}
	y = min(y, top)
	if y != p.obj.Offset.Y {
		p.obj.ScrollToOffset(fyne.NewPos(0, y))
	}
}

// given is the answer picked or typed.
func (p *lessonPage) given() string {
	if p.choice != nil {
		return p.choice.Selected
	}
	return p.answer.Text
}

// judge checks the learner's answer against what the steps found.
func (p *lessonPage) judge() {
	ok, say := p.l.check.judge(p.given())
	p.verdict.SetText(say)
	p.verdict.Importance = widget.WarningImportance
	if ok {
		p.verdict.Importance = widget.SuccessImportance
	}
	p.verdict.Show()
	p.verdict.Refresh()
	if ok {
		p.v.markPassed()
	}
}

// text is the lesson as plain text, with what its steps found: for Ctrl+C.
func (p *lessonPage) text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n%s\n", p.l.title, p.l.goal)
	for i, s := range p.l.steps {
		fmt.Fprintf(&b, "\nStep %d: %s\n", i+1, s.text)
		if p.texts[i] != "" {
			fmt.Fprintf(&b, "%s\n", p.texts[i])
		}
		if l := p.ladders[i]; l != nil {
			fmt.Fprintf(&b, "%s\n", ladderText(*l, true))
		}
	}
	fmt.Fprintf(&b, "\nCheck: %s\n", p.l.check.question)
	if p.verdict.Visible() {
		fmt.Fprintf(&b, "Answer: %s\n%s\n", p.given(), p.verdict.Text)
	}
	fmt.Fprintf(&b, "\nRecap: %s\n", p.l.recap)
	return b.String()
}

// wrapped is a label that wraps its words.
func wrapped(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}
