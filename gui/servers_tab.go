package gui

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/loopscope/loopscope/netinfo/serve"
)

// serversView is the Local Servers tab: a bar that starts a server, the
// servers started, the selected one's details and actions, and below,
// its live request log and a panel that sends it requests.
type serversView struct {
	*shell
	mgr     *serve.Manager
	bar     *startBar
	table   *dataTable[serverRow]
	details *detailsPanel
	log     *dataTable[logRow]
	logFind *filterEntry
	logNote *widget.Label
	send    *requestPanel
	inner   *container.AppTabs
	statusL *widget.Label
	split   *container.Split
	top     *fyne.Container // the servers over the details
	noneMsg fyne.CanvasObject
	noneL   *widget.Label // what the empty table says
	kick    func()        // asks for a look at the servers now
	want    uint16        // a port whose server to select once it shows (a lesson's link)

	openBtn, copyBtn, cmdBtn, stopBtn, againBtn, removeBtn *widget.Button

	wantLog atomic.Int64 // the server whose log is shown: its manager ID

	// Owned by the poll goroutine: where it is in the shown log.
	logSrv  *serve.Server
	logNext uint64

	// Owned by the UI goroutine.
	rows    []serverRow
	sig     string
	logRows []logRow
	missed  uint64
}

// serversPoll is how often the tab looks for new requests: live, but at
// most four table refreshes a second however fast requests come.
const serversPoll = 250 * time.Millisecond

// serversResult is one look at the servers, made off the UI goroutine.
type serversResult struct {
	rows     []serverRow
	sig      string // changes whenever a row would show differently
	logReset bool   // the log rows replace the shown ones
	logRows  []logRow
	missed   uint64
}

func newServersView(sh *shell, mgr *serve.Manager) *serversView {
	v := &serversView{shell: sh, mgr: mgr}
	v.table = newDataTable(tableSpec[serverRow]{
		noun: "server", columns: serverColumns,
		key:     func(r *serverRow) string { return r.key },
		cell:    func(r *serverRow, col int) cellView { return r.cells[col] },
		search:  func(r *serverRow) string { return r.search },
		compare: compareServers, tie: []int{vcolURL},
	})
	v.table.sort = sortSpec{col: vcolURL}
	v.table.onCurrent = v.showDetails
	v.table.onMenu = v.showMenu
	v.table.onEnter = func(*serverRow) { v.details.focusFirstAction(v.w.Canvas()) }
	v.table.onDelete = func(r *serverRow) { v.stopOrRemove(r) }
	v.log = newDataTable(tableSpec[logRow]{
		noun: "request", columns: logColumns,
		key:     func(r *logRow) string { return r.key },
		cell:    func(r *logRow, col int) cellView { return r.cells[col] },
		search:  func(r *logRow) string { return r.search },
		compare: compareLog, tie: []int{lcolTime},
	})
	v.log.sort = sortSpec{col: lcolTime, desc: true} // the newest on top, where the eye is
	v.log.onClear = func() { v.logFind.SetText("") }
	v.logFind = newFilterEntry("Filter the log: path, status, client, method  (Ctrl+F)", sh.shortcut, func(q string) {
		v.log.setFilter(q, nil, "")
		v.updateLogNote()
	}).orShorter("Filter the log  (Ctrl+F)", "Filter the log")
	v.logNote = widget.NewLabel("")
	v.logNote.Importance = widget.LowImportance
	v.statusL = widget.NewLabel("")
	v.statusL.Truncation = fyne.TextTruncateEllipsis
	v.makeActions()
	v.details = newDetailsPanel("Select a server to see where it listens, who can reach it, and the command that does the same without Loopscope.",
		[]string{"Serves", "Listening on", "Reachable", "Requests", "Started", "Same as"},
		[]string{"Serves", "Same as"}, v.openBtn, v.copyBtn, v.cmdBtn, v.stopBtn, v.againBtn, v.removeBtn)
	v.bar = newStartBar(v)
	v.send = newRequestPanel(sh)
	v.build()
	setText(v.statusL, serversStatus(nil))
	v.updateLogNote()
	return v
}

func (v *serversView) makeActions() {
	current := func(act func(*serverRow)) func() {
		return func() {
			if r := v.table.currentRow(); r != nil {
				act(r)
			}
		}
	}
	v.openBtn = widget.NewButtonWithIcon("Open in browser", theme.ComputerIcon(), current(v.openInBrowser))
	v.copyBtn = widget.NewButtonWithIcon("Copy URL", theme.ContentCopyIcon(), current(func(r *serverRow) {
		v.copy(copiedURL(r.srv))
	}))
	v.cmdBtn = widget.NewButtonWithIcon("Copy command", theme.ContentCopyIcon(), current(func(r *serverRow) {
		v.copy(r.srv.Equivalent().Line)
	}))
	v.stopBtn = widget.NewButtonWithIcon("Stop", theme.MediaStopIcon(), current(v.stop))
	v.stopBtn.Importance = widget.DangerImportance
	v.againBtn = widget.NewButtonWithIcon("Start again", theme.MediaPlayIcon(), current(v.restart))
	v.againBtn.Importance = widget.HighImportance
	v.removeBtn = widget.NewButtonWithIcon("Remove", theme.DeleteIcon(), current(v.remove))
}

// updateNone says, while there is no server, where the next one will
// listen.
func (v *serversView) updateNone() {
	where := "it listens on 127.0.0.1, so only this machine can reach it."
	if v.bar != nil && v.bar.expose.Checked {
		where = "it listens on every address, so other devices on your network can reach it."
	}
	setText(v.noneL, "No local server yet. Choose a kind above and press Start:\n"+where)
}

func (v *serversView) build() {
	v.noneL = widget.NewLabel("")
	v.noneL.Alignment = fyne.TextAlignCenter
	v.noneL.Importance = widget.LowImportance
	v.updateNone()
	v.noneMsg = container.NewCenter(v.noneL)
	v.top = container.New(serversLayout{rows: func() int { return len(v.rows) }},
		container.NewStack(v.table.object(), v.noneMsg), v.details.object())
	logPane := container.NewBorder(container.NewBorder(nil, nil, nil, v.logNote, v.logFind), nil, nil, nil, v.log.object())
	v.inner = container.NewAppTabs(
		container.NewTabItemWithIcon("Request log", theme.ListIcon(), logPane),
		container.NewTabItemWithIcon("Send a request", theme.MailSendIcon(), v.send.object()),
	)
	v.split = container.NewVSplit(v.top, v.inner)
	v.split.Offset = 0.5
}

func (v *serversView) title() string             { return tabTitles[2][1] }
func (v *serversView) name() string              { return tabTitles[2][0] }
func (v *serversView) icon() fyne.Resource       { return theme.StorageIcon() }
func (v *serversView) status() fyne.CanvasObject { return v.statusL }

// ownPace: the tab looks every serversPoll, whatever the refresh choice.
func (v *serversView) ownPace() bool { return true }

func (v *serversView) content() fyne.CanvasObject {
	return container.NewBorder(v.bar.object(), nil, nil, nil, v.split)
}

// run looks at the servers every serversPoll, whatever the refresh
// choice: a request log that stood still would look like no requests.
func (v *serversView) run(ctx context.Context, _ func() time.Duration, kick <-chan struct{}, active func() bool) {
	p := &pace{every: func() time.Duration { return serversPoll }}
	poll(ctx, p, kick, active, v.fetch, v.apply)
}

// fetch reads the servers' states and the shown log's new entries.
func (v *serversView) fetch(context.Context) serversResult {
	res := v.fetchNow()
	var shown *serve.Server
	want := int(v.wantLog.Load())
	for _, r := range res.rows {
		if r.id == want {
			shown = r.srv
		}
	}
	if shown != v.logSrv {
		v.logSrv, v.logNext, res.logReset = shown, 0, true
	}
	if shown != nil {
		entries, next, missed := shown.Log().Since(v.logNext)
		v.logNext, res.missed = next, missed
		res.logRows = make([]logRow, len(entries))
		for i, e := range entries {
			res.logRows[i] = makeLogRow(e)
		}
	}
	return res
}

// apply shows a look at the servers; an unchanged one costs nothing.
func (v *serversView) apply(res serversResult) {
	if res.sig != v.sig {
		resize := len(res.rows) != len(v.rows)
		v.rows, v.sig = res.rows, res.sig
		if resize {
			relayout(v.top)
		}
		v.table.setRows(v.rows)
		show(v.noneMsg, len(v.rows) == 0)
		setText(v.statusL, serversStatus(v.rows))
	}
	if v.want != 0 && v.selectPort(v.want) {
		v.want = 0
	}
	if res.logReset || len(res.logRows) > 0 || res.missed > 0 {
		if res.logReset {
			v.logRows, v.missed = nil, 0
		}
		v.logRows = append(v.logRows, res.logRows...)
		if extra := len(v.logRows) - serve.LogSize; extra > 0 {
			v.logRows = slices.Clone(v.logRows[extra:])
			v.missed += uint64(extra)
		}
		v.missed += res.missed
		v.log.setRows(v.logRows)
		v.updateLogNote()
	}
	if r := v.table.currentRow(); r != nil { // "3 s ago" must not stand still
		v.details.set("Started", serverStarted(r.srv.Started(), time.Now()))
	}
	if v.ready != nil {
		v.ready()
	}
}

// updateLogNote says how much of the log shows.
func (v *serversView) updateLogNote() {
	var text string
	switch {
	case v.wantLog.Load() == 0 && len(v.logRows) == 0: // logSrv is the poll's
		text = "Select a server to see its requests"
	case v.log.filtered():
		text = fmt.Sprintf("%d of %d shown", len(v.log.rows), len(v.logRows))
	default:
		text = counted(len(v.logRows), "entry", "entries")
	}
	if v.missed > 0 {
		text += fmt.Sprintf(" · %d older dropped", v.missed)
	}
	setText(v.logNote, text)
}

// showDetails fills the details from the selected server, and shows its log.
func (v *serversView) showDetails(r *serverRow) {
	if r == nil {
		v.details.clear()
		return
	}
	if int(v.wantLog.Swap(int64(r.id))) != r.id {
		v.send.offerURL(r.srv)
		v.kickRefresh()
	}
	s := r.srv
	v.details.set("Serves", servesText(s))
	v.details.set("Listening on", listeningText(s))
	v.details.set("Reachable", reachText(s))
	v.details.set("Requests", fmt.Sprintf("%d answered, %d in progress", s.Served(), s.InFlight()))
	v.details.set("Started", serverStarted(s.Started(), time.Now()))
	cmd := s.Equivalent()
	v.details.set("Same as", cmd.Line+"\n("+cmd.Note+")")
	v.details.setLead(leadText(r), widget.MediumImportance)
	v.details.setNote(noteText(r))
	running := r.state == serve.Running
	show(v.openBtn, running && s.Kind().HTTP())
	show(v.copyBtn, running)
	if text := copyURLText(s); v.copyBtn.Text != text {
		v.copyBtn.SetText(text)
	}
	show(v.stopBtn, running)
	show(v.againBtn, !running && r.state != serve.Stopping)
	show(v.removeBtn, !running && r.state != serve.Stopping)
	v.details.show(s.Kind().Title() + " · " + strings.TrimSuffix(s.URL(), "/"))
}

// show shows or hides o.
func show(o fyne.CanvasObject, on bool) {
	if on {
		o.Show()
	} else {
		o.Hide()
	}
}

func (v *serversView) kickRefresh() {
	if v.kick != nil {
		v.kick()
	}
}

func (v *serversView) openInBrowser(r *serverRow) {
	if u, err := url.Parse(r.srv.URL()); err == nil && r.srv.Kind().HTTP() {
		v.openURL(u)
	}
}

// stop stops a server off the UI goroutine: draining may take 2 s.
func (v *serversView) stop(r *serverRow) {
	s := r.srv
	v.stopBtn.Disable()
	go func() {
		s.Close()
		onUI(func() {
			v.stopBtn.Enable()
			v.kickRefresh()
		})
	}()
	v.kickRefresh()
}

func (v *serversView) restart(r *serverRow) {
	go func() {
		_, err := v.mgr.Restart(r.srv)
		onUI(func() {
			if err != nil {
				v.bar.explainStartError(r.srv.Config(), r.srv.Port(), err)
			}
			v.kickRefresh()
		})
	}()
}

func (v *serversView) remove(r *serverRow) {
	go func() {
		v.mgr.Remove(r.srv)
		onUI(v.kickRefresh)
	}()
}

// stopOrRemove is the Delete key: it stops a running server and removes
// a stopped one.
func (v *serversView) stopOrRemove(r *serverRow) {
	if r.state == serve.Running {
		v.stop(r)
	} else if r.state != serve.Stopping {
		v.remove(r)
	}
}

func (v *serversView) showMenu(r *serverRow, at fyne.Position) {
	items := []*fyne.MenuItem{
		fyne.NewMenuItem("Copy URL", func() { v.copy(r.srv.URL()) }),
		fyne.NewMenuItem("Copy equivalent command", func() { v.copy(r.srv.Equivalent().Line) }),
		fyne.NewMenuItem("Send a request to it", func() { v.send.useURL(r.srv.URL()); v.inner.SelectIndex(1) }),
		fyne.NewMenuItem("Export its request log…", v.export),
		fyne.NewMenuItem(fmt.Sprintf("Diagnose port %d…", r.srv.Port()), func() { v.diagnosePort(uint16(r.srv.Port())) }),
		fyne.NewMenuItemSeparator(),
	}
	if r.state == serve.Running {
		if r.srv.Kind().HTTP() {
			items = slices.Insert(items, 0, fyne.NewMenuItem("Open in browser", func() { v.openInBrowser(r) }))
		}
		items = append(items, fyne.NewMenuItem("Stop", func() { v.stop(r) }))
	} else {
		items = append(items, fyne.NewMenuItem("Start again", func() { v.restart(r) }), fyne.NewMenuItem("Remove", func() { v.remove(r) }))
	}
	widget.ShowPopUpMenuAtPosition(fyne.NewMenu("", items...), v.w.Canvas(), at)
}

// The window's commands: Ctrl+F filters the log, the arrows move in the
// servers table, copying copies what has the keyboard.
func (v *serversView) focusFilter(c fyne.Canvas) { v.inner.SelectIndex(0); c.Focus(v.logFind) }
func (v *serversView) focusTable(c fyne.Canvas)  { c.Focus(v.table.widget) }
func (v *serversView) typedKey(e *fyne.KeyEvent) { v.table.key(e) }

func (v *serversView) logFocused() bool { return v.w.Canvas().Focused() == v.log.widget }

func (v *serversView) copySelection() bool {
	if v.logFocused() {
		rows := v.log.selectedRows()
		if len(rows) == 0 {
			return false
		}
		v.copy(v.log.tsv(rows, false))
		return true
	}
	rows := v.table.selectedRows()
	if len(rows) == 0 {
		return false
	}
	v.copy(v.table.tsv(rows, false))
	return true
}

func (v *serversView) copyAllShown() {
	if v.logFocused() {
		v.copy(v.log.tsv(v.log.rows, true))
		return
	}
	v.copy(v.table.tsv(v.table.rows, true))
}

func (v *serversView) selectAll() {
	if v.logFocused() {
		v.log.selectAll()
		return
	}
	v.table.selectAll()
}

// selectPort selects the server listening on port.
func (v *serversView) selectPort(port uint16) bool {
	for _, r := range v.table.rows {
		if r.srv.Port() == int(port) {
			return v.table.selectKey(r.key)
		}
	}
	return false
}

// export saves the shown request log.
func (v *serversView) export() {
	r := v.table.currentRow()
	if r == nil {
		inform(v.w, "Nothing to export", "Select a server first: its request log is what is exported.")
		return
	}
	name := fmt.Sprintf("loopscope-%s-%d-log.csv", r.srv.Kind(), r.srv.Port())
	rows := v.log.rows
	v.exportRows(name, tableRows(v.log, rows), func() []byte { return logJSON(rows) })
}

// started shows a server that just started: selected, its URL in the
// request panel, its log below.
func (v *serversView) started(s *serve.Server) {
	v.apply(v.fetchNow())
	v.table.selectKey(strconv.Itoa(v.mgr.ID(s)))
	v.send.useURL(s.URL())
	v.kickRefresh()
}

// fetchNow looks at the servers on the UI goroutine, for a change the
// user just made: only the servers, which is quick; the log follows
// with the next look.
func (v *serversView) fetchNow() serversResult {
	var res serversResult
	var sig strings.Builder
	for _, s := range v.mgr.Servers() {
		r := makeServerRow(s, v.mgr.ID(s))
		res.rows = append(res.rows, r)
		fmt.Fprintf(&sig, "%d:%d:%d;", r.id, r.state, r.served)
	}
	res.sig = sig.String()
	return res
}

// shownActions are the details' buttons, while a server is selected.
func (v *serversView) shownActions() []*widget.Button {
	if v.details.body.Hidden {
		return nil
	}
	return v.details.actions
}

// copiedURL is the URL Copy URL copies: for a server other devices may
// reach, the address they use, which is why it was exposed.
func copiedURL(s *serve.Server) string {
	if lan := s.LANURLs(); len(lan) > 0 {
		return lan[0]
	}
	return s.URL()
}

func copyURLText(s *serve.Server) string {
	if len(s.LANURLs()) > 0 {
		return "Copy LAN URL"
	}
	return "Copy URL"
}
