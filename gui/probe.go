package gui

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"runtime/metrics"
	"runtime/trace"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The probe lets the real-window tests see what a user sees: with
// LOOPSCOPE_PROBE=FILE set, the window writes to FILE, ten times a second,
// the shown tab, its filter, rows, selection and details, the focused
// widget, the open dialogs, and where on the window its rows and buttons
// are, so a test can click them with xdotool and check what followed.
// Without the variable it does nothing.

// probeState is what the probe writes.
type probeState struct {
	UIWaits  [][2]float64       `json:"ui_waits"` // the UI goroutine's lag: its waits of the last 12 s, as [end in Unix ms, ms]
	Tab      string             `json:"tab"`
	Focused  string             `json:"focused"`
	Filter   string             `json:"filter"`
	Rows     int                `json:"rows"`
	Empty    bool               `json:"empty"` // the "No … matches" message shows
	Current  string             `json:"current"`
	Whole    bool               `json:"current_whole"` // the current row shows whole: not under the header or below the table
	Selected int                `json:"selected"`
	Details  string             `json:"details"` // the details' title; "" while the hint shows
	Status   string             `json:"status"`
	RowY     map[int]float32    `json:"row_y"` // shown rows: the y of their middle, in window pixels
	RowX     float32            `json:"row_x"`
	Buttons  map[string]pos     `json:"buttons"` // enabled buttons, by text: their middle
	Dialogs  []probeDialog      `json:"dialogs"`
	Scale    float32            `json:"scale"`
	Extra    map[string]string  `json:"extra,omitempty"`
	GoMemory map[string]float64 `json:"go_memory"` // the Go runtime's memory, in MB, and its collections so far
}

type probeDialog struct {
	Title string `json:"title"`
	Text  string `json:"text"`
}

type pos struct{ X, Y float32 }

// probeTable is what the probe reads of a view's table.
type probeTable interface {
	probe(st *probeState, abs func(fyne.CanvasObject) fyne.Position, scale float32)
}

// startProbe writes the probe file until the window closes.
func (u *UI) startProbe(path string) {
	if path == "" {
		return
	}
	lat := &uiLatency{}
	go lat.run(u.ctx.Done())
	go func() {
		var last []byte
		for u.ctx.Err() == nil {
			var st probeState
			fyne.DoAndWait(func() { trace.WithRegion(context.Background(), "probe", func() { st = u.probeState() }) })
			st.UIWaits = lat.recent(time.Now())
			st.GoMemory = goMemory()
			if b, err := json.Marshal(st); err == nil && string(b) != string(last) {
				tmp := path + ".tmp"
				if os.WriteFile(tmp, b, 0o644) == nil && os.Rename(tmp, path) == nil {
					last = b
				}
			}
			time.Sleep(100 * time.Millisecond)
		}
	}()
}

func (u *UI) probeState() probeState {
	c := u.w.Canvas()
	scale := c.Scale()
	abs := func(o fyne.CanvasObject) fyne.Position {
		return fyne.CurrentApp().Driver().AbsolutePositionForObject(o)
	}
	st := probeState{Tab: u.shown().name(), Scale: scale, Buttons: map[string]pos{}, RowY: map[int]float32{}}
	if f := c.Focused(); f != nil {
		st.Focused = reflect.TypeOf(f).String()
	}
	if t, ok := u.shown().(probeTable); ok {
		t.probe(&st, abs, scale)
	}
	for _, d := range dialogs {
		st.Dialogs = append(st.Dialogs, probeDialog{Title: d.title, Text: d.text})
		for _, b := range d.buttons {
			addButton(&st, b, abs, scale)
		}
	}
	u.probeTheme(&st, abs, scale)
	if len(dialogs) == 0 {
		for _, b := range u.shownButtons() {
			addButton(&st, b, abs, scale)
		}
		if u.sh.diagnoseB != nil {
			addButton(&st, u.sh.diagnoseB, abs, scale)
		}
	}
	return st
}

func addButton(st *probeState, b *widget.Button, abs func(fyne.CanvasObject) fyne.Position, scale float32) {
	if b.Disabled() || !b.Visible() {
		return
	}
	// A button not laid out yet has no size, and one not in the window's
	// tree has no position: a click there would land on the tab bar.
	p, s := abs(b), b.Size()
	if s.Width <= 0 || s.Height <= 0 || p.IsZero() {
		return
	}
	st.Buttons[b.Text] = pos{(p.X + s.Width/2) * scale, (p.Y + s.Height/2) * scale}
}

// shownButtons are the action buttons of the shown view's details.
func (u *UI) shownButtons() []*widget.Button {
	var d *detailsPanel
	switch v := u.shown().(type) {
	case *portsView:
		d = v.details.detailsPanel
	case *procsView:
		d = v.details
	case *serversView:
		return append(v.shownActions(), v.bar.start, v.bar.source)
	case *packetsView:
		return []*widget.Button{v.bar.start, v.bar.open, v.bar.saveBtn, v.convBtn, v.ladderB, v.bar.adminB}
	case *learnView:
		return v.buttons()
	}
	if d == nil || d.body.Hidden {
		return nil
	}
	return d.actions
}

func (v *portsView) probe(st *probeState, abs func(fyne.CanvasObject) fyne.Position, scale float32) {
	st.Filter, st.Status = v.filter.Text, v.statusL.Text
	v.table.probe(st, abs, scale)
	if !v.details.body.Hidden {
		st.Details = v.details.title.Text
	}
}

func (v *packetsView) probe(st *probeState, abs func(fyne.CanvasObject) fyne.Position, scale float32) {
	st.Filter, st.Status = v.find.Text, v.statusL.Text
	v.table.probe(st, abs, scale)
	if v.detail.body.Visible() {
		st.Details = v.detail.title.Text
	}
	st.Extra = map[string]string{"capture_filter": v.bar.filter.Text, "iface": v.bar.names[v.bar.iface.Selected],
		"banner": v.bar.bannerL.Text, "state": v.state, "follow": strconv.FormatBool(v.follow.Checked)}
	for _, c := range []*widget.Check{v.follow, v.pause} { // check boxes, clicked by their middle
		if p, s := abs(c), c.Size(); s.Width > 0 && !p.IsZero() {
			st.Buttons[c.Text] = pos{(p.X + s.Width/2) * scale, (p.Y + s.Height/2) * scale}
		}
	}
	if !v.bar.banner.Visible() {
		st.Extra["banner"] = ""
	}
}

func (v *procsView) probe(st *probeState, abs func(fyne.CanvasObject) fyne.Position, scale float32) {
	st.Filter, st.Status = v.filter.Text, v.statusL.Text
	v.table.probe(st, abs, scale)
	if !v.details.body.Hidden {
		st.Details = v.details.title.Text
	}
}

// probe reports the table's rows, selection and where its shown rows are.
func (t *dataTable[R]) probe(st *probeState, abs func(fyne.CanvasObject) fyne.Position, scale float32) {
	st.Rows, st.Current, st.Selected, st.Empty = len(t.rows), t.current, len(t.selected), t.emptyBox.Visible()
	top := abs(t.widget).Y + t.widget.Size().Height
	head := abs(t.widget).Y + cellHeight()
	cur := -1
	if t.current != "" {
		cur = t.indexOf(t.current)
	}
	for row, c := range t.shownCells {
		if c.row != row || !c.Visible() {
			continue
		}
		p, s := abs(c), c.Size()
		mid := p.Y + s.Height/2
		if mid > head && mid < top { // not under the header, not below the table
			st.RowY[row] = mid * scale
			st.RowX = (p.X + s.Width/2) * scale
		}
	}
	st.Whole = cur >= 0 && t.rowInView(cur)
}

func (v *serversView) probe(st *probeState, abs func(fyne.CanvasObject) fyne.Position, scale float32) {
	st.Filter, st.Status = v.logFind.Text, v.statusL.Text
	v.table.probe(st, abs, scale)
	if !v.details.body.Hidden {
		st.Details = v.details.title.Text
	}
	st.Extra = map[string]string{
		"log_rows": strconv.Itoa(len(v.log.rows)),
		"kind":     v.bar.kind.Selected,
		"port":     v.bar.port.Text,
		"inner":    v.inner.Selected().Text,
	}
}

// probeTheme tells the background colour the window is drawn with and,
// while Settings is open, where its theme choices are (a horizontal radio
// group lays them out in equal columns; the middle of a choice's circle).
func (u *UI) probeTheme(st *probeState, abs func(fyne.CanvasObject) fyne.Position, scale float32) {
	if st.Extra == nil {
		st.Extra = map[string]string{}
	}
	r, g, b, _ := theme.Color(theme.ColorNameBackground).RGBA()
	st.Extra["background"] = fmt.Sprintf("#%02x%02x%02x", r>>8, g>>8, b>>8)
	if !u.settings.open() {
		return
	}
	rg := u.settings.theme
	a, size := abs(rg), rg.Size()
	for i, c := range rg.Options {
		x := a.X + size.Width*float32(i)/float32(len(rg.Options)) + theme.InnerPadding() + theme.IconInlineSize()/2
		st.Extra["theme:"+c] = fmt.Sprintf("%.0f,%.0f", x*scale, (a.Y+size.Height/2)*scale)
	}
}

// goMemory is what the Go runtime holds, for the window benchmarks to
// tell the Go heap from the rest of the window's memory (Mesa, fonts,
// the binary).
func goMemory() map[string]float64 {
	names := map[string]string{
		"/memory/classes/heap/objects:bytes":  "heap_objects",
		"/memory/classes/heap/unused:bytes":   "heap_unused",
		"/memory/classes/heap/free:bytes":     "heap_free",
		"/memory/classes/heap/released:bytes": "heap_released",
		"/memory/classes/total:bytes":         "total",
		"/gc/cycles/total:gc-cycles":          "collections",
	}
	samples := make([]metrics.Sample, 0, len(names))
	for n := range names {
		samples = append(samples, metrics.Sample{Name: n})
	}
	metrics.Read(samples)
	out := map[string]float64{}
	for _, s := range samples {
		if s.Value.Kind() == metrics.KindUint64 {
			v := float64(s.Value.Uint64())
			if strings.HasSuffix(s.Name, ":bytes") {
				v /= 1 << 20
			}
			out[names[s.Name]] = v
		}
	}
	return out
}
