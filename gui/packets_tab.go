package gui

import (
	"context"
	"fmt"
	"runtime/trace"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/loopscope/loopscope/netinfo"
	"github.com/loopscope/loopscope/sniff"
)

// packetsView is the Packets tab: a capture bar, the packets as they
// come, a display filter over them, and the selected packet's layers and
// bytes.
type packetsView struct {
	*shell
	bar     *captureBar
	table   *dataTable[packetRow]
	find    *filterEntry
	detail  *packetDetail
	split   *container.Split
	statusL *fitLabel
	pause   *widget.Check
	follow  *widget.Check
	convBtn *widget.Button
	ladderB *widget.Button // draws the chosen TCP conversation as a ladder
	convMsg *widget.Label
	convBox fyne.CanvasObject
	noneMsg fyne.CanvasObject
	noneL   *widget.Label
	obj     fyne.CanvasObject
	kick    func()

	session atomic.Pointer[sniff.Session] // read by the poll goroutine
	paused  atomic.Bool                   // the view is paused: fetch takes counters only
	filling atomic.Bool                   // a flood is filling the table: batches come every packetsFillPoll
	finding atomic.Bool                   // a display filter is set: fetch makes the new rows' search text
	// ephemeral is the range the OS picks clients' ports from, read once
	// off the UI goroutine (it is a file on Linux); nil until then.
	ephemeral atomic.Pointer[netinfo.PortRange]
	flooded   atomic.Bool // the last batch was a flood's: batches come every packetsFloodPoll

	// Owned by the poll goroutine: where it is in the session shown.
	fetchS     *sniff.Session
	fetchNo    uint64
	fetchFirst time.Time
	fetchRoom  bool // the table was given room for a flood (packetsResult.room)
	who        owners

	// Owned by the UI goroutine.
	state       string // "Capturing on lo", "Stopped", "File x.pcap"
	stats       sniff.SessionStats
	convKey     *sniff.ConvKey // the conversation followed, or nil
	filterTimer *time.Timer    // a display filter waiting for typing to pause
	known       owners         // the programs the last batch knew, to name ends first seen unnamed
	knownAt     uint32         // counts changes of known, for the rows to see
}

// packetsPoll is how often the tab takes new packets: at most ten
// batches a second, one UI update each, however fast they come.
const packetsPoll = 100 * time.Millisecond

// packetsFillPoll is how often the tab takes packets while a flood fills
// the table: each batch that makes the table longer lays it out again
// (settleLayout, before its frame) and may grow its arrays, and three
// such batches in the flood's first second cost the UI goroutine less
// than ten.
const packetsFillPoll = 350 * time.Millisecond

// packetsResult is one batch, formatted off the UI goroutine.
type packetsResult struct {
	from    *sniff.Session // the session fetched; nil for none
	reset   bool           // a new session: the rows replace the table's
	rows    []packetRow
	stats   sniff.SessionStats
	names   map[ownerKey]string // the programs known now (never changed once made)
	namesAt time.Time           // when they were read
	frozen  bool                // fetched while the view is paused: counters only, the rows stay
	// room is the array the table's pointers grow into when a flood
	// starts, made here rather than on the UI goroutine.
	room []*packetRow
}

// packetsFloodPoll is how often the tab takes packets while a flood goes
// on. Each batch is a frame, which a window drawn in software (Mesa's
// llvmpipe under Xvfb) takes 30–50 ms to draw while the collector works:
// a click that comes as one starts waits for it. Five batches a second
// instead of ten halve the frames a click can land on; rows that come a
// thousand a tenth of a second cannot be read as they pass anyway.
const packetsFloodPoll = 200 * time.Millisecond

// floodRows is a batch that says a flood is on: a thousand packets in a
// tenth of a second.
const floodRows = 1000

func newPacketsView(sh *shell) *packetsView {
	v := &packetsView{shell: sh, state: "Not capturing"}
	v.table = newDataTable(tableSpec[packetRow]{
		noun: "packet", columns: packetColumns,
		key:     func(r *packetRow) string { return r.key },
		cell:    v.cell,
		search:  (*packetRow).searchText,
		compare: comparePackets, tie: []int{pcolNo}, plainSort: true,
	})
	v.table.sort = sortSpec{col: pcolNo}
	v.table.onCurrent = v.showPacket
	// A click on a packet means "this one": following the newest would
	// scroll it away.
	v.table.onTap = func() { v.follow.SetChecked(false) }
	v.table.onClear = func() { v.find.SetText(""); v.followConversation(nil) }
	v.table.onMenu = v.showMenu
	v.find = newFilterEntry("Show only: an address, :port, a protocol, any text  (Ctrl+F)", sh.shortcut, func(string) { v.filterSoon() }).
		orShorter("Show only: address, :port, protocol  (Ctrl+F)", "Show only…  (Ctrl+F)", "Show only…")
	v.detail = newPacketDetail()
	v.statusL = newFitLabel()
	v.pause = widget.NewCheck("Pause view", func(on bool) {
		v.paused.Store(on)
		if !on {
			v.kickRefresh()
		}
	})
	v.follow = widget.NewCheck("Follow newest", func(on bool) {
		if on {
			v.table.scrollToEnd()
		}
	})
	v.follow.SetChecked(true)
	v.convBtn = widget.NewButtonWithIcon("Follow conversation", theme.SearchIcon(), func() {
		if r := v.table.currentRow(); r != nil && r.conv().Transport != "" {
			k := r.conv()
			v.followConversation(&k)
		}
	})
	v.convBtn.Disable()
	v.ladderB = widget.NewButtonWithIcon("Ladder", theme.ListIcon(), func() {
		if r := v.table.currentRow(); r != nil {
			v.showLadder(r.conv())
		}
	})
	v.ladderB.Disable()
	v.convMsg = widget.NewLabel("")
	v.convMsg.Truncation = fyne.TextTruncateEllipsis
	showAll := widget.NewButton("Show all", func() { v.followConversation(nil) })
	v.convBox = container.NewBorder(nil, nil, nil, showAll, v.convMsg)
	v.convBox.Hide()
	v.bar = newCaptureBar(v)
	v.build()
	v.updateStatus()
	return v
}

func (v *packetsView) build() {
	tools := container.NewHBox(v.pause, v.follow, v.convBtn, v.ladderB)
	top := container.NewVBox(v.bar.object(), container.NewBorder(nil, nil, nil, tools, v.find), v.convBox)
	v.noneL = widget.NewLabel(noPacketsYet)
	v.noneL.Alignment = fyne.TextAlignCenter
	v.noneL.Importance = widget.LowImportance
	v.noneMsg = container.NewCenter(newMessageCard(v.noneL))
	v.split = container.NewVSplit(container.NewStack(v.table.object(), v.noneMsg), v.detail.object())
	v.split.Offset = 0.6
	v.obj = container.NewBorder(top, nil, nil, nil, v.split)
}

func (v *packetsView) title() string              { return tabTitles[3][1] }
func (v *packetsView) name() string               { return tabTitles[3][0] }
func (v *packetsView) icon() fyne.Resource        { return theme.MailForwardIcon() }
func (v *packetsView) status() fyne.CanvasObject  { return v.statusL }
func (v *packetsView) content() fyne.CanvasObject { return v.obj }

// ownPace: the tab takes packets every packetsPoll, whatever the refresh
// choice.
func (v *packetsView) ownPace() bool { return true }

func (v *packetsView) kickRefresh() {
	if v.kick != nil {
		v.kick()
	}
}

// run takes new packets every packetsPoll while the tab is shown, and
// learns the interfaces and whether capture is allowed once.
func (v *packetsView) run(ctx context.Context, _ func() time.Duration, kick <-chan struct{}, active func() bool) {
	p := &pace{every: func() time.Duration {
		switch {
		case v.filling.Load():
			return packetsFillPoll
		case v.flooded.Load():
			return packetsFloodPoll
		}
		return packetsPoll
	}, tick: packetsPoll, share: 1}
	var prepared atomic.Bool
	poll(ctx, p, kick, active, func(ctx context.Context) packetsResult {
		if !prepared.Swap(true) {
			eph := netinfo.EphemeralRange()
			v.ephemeral.Store(&eph)
			v.bar.prepare()
		}
		return v.fetch()
	}, v.apply)
}

// fetch formats the packets that came since the last batch; while the
// view is paused, only the counters.
func (v *packetsView) fetch() packetsResult {
	s := v.session.Load()
	var res packetsResult
	if s != v.fetchS {
		v.fetchS, v.fetchNo, v.fetchFirst, v.who, v.fetchRoom = s, 0, time.Time{}, owners{}, false
		res.reset = true
	}
	res.from = s
	if s == nil {
		return res
	}
	if v.paused.Load() {
		res.stats, res.frozen = s.Stats(), true
		return res
	}
	entries, st := s.Since(v.fetchNo)
	if st.Running {
		v.who.refresh(v.src, entries) // a file's packets are not this machine's now
	}
	res.stats = st
	if len(entries) >= floodRows && !v.fetchRoom {
		// Room for three times what the session keeps (2.4 MB for the
		// default 100,000): the pointers slide back to its front
		// (roomFor) once every 200,000 packets.
		res.room, v.fetchRoom = make([]*packetRow, 0, 3*st.Holds), true
	}
	res.names, res.namesAt = v.who.names, v.who.at
	if v.fetchFirst.IsZero() && len(entries) > 0 {
		v.fetchFirst = entries[0].Time
	}
	// A new array each batch: the table keeps its rows where they are.
	res.rows = make([]packetRow, len(entries))
	finding := v.finding.Load()
	for i, e := range entries {
		res.rows[i] = makePacketRow(e, v.fetchFirst, &v.who)
		if finding { // here, not on the UI goroutine: 10,000 a batch under a flood
			res.rows[i].searchText()
		}
	}
	if len(entries) > 0 {
		v.fetchNo = entries[len(entries)-1].No
	}
	return res
}

// apply shows a batch.
func (v *packetsView) apply(res packetsResult) {
	if res.from != v.session.Load() {
		return // fetched before the session changed: the next batch is the new one's
	}
	if trace.IsEnabled() { // for scripts/uiwaits, which finds a flood by its batches
		trace.Log(context.Background(), "rows", strconv.Itoa(len(res.rows)))
	}
	if res.reset {
		// What the last capture knew of this machine's programs is not
		// the new session's: a file's packets are not from now.
		v.known, v.knownAt = owners{}, v.knownAt+1
		v.table.setRows(nil)
		v.table.widget.ScrollToTop() // an offset from the last capture would show nothing
		v.detail.show(nil)
	}
	v.stats = res.stats
	namesCame := false
	if res.names != nil && !res.namesAt.Equal(v.known.at) {
		v.known = owners{names: res.names, at: res.namesAt}
		v.knownAt++
		namesCame = true
	}
	// Only this batch's own session can say it ended: a batch fetched
	// before Start has no session, and would stop the new capture.
	if s := res.from; s != nil && s == v.bar.live && !res.stats.Running && v.bar.running {
		v.bar.ended(res.stats.Err)
	}
	drop := 0
	for !res.frozen && drop < len(v.table.all) && v.table.all[drop].e.No < res.stats.Oldest {
		drop++
	}
	// Nothing new and nothing gone: the table stays as it is drawn (a
	// stopped capture's table redrawn ten times a second kept a core busy).
	if namesCame && len(res.rows) == 0 && drop == 0 {
		v.table.widget.Refresh() // the rows shown may name an end now (cell)
	}
	if len(res.rows) > 0 || drop > 0 {
		was := v.table.current
		defer func() {
			if was != "" && v.table.current == "" {
				v.detail.gone(was, res.stats.Holds)
			}
		}()
		v.table.spare = res.room
		v.table.appendRows(res.rows, drop, v.table.sort.col == pcolNo && !v.table.sort.desc,
			v.follow.Checked && len(res.rows) > 0)
	}
	v.filling.Store(len(res.rows) >= floodRows && len(v.table.all) < res.stats.Holds)
	v.flooded.Store(len(res.rows) >= floodRows)
	v.updateStatus()
	if v.ready != nil {
		v.ready()
	}
}

// noPacketsYet is what the empty table says before a capture.
const noPacketsYet = "No packets yet. Press Start to watch the packets on the interface chosen above —\n" +
	"loopback (lo) carries what programs on this machine send each other — or open a capture file."

func (v *packetsView) updateStatus() {
	show(v.noneMsg, len(v.table.all) == 0)
	enable(v.bar.saveBtn, v.stats.Held > 0 || len(v.table.all) > 0) // something to write
	if v.bar.running {
		setText(v.noneL, "Capturing: no packet has matched yet. They appear here as they come.")
	} else {
		setText(v.noneL, noPacketsYet)
	}
	s := v.session.Load()
	lines := packetsStatusLines(v.stats, len(v.table.rows), v.state, s == nil || s == v.bar.live)
	v.statusL.SetText(lines[0], lines[1:]...)
}

// use shows session s from now on (nil: none); the next batch replaces
// the table's rows.
func (v *packetsView) use(s *sniff.Session) {
	v.session.Store(s)
	v.stats = sniff.SessionStats{}
	v.table.setRows(nil)
	v.table.widget.ScrollToTop()
	v.detail.show(nil)
	if s != nil && s == v.bar.live {
		v.follow.SetChecked(true) // a new capture shows its packets as they come
	}
	v.updateStatus()
	v.kickRefresh()
}

// filterSoon applies the display filter as it is typed: at once over a
// small table; over a big one when typing pauses, so that each key shows
// at once instead of after a filter of 100,000 packets (and the table
// does not flash "No packet matches ':9'" on the way to ":9999").
func (v *packetsView) filterSoon() {
	if v.filterTimer != nil {
		v.filterTimer.Stop()
	}
	if len(v.table.all) < bigFilter {
		v.refilter()
		return
	}
	v.filterTimer = time.AfterFunc(typingPause, func() { onUI(v.refilter) })
}

const (
	bigFilter   = 20_000                 // packets a keystroke's filter takes longer than a frame over
	typingPause = 150 * time.Millisecond // a pause in typing
)

// refilter applies the display filter and the followed conversation.
func (v *packetsView) refilter() {
	var keep func(*packetRow) bool
	words := ""
	if k := v.convKey; k != nil {
		keep = func(r *packetRow) bool { return r.conv() == *k }
		words = "in this conversation"
	}
	v.finding.Store(strings.TrimSpace(v.find.Text) != "")
	v.table.setFilter(v.find.Text, keep, words)
	v.updateStatus()
}

// followConversation shows only the packets of k; nil shows all again.
func (v *packetsView) followConversation(k *sniff.ConvKey) {
	v.convKey = k
	if k != nil {
		setText(v.convMsg, fmt.Sprintf("Only the %s conversation %s ⇄ %s", k.Transport, k.A, k.B))
	}
	show(v.convBox, k != nil)
	v.refilter()
}

// showPacket shows the selected packet's layers and bytes.
func (v *packetsView) showPacket(r *packetRow) {
	if r == nil {
		v.detail.show(nil)
		v.convBtn.Disable()
		v.ladderB.Disable()
		return
	}
	v.detail.show(r.e)
	enable(v.convBtn, r.conv().Transport != "")
	enable(v.ladderB, r.conv().Transport == "TCP")
}

func (v *packetsView) focusFilter(c fyne.Canvas) { c.Focus(v.find) }
func (v *packetsView) focusTable(c fyne.Canvas)  { c.Focus(v.table.widget) }
func (v *packetsView) typedKey(e *fyne.KeyEvent) { v.table.key(e) }

func (v *packetsView) copySelection() bool {
	rows := v.table.selectedRows()
	if len(rows) == 0 {
		return false
	}
	v.copy(v.table.tsv(rows, false))
	return true
}

func (v *packetsView) copyAllShown() { v.copy(v.table.tsv(v.table.rows, true)) }
func (v *packetsView) selectAll()    { v.table.selectAll() }

// selectPort selects the newest packet to or from port.
func (v *packetsView) selectPort(port uint16) bool {
	for i := len(v.table.rows) - 1; i >= 0; i-- {
		if r := v.table.rows[i]; r.e.HasPorts() && (r.e.SrcPort == port || r.e.DstPort == port) {
			return v.table.selectKey(r.key)
		}
	}
	return false
}

// export saves the captured packets as a pcap file: that is what other
// tools read.
func (v *packetsView) export() { v.bar.save(nil) }

// watch captures port's traffic: the interface that carries it and the
// filter, filled in, and the capture started when it may be.
func (v *packetsView) watch(port uint16, loopback bool) {
	v.bar.watch(port, loopback)
}

// sanitizeFileName keeps a suggested file name to safe characters.
func sanitizeFileName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.' {
			return r
		}
		return '-'
	}, s)
}
