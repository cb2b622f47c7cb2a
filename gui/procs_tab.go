package gui

import (
	"context"
	"fmt"
	"strconv"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/loopscope/loopscope/netinfo"
)

// procsView is the Processes tab: one row per program that holds sockets,
// and for the selected one its details and every socket it holds.
type procsView struct {
	src  SnapshotSource
	end  *ender
	item *container.TabItem

	filter    *widget.Entry
	conns     *widget.Check
	table     *widget.Table
	sockTable *widget.Table
	status    *widget.Label
	title     *widget.Label
	hint      *widget.Label
	body      *fyne.Container
	fields    map[string]*widget.Label
	endBtn    *widget.Button

	// Read by fetch off the UI goroutine: what the next refresh should hold.
	wantPID   atomic.Int32
	wantConns atomic.Bool
	refresh   func() // asks for a refresh now; nil in tests

	// Owned by the UI goroutine.
	snap        procSnapshot // the last refresh
	rows        []procRow    // what the table shows
	sort        sortSpec
	header      *sortHeader
	selectedPID int32
	selectedRow int
	selected    *procRow
	lastErr     error
	onFirstData func()
}

// procsResult is one refresh, computed off the UI goroutine.
type procsResult struct {
	snap procSnapshot
	err  error
}

var procDetailNames = []string{"User", "Parent", "Started", "Managed by", "Executable", "Command line"}

func newProcsView(src SnapshotSource, end *ender) *procsView {
	v := &procsView{src: src, end: end, fields: map[string]*widget.Label{}}
	v.build()
	return v
}

func (v *procsView) tabItem() *container.TabItem {
	v.item = container.NewTabItemWithIcon("Processes", theme.ListIcon(), v.content())
	return v.item
}

func (v *procsView) build() {
	v.filter = widget.NewEntry()
	v.filter.SetPlaceHolder("Filter by name, PID, user or command line")
	v.filter.OnChanged = func(string) { v.refilter() }
	v.conns = widget.NewCheck("Show connections too", func(on bool) {
		v.wantConns.Store(on)
		v.requestRefresh()
	})
	v.status = widget.NewLabel("Reading the machine's sockets…")
	v.status.Truncation = fyne.TextTruncateEllipsis
	titles := make([]string, numProcCols)
	for i, c := range procColumns {
		titles[i] = c.title
	}
	v.sort = sortSpec{col: pcolProcess}
	v.header = &sortHeader{titles: titles, spec: &v.sort, onSort: v.refilter}
	v.table = widget.NewTableWithHeaders(
		func() (int, int) { return len(v.rows), numProcCols },
		func() fyne.CanvasObject { return newTextCell() },
		v.updateCell)
	v.table.CreateHeader, v.table.UpdateHeader = v.header.create, v.header.update
	v.table.ShowHeaderColumn = false
	v.table.OnSelected = v.onSelected
	for i, c := range procColumns {
		v.table.SetColumnWidth(i, c.width)
	}
	sockTitles := make([]string, numSockCols)
	for i, c := range sockColumns {
		sockTitles[i] = c.title
	}
	v.sockTable = widget.NewTableWithHeaders(v.sockSize, func() fyne.CanvasObject { return newTextCell() }, v.updateSockCell)
	v.sockTable.ShowHeaderColumn = false
	v.sockTable.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	v.sockTable.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < numSockCols {
			o.(*widget.Label).SetText(sockTitles[id.Col])
		}
	}
	for i, c := range sockColumns {
		v.sockTable.SetColumnWidth(i, c.width)
	}
	v.buildDetails()
}

func (v *procsView) buildDetails() {
	v.hint = widget.NewLabel("Select a process to see what started it, its command line, and every socket it holds.")
	v.hint.Wrapping = fyne.TextWrapWord
	v.hint.Importance = widget.LowImportance
	v.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.endBtn = widget.NewButtonWithIcon("End process…", theme.CancelIcon(), func() {
		if v.selected != nil {
			v.end.startProcess(v.selected.owner)
		}
	})
	v.endBtn.Importance = widget.DangerImportance
	form := container.New(layout.NewFormLayout())
	for _, n := range procDetailNames {
		val := widget.NewLabel("")
		val.Wrapping = fyne.TextWrapWord
		if n == "Executable" || n == "Command line" {
			val.Wrapping = fyne.TextWrapBreak // paths break anywhere
		}
		val.Selectable = true
		v.fields[n] = val
		form.Add(widget.NewLabelWithStyle(n, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
		form.Add(val)
	}
	header := container.NewBorder(nil, nil, nil, v.endBtn, v.title)
	v.body = container.NewVBox(header, form)
	v.body.Hide()
}

func (v *procsView) content() fyne.CanvasObject {
	top := container.NewBorder(nil, nil, nil, v.conns, v.filter)
	details := container.NewVScroll(container.NewPadded(container.NewStack(v.hint, v.body)))
	lower := container.NewHSplit(details, v.sockTable)
	lower.Offset = 0.36
	split := container.NewVSplit(v.table, lower)
	split.Offset = 0.5
	return container.NewBorder(top, v.status, nil, nil, split)
}

// fetch reads every socket and groups them by process, off the UI goroutine.
func (v *procsView) fetch(ctx context.Context) procsResult {
	snap, err := v.src.Snapshot(ctx, netinfo.AllSockets)
	if err != nil {
		return procsResult{err: err}
	}
	ps := groupProcs(snap.Sockets, v.wantConns.Load(), v.wantPID.Load())
	ps.warning = degradedText(snap.Degraded)
	return procsResult{snap: ps}
}

// requestRefresh asks for data matching the current choices at once.
func (v *procsView) requestRefresh() {
	if v.refresh != nil {
		v.refresh()
	}
}

// apply shows a refresh; a failed one keeps the last good rows.
func (v *procsView) apply(res procsResult) {
	v.lastErr = res.err
	if res.err == nil {
		v.snap = res.snap
	}
	v.refilter()
	if v.onFirstData != nil {
		v.onFirstData()
	}
}

func (v *procsView) refilter() {
	snap := v.snap
	v.rows = filterProcs(snap.rows, v.filter.Text, v.sort)
	v.table.Refresh()
	v.reselect()
	text := procStatus(snap, len(v.rows), v.filter.Text != "")
	if v.lastErr != nil {
		text = fmt.Sprintf("Refresh failed: %v. ", v.lastErr) + text
	}
	v.status.SetText(text)
}

func (v *procsView) reselect() {
	for i := range v.rows {
		if v.rows[i].owner.PID == v.selectedPID {
			if i != v.selectedRow {
				v.table.Select(widget.TableCellID{Row: i, Col: 0}) // onSelected shows it
				return
			}
			v.show(&v.rows[i])
			return
		}
	}
	v.selectedPID, v.selected = 0, nil
	v.wantPID.Store(0)
	v.table.UnselectAll()
	v.body.Hide()
	v.hint.Show()
	v.sockTable.Refresh()
}

func (v *procsView) onSelected(id widget.TableCellID) {
	if id.Row < 0 || id.Row >= len(v.rows) {
		return
	}
	v.selectedPID, v.selectedRow = v.rows[id.Row].owner.PID, id.Row
	if v.wantPID.Swap(v.selectedPID) != v.selectedPID {
		v.requestRefresh() // its sockets come with the next refresh
	}
	v.show(&v.rows[id.Row])
	v.table.Refresh() // repaint the whole row as selected
}

// show fills the details and the sockets list from a row.
func (v *procsView) show(r *procRow) {
	v.selected = r
	o := r.owner
	v.title.SetText(fmt.Sprintf("%s (PID %d)", safe(o.Process), o.PID))
	v.fields["User"].SetText(safe(o.User))
	v.fields["Parent"].SetText(parentText(o.Parent))
	v.fields["Started"].SetText(startedText(o.Started, time.Now()))
	v.fields["Managed by"].SetText(managerText(o.Manager))
	v.fields["Executable"].SetText(safeLong(o.Exe))
	v.fields["Command line"].SetText(safeLong(o.Cmdline))
	v.hint.Hide()
	v.body.Show()
	v.sockTable.Refresh()
}

func parentText(ppid int32) string {
	if ppid <= 0 {
		return "—"
	}
	return "PID " + strconv.Itoa(int(ppid))
}

func managerText(m string) string {
	if m == "" {
		return "— (started by hand, or not a systemd unit or container)"
	}
	return safe(m)
}

func (v *procsView) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	if id.Row < 0 || id.Row >= len(v.rows) {
		return
	}
	r := &v.rows[id.Row]
	numeric := id.Col == pcolPID || id.Col == pcolListening || id.Col == pcolConnections
	o.(*textCell).set(r.cells[id.Col], numeric, r.owner.PID == v.selectedPID)
}

// selectedSockets is the sockets list of the selected process, once a
// refresh for it has arrived.
func (v *procsView) selectedSockets() []sockRow {
	if v.selected == nil || v.snap.pid != v.selectedPID {
		return nil
	}
	return v.snap.sockets
}

func (v *procsView) sockSize() (int, int) { return len(v.selectedSockets()), numSockCols }

func (v *procsView) updateSockCell(id widget.TableCellID, o fyne.CanvasObject) {
	rows := v.selectedSockets()
	if id.Row < 0 || id.Row >= len(rows) {
		return
	}
	o.(*textCell).set(rows[id.Row].cells[id.Col], false, false)
}
