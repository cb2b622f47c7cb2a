package gui

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/loopscope/loopscope/internal/safetext"
	"github.com/loopscope/loopscope/netinfo"
)

// procsView is the Processes tab: one row per program that holds sockets,
// and for the selected one its details and every socket it holds.
type procsView struct {
	listView[procRow]
	pace    pace
	socks   *dataTable[sockRow]
	conns   *widget.Check
	statusL *widget.Label
	details *detailsPanel
	endBtn  *widget.Button
	split   *container.Split
	kick    func() // asks for a refresh now

	// Read by fetch off the UI goroutine: what the next refresh should hold.
	wantPID   atomic.Int32
	wantConns atomic.Bool

	snap    procSnapshot // owned by the UI goroutine: the last refresh
	lastErr error
}

// procsResult is one refresh, computed off the UI goroutine.
type procsResult struct {
	snap procSnapshot
	err  error
}

func newProcsView(sh *shell) *procsView {
	v := &procsView{listView: listView[procRow]{shell: sh}}
	v.table = newDataTable(tableSpec[procRow]{
		noun: "process", columns: procColumns,
		key:     func(r *procRow) string { return r.key },
		cell:    func(r *procRow, col int) cellView { return r.cells[col] },
		search:  func(r *procRow) string { return r.search },
		compare: compareProcs, tie: []int{pcolProcess, pcolPID},
	})
	v.table.onCurrent = v.showDetails
	v.table.onMenu = v.showMenu
	v.table.onEnter = func(*procRow) { v.details.focusFirstAction(v.w.Canvas()) }
	v.table.onDelete = func(*procRow) { v.endSelected() }
	v.table.onClear = func() { v.filter.SetText("") }
	v.socks = newDataTable(tableSpec[sockRow]{
		noun: "socket", columns: sockColumns,
		key:     func(r *sockRow) string { return r.key },
		cell:    func(r *sockRow, col int) cellView { return r.cells[col] },
		search:  func(r *sockRow) string { return r.lower[scolLocal] },
		compare: compareSocks, tie: []int{scolLocal, scolRemote},
	})
	v.socks.sort = sortSpec{col: scolLocal}
	v.filter = newFilterEntry("Filter: name, PID, user, command line, port (:8080)  (Ctrl+F)", sh.shortcut, func(string) { v.refilter() }).
		orShorter("Filter: name, PID, port (:8080)  (Ctrl+F)", "Filter  (Ctrl+F)", "Filter")
	v.conns = widget.NewCheck("Show programs that only connect", func(on bool) {
		v.wantConns.Store(on)
		v.prefs.setShowConns(on)
		v.requestRefresh()
	})
	v.conns.Checked = sh.prefs.showConns()
	v.wantConns.Store(v.conns.Checked)
	v.statusL = widget.NewLabel("Reading the machine's sockets…")
	v.statusL.Truncation = fyne.TextTruncateEllipsis
	v.endBtn = widget.NewButtonWithIcon("End process…", theme.CancelIcon(), func() {
		if r := v.table.currentRow(); r != nil {
			v.endProcess(r.owner)
		}
	})
	v.endBtn.Importance = widget.DangerImportance
	v.details = newDetailsPanel("Select a process to see what started it, its command line, and every socket it holds.",
		[]string{"User", "Parent", "Started", "Managed by", "Executable", "Command line"},
		[]string{"Executable"}, v.endBtn)
	v.details.openTerm = func(t string) { showGlossary(sh.w, t) }
	lower := container.NewHSplit(v.details.object(), socketList(v.socks))
	lower.Offset = 0.36
	v.split = container.NewVSplit(v.table.object(), lower)
	v.split.Offset = 0.55
	return v
}

func (v *procsView) title() string             { return tabTitles[1][1] }
func (v *procsView) name() string              { return tabTitles[1][0] }
func (v *procsView) icon() fyne.Resource       { return theme.ListIcon() }
func (v *procsView) status() fyne.CanvasObject { return v.statusL }

func (v *procsView) content() fyne.CanvasObject {
	return container.NewBorder(container.NewBorder(nil, nil, nil, v.conns, v.filter), nil, nil, nil, v.split)
}

func (v *procsView) run(ctx context.Context, every func() time.Duration, kick <-chan struct{}, active func() bool) {
	v.pace.every = every
	poll(ctx, &v.pace, kick, active, v.fetch, v.apply)
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

func (v *procsView) requestRefresh() {
	if v.kick != nil {
		v.kick()
	}
}

// apply shows a refresh; a failed one keeps the last good rows.
func (v *procsView) apply(res procsResult) {
	v.lastErr = res.err
	if res.err == nil {
		v.snap = res.snap
		v.table.setRows(res.snap.rows)
	}
	v.updateStatus()
	if v.ready != nil {
		v.ready()
	}
}

func (v *procsView) refilter() {
	v.table.setFilter(v.filter.Text, nil, "")
	v.updateStatus()
}

func (v *procsView) updateStatus() {
	text := procStatus(v.snap, len(v.table.rows), v.table.filtered())
	if v.lastErr != nil {
		text = fmt.Sprintf("Refresh failed: %v. ", v.lastErr) + text
	}
	setText(v.statusL, withNote(text, v.pace.note()))
}

// showDetails fills the details and the sockets list from a row, and asks
// for its sockets when the last refresh was for another process.
func (v *procsView) showDetails(r *procRow) {
	if r == nil {
		v.wantPID.Store(0)
		v.details.clear()
		v.socks.setRows(nil)
		return
	}
	o := r.owner
	if v.wantPID.Swap(o.PID) != o.PID {
		v.requestRefresh() // its sockets come with the next refresh
	}
	v.details.set("User", safe(o.User))
	v.details.set("Parent", parentText(o.Parent))
	v.details.set("Started", startedText(o.Started, time.Now()))
	v.details.set("Managed by", managerText(o.Manager))
	v.details.set("Executable", safeLong(o.Exe))
	v.details.set("Command line", safeLong(o.Cmdline))
	v.details.setNote(safetext.Line(o.OwnerNote, 4000))
	v.details.show(fmt.Sprintf("%s (PID %d)", safe(o.Process), o.PID))
	if v.snap.pid == o.PID {
		v.socks.setRows(v.snap.sockets)
		v.details.setTerms(procTerms(v.snap.sockets)...)
	} else {
		v.socks.setRows(nil)
	}
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

func (v *procsView) showMenu(r *procRow, at fyne.Position) {
	o := r.owner
	items := []*fyne.MenuItem{
		fyne.NewMenuItem("Copy", func() { v.copySelection() }),
		fyne.NewMenuItem("Copy command line", func() { v.copy(safeLong(o.Cmdline)) }),
		fyne.NewMenuItem("Copy all shown rows", v.copyAllShown),
		fyne.NewMenuItem("Export shown rows…", v.export),
	}
	for i, port := range slices.Sorted(slices.Values(r.ports)) {
		if i == 4 {
			break // a long menu helps nobody; the Packets tab takes any filter
		}
		items = append(items, fyne.NewMenuItem(fmt.Sprintf("Diagnose port %d…", port), func() { v.diagnosePort(port) }))
		if v.watchPort != nil {
			items = append(items, fyne.NewMenuItem(fmt.Sprintf("Watch traffic on port %d", port), func() { v.watchPort(port, false) }))
		}
		if w := v.watchItem(port); w != nil {
			items = append(items, w)
		}
	}
	items = append(items, fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem(fmt.Sprintf("End %s (PID %d)…", safe(o.Process), o.PID), func() { v.endProcess(o) }))
	if sel := v.table.selectedRows(); len(sel) > 1 {
		items[len(items)-1] = fyne.NewMenuItem(fmt.Sprintf("End the %d selected processes…", len(sel)), v.endSelected)
	}
	widget.ShowPopUpMenuAtPosition(fyne.NewMenu("", items...), v.w.Canvas(), at)
}

func (v *procsView) endProcess(o netinfo.Owner) {
	if v.end != nil {
		v.end.startProcesses(o)
	}
}

// endSelected ends every selected process.
func (v *procsView) endSelected() {
	var owners []netinfo.Owner
	for _, r := range v.table.selectedRows() {
		owners = append(owners, r.owner)
	}
	if v.end != nil && len(owners) > 0 {
		v.end.startProcesses(owners...)
	}
}

// selectPort selects the process that listens on port.
func (v *procsView) selectPort(port uint16) bool {
	for i := range v.table.rows {
		for _, p := range v.table.rows[i].ports {
			if p == port {
				return v.table.selectKey(v.table.rows[i].key)
			}
		}
	}
	return false
}

// procTerms are the glossary's words for a process's sockets: each
// state they are in, once.
func procTerms(socks []sockRow) []string {
	out := []string{"socket"}
	for _, r := range socks {
		if _, ok := glossary[r.sock.State]; ok && !slices.Contains(out, r.sock.State) {
			out = append(out, r.sock.State)
		}
	}
	return out
}
