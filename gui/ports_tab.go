package gui

import (
	"context"
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/loopscope/loopscope/netinfo"
)

// portsView is the Listening Ports tab: a sortable, filterable table of
// listening sockets above a details panel for the selected one.
type portsView struct {
	a   fyne.App
	w   fyne.Window
	src SnapshotSource
	end *ender // ends the process holding a port

	table   *widget.Table
	filter  *widget.Entry
	reach   *widget.Select
	status  *widget.Label
	details *portDetails

	// Owned by the poll goroutine: the rows of the last fetch, to tell new
	// and gone rows in the next one.
	fetched []portRow

	// Owned by the UI goroutine.
	all         []portRow // every row of the last refresh, gone ones included
	rows        []portRow // what the table shows: all, filtered and sorted
	sort        sortSpec
	header      *sortHeader
	selectedKey string
	selectedRow int
	counts      portCounts
	lastErr     error
	lastGood    time.Time
	onFirstData func()
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

func newPortsView(a fyne.App, w fyne.Window, src SnapshotSource) *portsView {
	v := &portsView{a: a, w: w, src: src, sort: sortSpec{col: colPort}}
	v.build()
	return v
}

func (v *portsView) tabItem() *container.TabItem {
	return container.NewTabItemWithIcon("Listening Ports", theme.ComputerIcon(), v.content())
}

// shortcuts are the tab's keyboard shortcuts: Ctrl+F to filter, Ctrl+C
// to copy the selected row (Cmd on macOS).
func (v *portsView) shortcuts(c fyne.Canvas) {
	mod := fyne.KeyModifierShortcutDefault
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: mod}, func(fyne.Shortcut) { c.Focus(v.filter) })
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyC, Modifier: mod}, func(fyne.Shortcut) {
		if v.selectedKey != "" && c.Focused() == nil {
			v.a.Clipboard().SetContent(rowSummary(v.details.sock))
		}
	})
}

func (v *portsView) build() {
	v.filter = widget.NewEntry()
	v.filter.SetPlaceHolder("Filter by port, address, process or user  (Ctrl+F)")
	v.filter.OnChanged = func(string) { v.refilter() }
	v.reach = widget.NewSelect([]string{reachAny, reachNetwork, reachLocal}, func(string) { v.refilter() })
	v.reach.Selected = reachAny
	v.status = widget.NewLabel("Reading the machine's sockets…")
	v.status.Truncation = fyne.TextTruncateEllipsis
	v.details = newPortDetails(v.a, v.w, func(s netinfo.Socket) {
		if v.end != nil {
			v.end.startSocket(s)
		}
	})
	titles := make([]string, numPortCols)
	for i, c := range portColumns {
		titles[i] = c.title
	}
	v.header = &sortHeader{titles: titles, spec: &v.sort, onSort: v.refilter}
	v.table = widget.NewTableWithHeaders(v.size, v.createCell, v.updateCell)
	v.table.CreateHeader = v.createHeader
	v.table.UpdateHeader = v.updateHeader
	v.table.ShowHeaderColumn = false
	v.table.OnSelected = v.onSelected
	for i, c := range portColumns {
		v.table.SetColumnWidth(i, c.width)
	}
}

func (v *portsView) content() fyne.CanvasObject {
	reach := container.NewGridWrap(fyne.NewSize(260, v.reach.MinSize().Height), v.reach)
	top := container.NewBorder(nil, nil, nil, reach, v.filter)
	split := container.NewVSplit(v.table, v.details.content())
	split.Offset = 0.62
	return container.NewBorder(top, v.status, nil, nil, split)
}

// fetch reads a snapshot and turns it into rows. It runs on the poll
// goroutine and must not touch widgets.
func (v *portsView) fetch(ctx context.Context) portsResult {
	snap, err := v.src.Snapshot(ctx, netinfo.Listening)
	if err != nil {
		return portsResult{err: err}
	}
	rows := mergeRows(v.fetched, snap.Sockets, time.Now(), v.fetched == nil)
	v.fetched = rows
	counts := countPorts(snap.Sockets)
	counts.warning = degradedText(snap.Degraded)
	return portsResult{rows: rows, counts: counts, taken: snap.Taken}
}

// apply shows a refresh. A failed one keeps the last good rows.
func (v *portsView) apply(res portsResult) {
	v.lastErr = res.err
	if res.err == nil {
		v.all = res.rows
		v.counts = res.counts
		v.lastGood = res.taken
	}
	v.refilter()
	if v.onFirstData != nil {
		v.onFirstData()
	}
}

// refilter recomputes the visible rows and keeps the selection on the same socket.
func (v *portsView) refilter() {
	v.rows = filterAndSort(v.all, v.filter.Text, v.sort)
	if v.reach.Selected != reachAny {
		v.rows = keepReach(v.rows, v.reach.Selected == reachNetwork)
	}
	v.table.Refresh()
	v.reselect()
	filtered := v.filter.Text != "" || v.reach.Selected != reachAny
	v.status.SetText(statusText(v.counts, v.shownLive(), v.counts.listening, filtered, v.lastErr, v.lastGood))
}

// shownLive counts visible rows that still exist.
func (v *portsView) shownLive() int {
	n := 0
	for _, r := range v.rows {
		if r.state != rowGone {
			n++
		}
	}
	return n
}

// keepReach keeps the rows reachable from other machines, or those only
// this machine can reach.
func keepReach(rows []portRow, network bool) []portRow {
	out := rows[:0:0]
	for _, r := range rows {
		if network && r.sock.ReachableFromNetwork() || !network && r.sock.Exposure == netinfo.ExposureLoopback {
			out = append(out, r)
		}
	}
	return out
}

func (v *portsView) reselect() {
	if v.selectedKey == "" {
		return
	}
	for i, r := range v.rows {
		if r.key == v.selectedKey {
			if i != v.selectedRow {
				// Move the highlight with the socket; onSelected shows its details.
				v.table.Select(widget.TableCellID{Row: i, Col: 0})
				return
			}
			v.details.show(&v.rows[i])
			return
		}
	}
	v.table.UnselectAll()
	v.selectedKey = ""
	v.details.clear()
}

func (v *portsView) size() (int, int) { return len(v.rows), numPortCols }

func (v *portsView) createCell() fyne.CanvasObject { return newPortCell(v.showMenu) }

func (v *portsView) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	if id.Row < 0 || id.Row >= len(v.rows) {
		return
	}
	o.(*portCell).show(id.Row, &v.rows[id.Row], id.Col, v.rows[id.Row].key == v.selectedKey)
}

func (v *portsView) createHeader() fyne.CanvasObject { return v.header.create() }

func (v *portsView) updateHeader(id widget.TableCellID, o fyne.CanvasObject) { v.header.update(id, o) }

// sortBy sorts by col, or flips the direction when already sorted by it.
func (v *portsView) sortBy(col int) { v.header.sortBy(col) }

func (v *portsView) onSelected(id widget.TableCellID) {
	if id.Row < 0 || id.Row >= len(v.rows) {
		return
	}
	v.selectedKey, v.selectedRow = v.rows[id.Row].key, id.Row
	v.details.show(&v.rows[id.Row])
	v.table.Refresh() // repaint the whole row as selected
}

// showMenu opens the context menu of row at a position on the canvas.
func (v *portsView) showMenu(row int, at fyne.Position) {
	if row < 0 || row >= len(v.rows) {
		return
	}
	r := v.rows[row]
	items := []*fyne.MenuItem{
		fyne.NewMenuItem("Copy row", func() { v.a.Clipboard().SetContent(rowSummary(r.sock)) }),
		fyne.NewMenuItem("Copy address", func() { v.a.Clipboard().SetContent(hostPort(r.sock)) }),
	}
	if u := browserURL(r.sock); u != nil {
		items = append(items, fyne.NewMenuItem("Open "+u.String()+" in the browser", func() { openURL(v.a, v.w, u) }))
	}
	if v.end != nil && len(r.sock.Holders) > 0 && r.state != rowGone {
		items = append(items, fyne.NewMenuItemSeparator(),
			fyne.NewMenuItem("End "+ownerTitle(r.sock)+"…", func() { v.end.startSocket(r.sock) }))
	}
	widget.ShowPopUpMenuAtPosition(fyne.NewMenu("", items...), v.w.Canvas(), at)
}

// rowSummary is a row as one readable line, for pasting into a chat or a ticket.
func rowSummary(s netinfo.Socket) string {
	owner := processText(s)
	if len(s.Holders) > 0 {
		owner = fmt.Sprintf("%s (PID %d, user %s)", processText(s), s.PID, safe(s.User))
	}
	return fmt.Sprintf("%s %s %s · %s · service %s · %s",
		protoLabel(s), hostPort(s), s.State, exposureLabel(s), orDash(s.Service), owner)
}

// protoLabel is the protocol as the table shows it: "TCP" or "UDP".
func protoLabel(s netinfo.Socket) string { return strings.ToUpper(string(s.Proto)) }

// hostPort is "127.0.0.1:8080", "[::1]:8080", or "0.0.0.0%lo:8080" for a
// socket tied to a device.
func hostPort(s netinfo.Socket) string {
	if s.Device == "" {
		return netip.AddrPortFrom(s.LocalIP, s.LocalPort).String()
	}
	host := s.LocalIP.String() + "%" + safe(s.Device)
	if s.LocalIP.Is6() {
		host = "[" + host + "]"
	}
	return host + ":" + strconv.Itoa(int(s.LocalPort))
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

// openURL opens u in the user's browser, saying so when it cannot.
func openURL(a fyne.App, w fyne.Window, u *url.URL) {
	if err := a.OpenURL(u); err != nil {
		showError(w, fmt.Errorf("could not open %s in a browser: %w. Copy the address and paste it into one", u, err))
	}
}
