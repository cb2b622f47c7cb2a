package gui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/loopscope/loopscope/netinfo/send"
)

// timingStep is one row of the Timing tab: a step of the exchange, when
// it began and how long it took, drawn as a bar on the exchange's time
// line (a waterfall, as browsers' network panels draw it).
type timingStep struct {
	name  string
	d     time.Duration
	start time.Duration // from the start of the exchange
	scale time.Duration // the whole time line
	why   string        // one line for a learner
}

// timingSteps lays the steps end to end. ipHost: the URL names an IP
// address (no lookup); tls: the connection was https.
func timingSteps(t send.Timings, ipHost, tls bool) []timingStep {
	dns := "looking up the address of the host name"
	if ipHost {
		dns = "not needed: the URL gives an IP address"
	}
	hello := "agreeing on keys and checking the server's certificate"
	if !tls {
		hello = "none: plain http:// has no handshake, and no encryption"
	}
	steps := []timingStep{
		{name: "DNS", d: t.DNS, why: dns},
		{name: "Connect", d: t.Connect, why: "the TCP handshake with the server's port (SYN, SYN-ACK, ACK)"},
		{name: "TLS", d: t.TLS, why: hello},
		{name: "Send", d: t.Send, why: "writing the request's bytes to the connection"},
		{name: "Wait", d: t.Wait, why: "the server was working on the answer (time to first byte)"},
		{name: "Transfer", d: t.Transfer, why: "reading the rest of the answer, up to its last byte"},
	}
	var at time.Duration
	for i := range steps {
		steps[i].start = at
		at += max(steps[i].d, 0)
	}
	scale := max(t.Total, at)
	steps = append(steps, timingStep{name: "Total", d: t.Total, why: "from pressing Send to the last byte of the answer"})
	for i := range steps {
		steps[i].scale = scale
	}
	return steps
}

// timingView is the Timing tab: one row a step.
type timingView struct {
	rows *fyne.Container
	ms   []*widget.Label // each step's time, for the tests
	lay  *timingRowLayout
	obj  fyne.CanvasObject
}

func newTimingView() *timingView {
	v := &timingView{rows: container.NewVBox(), lay: &timingRowLayout{}}
	intro := captionNote("Where the time went, measured as the request ran. Each bar starts where its step began.")
	intro.Show()
	scroll := container.NewVScroll(container.NewVBox(intro, v.rows))
	v.obj = container.New(&widthLayout{onWidth: func(w float32) { v.lay.wide = w >= timingWide }}, scroll)
	return v
}

func (v *timingView) object() fyne.CanvasObject { return v.obj }

// set shows steps; the rows are made again, as there are only seven.
func (v *timingView) set(steps []timingStep) {
	v.rows.RemoveAll()
	v.ms = v.ms[:0]
	for _, s := range steps {
		name := widget.NewLabelWithStyle(s.name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		ms := widget.NewLabelWithStyle(stepTime(s.d), fyne.TextAlignTrailing, fyne.TextStyle{Monospace: true})
		why := widget.NewLabel(s.why)
		why.SizeName = theme.SizeNameCaptionText
		why.Truncation = fyne.TextTruncateEllipsis
		v.ms = append(v.ms, ms)
		v.rows.Add(container.New(v.lay, name, ms, newTimingBar(s), why))
	}
	v.rows.Refresh()
}

// timingWide is the width from which a row's explanation fits beside
// its bar; narrower, it goes under it.
const timingWide = 760

// widthLayout tells onWidth the width it lays out at before laying out
// its one object, so what is inside can choose its shape before the
// scroll around it asks for its size.
type widthLayout struct{ onWidth func(float32) }

func (l *widthLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	l.onWidth(size.Width)
	objs[0].Resize(size)
	objs[0].Refresh()
}

func (l *widthLayout) MinSize(objs []fyne.CanvasObject) fyne.Size { return objs[0].MinSize() }

// timingRowLayout puts a step's name, time and bar on one line and its
// explanation beside the bar when the row is wide, under it otherwise.
type timingRowLayout struct{ wide bool }

const (
	timingNameWidth = 86
	timingMSWidth   = 84
)

func (l *timingRowLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	lineH := objs[0].MinSize().Height
	x := float32(timingNameWidth + timingMSWidth)
	placeAt(objs[0], 0, 0, timingNameWidth, lineH)
	placeAt(objs[1], timingNameWidth, 0, timingMSWidth, lineH)
	pad := theme.Padding()
	whyH := objs[3].MinSize().Height
	if l.wide {
		bar := (size.Width - x) * 0.35
		placeAt(objs[2], x+pad, 0, bar-2*pad, lineH)
		placeAt(objs[3], x+bar, (lineH-whyH)/2, size.Width-x-bar, whyH)
		return
	}
	placeAt(objs[2], x+pad, 0, max(size.Width-x-2*pad, 0), lineH)
	placeAt(objs[3], timingNameWidth, lineH-2*pad, size.Width-timingNameWidth, whyH)
}

func (l *timingRowLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	lineH := objs[0].MinSize().Height
	if l.wide {
		return fyne.NewSize(timingNameWidth+timingMSWidth+160, lineH)
	}
	return fyne.NewSize(timingNameWidth+timingMSWidth+80, lineH+objs[3].MinSize().Height-2*theme.Padding())
}

func placeAt(o fyne.CanvasObject, x, y, w, h float32) {
	o.Move(fyne.NewPos(x, y))
	o.Resize(fyne.NewSize(max(w, 0), h))
}

// timingBar is a step's bar on a track that stands for the whole time
// line; it takes its colours from the theme each time it is drawn.
type timingBar struct {
	widget.BaseWidget
	step timingStep
}

func newTimingBar(s timingStep) *timingBar {
	b := &timingBar{step: s}
	b.ExtendBaseWidget(b)
	return b
}

func (b *timingBar) CreateRenderer() fyne.WidgetRenderer {
	r := &timingBarRenderer{b: b, track: canvas.NewRectangle(nil), bar: canvas.NewRectangle(nil)}
	r.track.CornerRadius, r.bar.CornerRadius = 3, 3
	r.Refresh()
	return r
}

type timingBarRenderer struct {
	b          *timingBar
	track, bar *canvas.Rectangle
}

func (r *timingBarRenderer) Layout(size fyne.Size) {
	const h = 10
	y := (size.Height - h) / 2
	r.track.Move(fyne.NewPos(0, y))
	r.track.Resize(fyne.NewSize(size.Width, h))
	s := r.b.step
	if s.d <= 0 || s.scale <= 0 {
		r.bar.Hide()
		return
	}
	r.bar.Show()
	x := float32(float64(s.start) / float64(s.scale) * float64(size.Width))
	w := max(float32(float64(s.d)/float64(s.scale)*float64(size.Width)), 3)
	r.bar.Move(fyne.NewPos(min(x, size.Width-w), y))
	r.bar.Resize(fyne.NewSize(w, h))
}

func (r *timingBarRenderer) MinSize() fyne.Size { return fyne.NewSize(40, 10) }

func (r *timingBarRenderer) Refresh() {
	r.track.FillColor = withAlpha(theme.Color(theme.ColorNameForeground), 0x18)
	// Wait, the server's own time, stands out from the network's steps.
	switch r.b.step.name {
	case "Total":
		r.bar.FillColor = withAlpha(theme.Color(theme.ColorNameForeground), 0x70)
	case "Wait":
		r.bar.FillColor = theme.Color(theme.ColorNameWarning)
	default:
		r.bar.FillColor = theme.Color(theme.ColorNamePrimary)
	}
	r.track.Refresh()
	r.bar.Refresh()
	r.Layout(r.b.Size())
}

func (r *timingBarRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.track, r.bar} }
func (r *timingBarRenderer) Destroy()                     {}
