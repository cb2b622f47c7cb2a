package gui

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/loopscope/loopscope/netinfo"
)

// portsView is the Listening Ports tab: every listening socket, who holds
// it and who can reach it, above the details of the selected one.
type portsView struct {
	listView[portRow]
	pace    pace
	reach   *safeSelect
	statusL *widget.Label
	details *portDetails
	split   *container.Split

	fetched []portRow        // owned by the poll goroutine: the last fetch, to tell new and closed rows
	now     func() time.Time // the clock; tests move it

	counts   portCounts // owned by the UI goroutine from here on
	lastErr  error
	lastGood time.Time
}

// portsResult is one refresh, computed off the UI goroutine.
type portsResult struct {
	rows   []portRow
	counts portCounts
	taken  time.Time
	err    error
}

const (
	reachAny     = "Any exposure"
	reachNetwork = "Reachable from other machines"
	reachLocal   = "This machine only"
)

func newPortsView(sh *shell) *portsView {
	v := &portsView{listView: listView[portRow]{shell: sh}, now: time.Now}
	v.table = newDataTable(tableSpec[portRow]{
		noun: "listening socket", columns: portColumns,
		key:     func(r *portRow) string { return r.key },
		cell:    func(r *portRow, col int) cellView { return r.cells[col] },
		search:  func(r *portRow) string { return r.search },
		compare: comparePorts, last: portLast, tie: []int{colPort, colProto, colAddress},
		state: func(r *portRow) rowState { return r.state },
	})
	v.table.sort = sortSpec{col: colPort}
	v.table.onCurrent = v.showDetails
	v.table.onMenu = v.showMenu
	v.table.onEnter = func(*portRow) { v.details.focusFirstAction(v.w.Canvas()) }
	v.table.onDelete = func(*portRow) { v.endSelected() }
	v.table.onClear = func() { v.filter.SetText(""); v.reach.SetSelected(reachAny) }
	v.filter = newFilterEntry("Filter: port (:8080), address, process, command, user  (Ctrl+F)", sh.shortcut, func(string) { v.refilter() }).
		orShorter("Filter: port (:8080), address, process  (Ctrl+F)", "Filter  (Ctrl+F)", "Filter")
	v.reach = newSelect([]string{reachAny, reachNetwork, reachLocal}, func(string) { v.refilter() })
	v.reach.Selected = reachAny
	v.statusL = widget.NewLabel("Reading the machine's sockets…")
	v.statusL.Truncation = fyne.TextTruncateEllipsis
	v.details = newPortDetails(func(s netinfo.Socket) { v.copy(rowSummary(s)) },
		func(s netinfo.Socket) { v.openBrowser(s) }, v.endProcess)
	v.details.openTerm = func(t string) { showGlossary(sh.w, t) }
	v.split = container.NewVSplit(v.table.object(), v.details.object())
	v.split.Offset = 0.64
	return v
}

func (v *portsView) title() string             { return tabTitles[0][1] }
func (v *portsView) name() string              { return tabTitles[0][0] }
func (v *portsView) icon() fyne.Resource       { return theme.ComputerIcon() }
func (v *portsView) status() fyne.CanvasObject { return v.statusL }

func (v *portsView) content() fyne.CanvasObject {
	reach := container.NewGridWrap(fyne.NewSize(230, v.reach.MinSize().Height), v.reach)
	return container.NewBorder(container.NewBorder(nil, nil, nil, reach, v.filter), nil, nil, nil, v.split)
}

func (v *portsView) run(ctx context.Context, every func() time.Duration, kick <-chan struct{}, active func() bool) {
	v.pace.every = every
	poll(ctx, &v.pace, kick, active, v.fetch, v.apply)
}

// fetch reads a snapshot and turns it into rows, off the UI goroutine.
func (v *portsView) fetch(ctx context.Context) portsResult {
	snap, err := v.src.Snapshot(ctx, netinfo.Listening)
	if err != nil {
		return portsResult{err: err}
	}
	readLANAddrs()
	rows := mergeRows(v.fetched, snap.Sockets, v.now(), v.fetched == nil)
	v.fetched = rows
	counts := countPorts(snap.Sockets)
	counts.warning = degradedText(snap.Degraded)
	return portsResult{rows: rows, counts: counts, taken: snap.Taken}
}

// apply shows a refresh. A failed one keeps the last good rows.
func (v *portsView) apply(res portsResult) {
	v.lastErr = res.err
	if res.err == nil {
		v.counts, v.lastGood = res.counts, res.taken
		v.table.setRows(res.rows)
	}
	v.updateStatus()
	if v.ready != nil {
		v.ready()
	}
}

// refilter applies the filter box and the exposure drop-down.
func (v *portsView) refilter() {
	var keep func(*portRow) bool
	words := ""
	switch v.reach.Selected {
	case reachNetwork:
		keep, words = func(r *portRow) bool { return r.sock.ReachableFromNetwork() }, "reachable from other machines"
	case reachLocal:
		keep, words = func(r *portRow) bool { return r.sock.Exposure == netinfo.ExposureLoopback }, "reachable from this machine only"
	}
	v.table.setFilter(v.filter.Text, keep, words)
	v.updateStatus()
}

func (v *portsView) updateStatus() {
	shown := 0
	for _, r := range v.table.rows {
		if r.state != rowGone {
			shown++
		}
	}
	setText(v.statusL, withNote(statusText(v.counts, shown, v.counts.listening, v.table.filtered(), v.lastErr, v.lastGood), v.pace.note()))
}

func (v *portsView) showDetails(r *portRow) {
	if r == nil {
		v.details.clear()
		return
	}
	v.details.showRow(r)
}

// showMenu is a row's context menu; with several rows selected, the copy
// items take them all.
func (v *portsView) showMenu(r *portRow, at fyne.Position) {
	s := r.sock
	items := []*fyne.MenuItem{
		fyne.NewMenuItem("Copy", func() { v.copySelection() }),
		fyne.NewMenuItem("Copy address", func() { v.copy(hostPort(s)) }),
		fyne.NewMenuItem("Copy all shown rows", v.copyAllShown),
		fyne.NewMenuItem("Export shown rows…", v.export),
	}
	if v.watchPort != nil {
		items = append(items, fyne.NewMenuItem(fmt.Sprintf("Watch traffic on port %d", s.LocalPort), func() {
			v.watchPort(s.LocalPort, s.LocalIP.IsLoopback())
		}))
	}
	if w := v.watchItem(s.LocalPort); w != nil {
		items = append(items, w)
	}
	items = append(items, fyne.NewMenuItem(fmt.Sprintf("Diagnose port %d…", s.LocalPort), func() { v.diagnosePort(s.LocalPort) }),
		fyne.NewMenuItem("What is exposure?", func() { showGlossary(v.w, "exposure") }))
	if u := browserURL(s); u != nil && r.state != rowGone && maybeWeb(s) {
		items = append(items, fyne.NewMenuItem("Open "+u.String()+" in the browser", func() { v.openURL(u) }))
	}
	if sel := v.table.selectedRows(); len(sel) > 1 {
		end := fyne.NewMenuItem(fmt.Sprintf("End the programs of the %d selected rows…", len(sel)), v.endSelected)
		items = append(items, fyne.NewMenuItemSeparator(), end)
	} else if len(s.Holders) > 0 && r.state != rowGone {
		end := fyne.NewMenuItem("End "+ownerTitle(s)+"…", func() { v.endProcess(s) })
		items = append(items, fyne.NewMenuItemSeparator(), end)
	}
	widget.ShowPopUpMenuAtPosition(fyne.NewMenu("", items...), v.w.Canvas(), at)
}

func (v *portsView) endProcess(s netinfo.Socket) {
	if v.end != nil && len(s.Holders) > 0 {
		v.end.startSockets(s)
	}
}

// endSelected ends the programs of every selected row that still has one.
func (v *portsView) endSelected() {
	var targets []netinfo.Socket
	for _, r := range v.table.selectedRows() {
		if len(r.sock.Holders) > 0 && r.state != rowGone {
			targets = append(targets, r.sock)
		}
	}
	if r := v.table.currentRow(); len(targets) == 0 && r != nil && r.state != rowGone {
		inform(v.w, "No process to end", "Loopscope can end no process for this socket: its owner shows as \""+
			processText(r.sock)+"\". "+safeLong(r.sock.OwnerNote))
	}
	if v.end != nil && len(targets) > 0 {
		v.end.startSockets(targets...)
	}
}

func (v *portsView) openBrowser(s netinfo.Socket) {
	if u := browserURL(s); u != nil {
		v.openURL(u)
	}
}

func (v *portsView) selectPort(port uint16) bool {
	for i := range v.table.rows {
		if v.table.rows[i].sock.LocalPort == port {
			return v.table.selectKey(v.table.rows[i].key)
		}
	}
	return false
}

// rowSummary is a row as one readable line, for a chat or a ticket.
func rowSummary(s netinfo.Socket) string {
	owner := processText(s)
	if len(s.Holders) > 0 {
		owner = fmt.Sprintf("%s (PID %d, user %s)", processText(s), s.PID, safe(s.User))
	}
	return strings.Join([]string{protoLabel(s) + " " + hostPort(s) + " " + s.State, exposureLabel(s),
		"service " + orDash(s.Service), owner}, " · ")
}

// browserURL is the address a browser on this machine would use to reach a
// TCP listener, or nil where none would (UDP, an address the machine does
// not have, a socket tied to another interface).
func browserURL(s netinfo.Socket) *url.URL {
	addr, ok := s.LocalDialAddr()
	if s.Proto != netinfo.TCP || !ok {
		return nil
	}
	return &url.URL{Scheme: "http", Host: addr.String(), Path: "/"}
}
