package gui

import (
	"fmt"
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/loopscope/loopscope/sniff"
)

// The ladder's geometry: the client's and the server's columns, and the
// height of a step.
const (
	ladderWidth  = 400
	ladderLeft   = 60
	ladderRight  = 340
	ladderStep   = 46
	ladderMaxRow = 400 // steps drawn at most: a ladder is for reading
)

// showLadder draws the TCP conversation k as a ladder: the client on
// the left, the server on the right, an arrow for each packet with its
// flags and relative sequence numbers, and what it does.
func (v *packetsView) showLadder(k sniff.ConvKey) {
	entries := make([]*sniff.Entry, 0, len(v.table.all))
	for i := range v.table.all {
		entries = append(entries, v.table.all[i].e)
	}
	l := sniff.MakeLadder(entries, k)
	if len(l.Steps) == 0 {
		inform(v.w, "No ladder", "A ladder is drawn for a TCP conversation: choose one of its packets.")
		return
	}
	body := container.NewBorder(ladderHead(l), nil, nil, nil, container.NewVScroll(ladderRows(l)))
	title := fmt.Sprintf("TCP conversation %s ⇄ %s", l.Client, l.Server)
	d := dialog.NewCustom(title, "Close", body, v.w)
	trackDialog(v.w, d, title, "", nil, nil)
	d.Resize(fyne.NewSize(980, 620))
	d.Show()
}

// ladderHead names the ladder's two sides, above their columns.
func ladderHead(l sniff.Ladder) fyne.CanvasObject {
	head := container.NewGridWithColumns(2,
		widget.NewLabelWithStyle("Client "+l.Client.String(), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		widget.NewLabelWithStyle("Server "+l.Server.String(), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
	// The box keeps it as wide as the ladder: the names stand over their columns.
	return container.NewHBox(container.New(&fixedSize{fyne.NewSize(ladderWidth, 0)}, head))
}

// ladderRows are the ladder's steps, each with its sentence beside it.
func ladderRows(l sniff.Ladder) *fyne.Container {
	rows := container.New(layout.NewCustomPaddedVBoxLayout(0)) // no gaps: the sides' lines run on from step to step
	for i, s := range l.Steps {
		if i == ladderMaxRow {
			rows.Add(widget.NewLabel(fmt.Sprintf("… and %d packets more (follow the conversation to see them all).", len(l.Steps)-i)))
			break
		}
		why := wrapped(fmt.Sprintf("%d. %s", s.No, s.Why))
		rows.Add(container.New(&ladderStepLayout{}, ladderRow(s), why))
	}
	return rows
}

// ladderRow draws one step: both sides' lines, and the arrow between
// them with its label.
func ladderRow(s sniff.Step) fyne.CanvasObject {
	fg := theme.Color(theme.ColorNameForeground)
	arrow := theme.Color(theme.ColorNamePrimary)
	if !s.FromClient {
		arrow = theme.Color(theme.ColorNameSuccess)
	}
	line := func(x1, y1, x2, y2 float32, c color.Color, w float32) *canvas.Line {
		l := canvas.NewLine(c)
		l.StrokeWidth = w
		l.Position1, l.Position2 = fyne.NewPos(x1, y1), fyne.NewPos(x2, y2)
		return l
	}
	from, to := float32(ladderLeft), float32(ladderRight)
	if !s.FromClient {
		from, to = to, from
	}
	y := float32(ladderStep - 12)
	dir := float32(1)
	if to < from {
		dir = -1
	}
	label := canvas.NewText(stepLabel(s), fg)
	label.TextSize = theme.TextSize() - 1
	label.Alignment = fyne.TextAlignCenter
	label.Move(fyne.NewPos(ladderLeft, y-24))
	label.Resize(fyne.NewSize(ladderRight-ladderLeft, 20))
	arrowObjs := container.NewWithoutLayout(
		line(from, y-6, to, y, arrow, 2),
		line(to, y, to-dir*10, y-6, arrow, 2),
		line(to, y, to-dir*9, y+4, arrow, 2),
		label)
	return container.New(ladderLayout{}, line(ladderLeft, 0, ladderLeft, 0, fg, 2), line(ladderRight, 0, ladderRight, 0, fg, 2), arrowObjs)
}

// stepLabel is a step's arrow label: its flags or data, and its relative
// sequence numbers (no ack for a bare SYN, which acknowledges nothing).
func stepLabel(s sniff.Step) string {
	if !s.HasAck {
		return fmt.Sprintf("%s  seq=%d", s.Label, s.Seq)
	}
	return fmt.Sprintf("%s  seq=%d ack=%d", s.Label, s.Seq, s.Ack)
}

// ladderText is the ladder as text, a line a step: "  1. 127.0.0.1:5000 →
// 127.0.0.1:80  SYN  seq=0", and with why, what the step does.
func ladderText(l sniff.Ladder, why bool) string {
	lines := make([]string, 0, len(l.Steps))
	for i, s := range l.Steps {
		from, to := l.Client, l.Server
		if !s.FromClient {
			from, to = to, from
		}
		line := fmt.Sprintf("  %d. %s → %s  %s", i+1, from, to, stepLabel(s))
		if why {
			line += "  " + s.Why
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

// ladderLayout runs the two sides' lines down the whole row (its text
// beside it may take two lines) and puts the arrow at the top.
type ladderLayout struct{}

func (ladderLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	for i, x := range []float32{ladderLeft, ladderRight} {
		l := objects[i].(*canvas.Line)
		l.Position1, l.Position2 = fyne.NewPos(x, 0), fyne.NewPos(x, size.Height)
		l.Refresh()
	}
	objects[2].Move(fyne.NewPos(0, 0))
	objects[2].Resize(fyne.NewSize(ladderWidth, ladderStep))
}

func (ladderLayout) MinSize([]fyne.CanvasObject) fyne.Size {
	return fyne.NewSize(ladderWidth, ladderStep)
}

// ladderStepLayout puts a step's sentence beside its arrow, or, where
// that leaves it too little room, under the arrow between the two sides'
// lines, which then run on beside it.
type ladderStepLayout struct{ narrow bool }

// ladderWhyMin is the least room beside the arrows for the sentence.
const ladderWhyMin = 260

func (l *ladderStepLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	row, why := objects[0], objects[1]
	l.narrow = size.Width < ladderWidth+ladderWhyMin
	row.Move(fyne.NewPos(0, 0))
	row.Resize(fyne.NewSize(ladderWidth, size.Height))
	if l.narrow {
		why.Move(fyne.NewPos(ladderLeft+8, ladderStep-8))
		why.Resize(fyne.NewSize(ladderRight-ladderLeft-16, why.MinSize().Height))
		return
	}
	why.Move(fyne.NewPos(ladderWidth, 0))
	why.Resize(fyne.NewSize(size.Width-ladderWidth, why.MinSize().Height))
}

func (l *ladderStepLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	why := objects[1].MinSize()
	if l.narrow {
		return fyne.NewSize(ladderWidth, ladderStep-8+why.Height)
	}
	return fyne.NewSize(ladderWidth, max(ladderStep, why.Height))
}

// fixedSize lays its objects out at a fixed size (a width of 0 takes the
// room given), and asks for that size.
type fixedSize struct{ size fyne.Size }

func (l *fixedSize) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objects {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(fyne.NewSize(max(l.size.Width, size.Width), max(l.size.Height, size.Height)))
	}
}

func (l *fixedSize) MinSize(objects []fyne.CanvasObject) fyne.Size {
	min := l.size
	for _, o := range objects {
		min = min.Max(fyne.NewSize(0, o.MinSize().Height))
	}
	return min
}
