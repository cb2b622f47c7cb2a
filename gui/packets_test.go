package gui

import (
	"fmt"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/loopscope/loopscope/internal/npcap"
	"github.com/loopscope/loopscope/netinfo"
	"github.com/loopscope/loopscope/sniff"
)

// newTestPackets builds the Packets tab on the test driver, its
// interfaces listed and capture permission known, as the first look of
// the shown tab does.
func newTestPackets(t *testing.T) *packetsView {
	t.Helper()
	if os.Geteuid() != 0 {
		if os.Getenv("LOOPSCOPE_STRICT") == "1" {
			t.Fatal("capture tests need root")
		}
		t.Skip("capture needs root")
	}
	sh := newTestShell(t, netinfo.NewScanner())
	v := newPacketsView(sh)
	sh.w.SetContent(v.content())
	sh.w.Resize(fyne.NewSize(1180, 720))
	v.bar.prepare()
	t.Cleanup(func() {
		if s := v.session.Load(); s != nil {
			s.Stop()
		}
	})
	return v
}

// pump takes batches, as the poll does, until cond holds.
func pump(t *testing.T, v *packetsView, what string, cond func() bool) {
	t.Helper()
	eventually(t, what, func() bool {
		v.apply(v.fetch())
		return cond()
	})
}

// Start captures on loopback with the filter typed; the packets show as
// they come, decoded; a packet selected shows its layers; Follow
// conversation keeps its conversation; Stop ends the capture and keeps
// the packets, which Save writes to a file that reads back.
func TestPacketsCaptureShowFollowStopSave(t *testing.T) {
	v := newTestPackets(t)
	pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	port := pc.LocalAddr().(*net.UDPAddr).Port
	uiLocked(func() {
		if v.bar.names[v.bar.iface.Selected] != "lo" || v.bar.banner.Visible() {
			t.Errorf("interface %q preselected; banner shown %v", v.bar.iface.Selected, v.bar.banner.Visible())
		}
		v.bar.filter.SetText("udp port " + strconv.Itoa(port))
		test.Tap(v.bar.start)
	})
	eventually(t, "the capture starts", func() bool { return v.bar.running })
	for _, from := range []string{"127.0.0.1:0", "127.0.0.1:0"} {
		c, _ := net.DialUDP("udp4", mustUDP(from), pc.LocalAddr().(*net.UDPAddr))
		for range 3 {
			c.Write([]byte("hello packets"))
		}
		c.Close()
	}
	pump(t, v, "six packets", func() bool { return len(v.table.rows) == 6 })
	uiLocked(func() {
		r := v.table.rows[0]
		if r.cell(pcolProto).text != "UDP" || !strings.HasSuffix(r.cell(pcolDst).text, ":"+strconv.Itoa(port)) || !strings.HasSuffix(r.cell(pcolInfo).text, " → "+strconv.Itoa(port)+" len=13") {
			t.Errorf("row %+v", r.e.Packet)
		}
		// The receiving socket is this test's: the Programs column names it.
		if want := fmt.Sprintf("(%d)", os.Getpid()); !strings.HasSuffix(r.cell(pcolProg).text, want) {
			t.Errorf("Programs %q, want the receiver %s", r.cell(pcolProg).text, want)
		}
		if !strings.Contains(v.statusL.Text, "Capturing on lo · 6 captured · 6 shown") {
			t.Errorf("status %q", v.statusL.Text)
		}
		v.table.choose(0, 0)
		if !v.detail.body.Visible() || len(v.detail.layers) < 3 || v.detail.layers[len(v.detail.layers)-1].Name != "Payload" {
			t.Errorf("detail: %+v", v.detail.layers)
		}
		test.Tap(v.convBtn)
		if len(v.table.rows) != 3 || !v.convBox.Visible() {
			t.Errorf("following one conversation shows %d rows", len(v.table.rows))
		}
		v.followConversation(nil)
		test.Tap(v.bar.start) // Stop
	})
	eventually(t, "the capture stops", func() bool { return !v.bar.running })
	uiLocked(func() {
		if len(v.table.rows) != 6 || !strings.HasPrefix(v.statusL.Text, "Stopped · 6 captured") {
			t.Errorf("after Stop: %d rows, %q", len(v.table.rows), v.statusL.Text)
		}
	})
	out := filepath.Join(t.TempDir(), "saved.pcap")
	all, _ := v.session.Load().Packets()
	if err := sniff.SaveFile(out, 1, all); err != nil {
		t.Fatal(err)
	}
	uiLocked(func() { v.bar.openPath(out) })
	pump(t, v, "the saved file shows", func() bool {
		return strings.HasPrefix(v.statusL.Text, "File saved.pcap · 6 read · 6 shown") && !strings.Contains(v.statusL.Text, "kernel") && len(v.table.rows) == 6
	})
}

// A batch fetched before Start (it has no session) and shown after it
// does not stop the new capture: the screenshot's --capture once failed
// on it, one run in eight, with "the capture did not start: Stopped".
func TestPacketsStaleBatchKeepsTheCapture(t *testing.T) {
	v := newTestPackets(t)
	stale := v.fetch() // before Start: no session
	uiLocked(func() {
		v.bar.filter.SetText("udp port 9")
		test.Tap(v.bar.start)
	})
	eventually(t, "the capture starts", func() bool { return v.bar.running })
	uiLocked(func() {
		v.apply(stale)
		if !v.bar.running || !strings.HasPrefix(v.statusL.Text, "Capturing on lo") {
			t.Errorf("after a batch from before Start: running %v, status %q", v.bar.running, v.statusL.Text)
		}
	})
}

// A bad capture filter is caught as it is typed, with libpcap's reason,
// and Start does nothing.
func TestPacketsBadFilter(t *testing.T) {
	v := newTestPackets(t)
	uiLocked(func() {
		v.bar.filter.SetText("tcp port")
		if !v.bar.reason.Visible() || !strings.Contains(v.bar.reason.Text, "syntax error") {
			t.Errorf("reason %q", v.bar.reason.Text)
		}
		test.Tap(v.bar.start)
	})
	time.Sleep(200 * time.Millisecond)
	uiLocked(func() {
		if v.bar.running || v.session.Load() != nil {
			t.Error("a capture started with a bad filter")
		}
	})
}

func mustUDP(s string) *net.UDPAddr {
	a, _ := net.ResolveUDPAddr("udp4", s)
	return a
}

// Watch traffic on port N (Listening Ports, Processes) opens the Packets
// tab with the port's filter typed and the interface that carries it
// chosen, also before the interface list has come.
func TestWatchTrafficOpensPacketsReady(t *testing.T) {
	a := test.NewTempApp(t)
	ui := New(a, test.NewTempWindow(t, nil), &fakeSource{})
	uiLocked(func() { ui.watchPort(8080, true) })
	ui.packets.bar.prepare()
	uiLocked(func() {
		if ui.shown() != view(ui.packets) {
			t.Errorf("the shown tab is %s", ui.shown().name())
		}
		b := ui.packets.bar
		if b.filter.Text != "port 8080" || b.names[b.iface.Selected] != "lo" {
			t.Errorf("filter %q, interface %q", b.filter.Text, b.iface.Selected)
		}
		if b.running {
			t.Error("a capture started before the tab knew it may capture")
		}
		ui.packets.follow.SetChecked(false) // as a click on a packet leaves it
		ui.watchPort(5432, false)
		if b.filter.Text != "port 5432" || b.names[b.iface.Selected] != "any" {
			t.Errorf("a port open to the network: filter %q, interface %q", b.filter.Text, b.iface.Selected)
		}
	})
	// Once the tab knows it may capture, Watch traffic starts the capture.
	if ui.packets.bar.denied {
		t.Log("this user may not capture: the banner says so, and nothing starts")
		return
	}
	eventually(t, "the watch's capture starts", func() bool { return ui.packets.bar.running })
	uiLocked(func() {
		if s := ui.packets.state; s != "Capturing on any" {
			t.Errorf("state %q", s)
		}
		if !ui.packets.follow.Checked {
			t.Error("a new capture does not follow its newest packets")
		}
		if b := ui.packets.bar; !b.filter.Disabled() || !b.iface.Disabled() {
			t.Error("the capture's boxes can be changed while it runs: they would not say what it captures")
		}
		ui.packets.bar.stop()
	})
	eventually(t, "the capture stops", func() bool { return !ui.packets.bar.running })
	uiLocked(func() {
		if b := ui.packets.bar; b.filter.Disabled() || b.iface.Disabled() {
			t.Error("a stopped capture's boxes stay disabled")
		}
	})
}

// A field chosen in the tree marks its own bytes in the hex dump (UDP's
// destination port: two bytes), a layer its whole header.
func TestPacketDetailMarksAFieldsBytes(t *testing.T) {
	test.NewTempApp(t)
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: net.IP{127, 0, 0, 1}, DstIP: net.IP{127, 0, 0, 1}}
	udp := &layers.UDP{SrcPort: 40000, DstPort: 53}
	udp.SetNetworkLayerForChecksum(ip)
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true},
		&layers.Loopback{Family: layers.ProtocolFamilyIPv4}, ip, udp, gopacket.Payload("x")); err != nil {
		t.Fatal(err)
	}
	d := newPacketDetail()
	d.show(&sniff.Entry{Data: buf.Bytes(), Link: uint16(layers.LinkTypeNull)})
	node := func(layer, field string) string {
		for li, l := range d.layers {
			for fi, f := range l.Fields {
				if l.Name == layer && f.Name == field {
					return fmt.Sprintf("%d.%d", li, fi)
				}
			}
		}
		t.Fatalf("no %s.%s in %+v", layer, field, d.layers)
		return ""
	}
	d.selected(node("UDP", "DstPort"))
	if d.marked != [2]int{4 + 20 + 2, 4 + 20 + 4} {
		t.Errorf("UDP's destination port marks bytes %v, want [26 28]", d.marked)
	}
	if !d.valueBox.Visible() || !strings.HasPrefix(d.value.Text, "Destination port: 53") || !strings.HasPrefix(d.copyValue, "53") {
		t.Errorf("the chosen field's line: shown %v, %q, copies %q", d.valueBox.Visible(), d.value.Text, d.copyValue)
	}
	row, col := 26/16, hexPrefix+sniff.HexColumn(26%16)
	if d.hex.Rows[row].Cells[col].Style == nil || d.hex.Rows[row].Cells[col-3].Style != nil {
		t.Error("the hex dump does not mark just the port's bytes")
	}
	d.selected(strings.Split(node("UDP", "DstPort"), ".")[0])
	if d.marked != [2]int{24, 32} {
		t.Errorf("the UDP layer marks bytes %v, want [24 32]", d.marked)
	}
}

// Where the system has no capture library (Windows without Npcap), the
// banner says so and what to install, and offers no rights to grant.
func TestPacketsBannerForAMissingLibrary(t *testing.T) {
	sh := newTestShell(t, nil)
	v := newPacketsView(sh)
	uiLocked(func() {
		v.bar.library = fmt.Errorf("%w: %s", npcap.ErrMissing, npcap.Advice)
		v.bar.setDenied(true)
		if text := v.bar.bannerL.Text; !v.bar.banner.Visible() || !strings.Contains(text, "Npcap is not installed") || !strings.Contains(text, "https://npcap.com") {
			t.Errorf("banner shown %v: %q", v.bar.banner.Visible(), text)
		}
		if v.bar.adminB.Visible() || v.bar.copyB.Visible() {
			t.Error("the banner offers administrator rights or setcap for a library that is not there")
		}
	})
}

// An end that had no known program when its packet came is named once
// one is known; an end already named keeps its name.
func TestPacketsProgramsFillInLater(t *testing.T) {
	v := newPacketsView(newTestShell(t, nil))
	lo := netip.MustParseAddr("127.0.0.1")
	e := &sniff.Entry{}
	e.Proto, e.Src, e.Dst, e.SrcPort, e.DstPort = sniff.ProtoUDP, lo, lo, 40000, 9999
	var none owners
	r := makePacketRow(e, time.Now(), &none)
	key := func(port uint16) ownerKey { return ownerKey{"UDP", netip.AddrPortFrom(lo, port)} }
	v.known, v.knownAt = owners{names: map[ownerKey]string{key(9999): "srv (7)"}}, 1
	if got := v.cell(&r, pcolProg).text; got != "— → srv (7)" {
		t.Errorf("the server learned: %q", got)
	}
	v.known, v.knownAt = owners{names: map[ownerKey]string{key(40000): "cli (8)", key(9999): "other (9)"}}, 2
	if got := v.cell(&r, pcolProg).text; got != "cli (8) → srv (7)" {
		t.Errorf("the client learned, the server's port reused: %q", got)
	}
	// A new session (a file opened) forgets the programs of the last: its
	// packets are not this machine's now.
	var none2 owners
	r2 := makePacketRow(e, time.Now(), &none2)
	v.apply(packetsResult{reset: true})
	if got := v.cell(&r2, pcolProg).text; got != "—" {
		t.Errorf("a new session's packet is named from the last session's programs: %q", got)
	}
}

// The Ladder button draws the chosen TCP packet's conversation: a dialog
// named after it, with a step for each of its packets.
func TestPacketsLadderDialog(t *testing.T) {
	v := newPacketsView(newTestShell(t, nil))
	var who owners
	d, _ := sniff.NewDecoder(layers.LinkTypeNull)
	mk := func(no uint64, fromClient, syn, ack bool) packetRow {
		ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolTCP, SrcIP: net.IP{127, 0, 0, 1}, DstIP: net.IP{127, 0, 0, 1}}
		tcp := &layers.TCP{SrcPort: 40000, DstPort: 8080, SYN: syn, ACK: ack, Window: 512}
		if !fromClient {
			tcp.SrcPort, tcp.DstPort = 8080, 40000
		}
		buf := gopacket.NewSerializeBuffer()
		gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true}, &layers.Loopback{Family: layers.ProtocolFamilyIPv4}, ip, tcp)
		e := &sniff.Entry{Data: buf.Bytes(), Link: uint16(layers.LinkTypeNull)}
		d.Decode(e.Data, gopacket.CaptureInfo{CaptureLength: len(e.Data), Length: len(e.Data)}, &e.Packet)
		e.No = no
		return makePacketRow(e, time.Now(), &who)
	}
	rows := []packetRow{mk(1, true, true, false), mk(2, false, true, true), mk(3, true, false, true)}
	uiLocked(func() {
		v.table.appendRows(rows, 0, true, false)
		v.showLadder(v.table.all[0].conv())
		if len(dialogs) != 1 || dialogs[0].title != "TCP conversation 127.0.0.1:40000 ⇄ 127.0.0.1:8080" {
			t.Fatalf("dialogs %+v", dialogs)
		}
		dismissTop()
	})
}

// Paused, the view keeps its rows while the capture goes on and old
// packets leave the ring: the counters change, the table does not (it
// once dropped the rows that left, and showed nothing). Unpaused, it
// catches up.
func TestPacketsPausedViewKeepsItsRows(t *testing.T) {
	v := newTestPackets(t)
	at := time.Now()
	var who owners
	uiLocked(func() {
		v.apply(packetsResult{rows: floodBatch(1, 100, at, &who), stats: sniff.SessionStats{Captured: 100, Held: 100, Oldest: 1}})
		v.apply(packetsResult{frozen: true, stats: sniff.SessionStats{Captured: 150, Held: 100, Oldest: 51, Left: 50}})
		if len(v.table.rows) != 100 || v.table.rows[0].e.No != 1 {
			t.Errorf("paused: %d rows from %d, want the 100 shown before", len(v.table.rows), v.table.rows[0].e.No)
		}
		v.apply(packetsResult{rows: floodBatch(101, 50, at, &who), stats: sniff.SessionStats{Captured: 150, Held: 100, Oldest: 51, Left: 50}})
		if len(v.table.rows) != 100 || v.table.rows[0].e.No != 51 {
			t.Errorf("resumed: %d rows from %d, want 100 from 51", len(v.table.rows), v.table.rows[0].e.No)
		}
	})
}

// packetsInWindow is the Packets tab's table in a window of size,
// holding a flood's packets 1…300, scrolled to the last when toEnd; batch
// makes more of the same flood's packets.
func packetsInWindow(t *testing.T, size fyne.Size, toEnd bool) (v *packetsView, w fyne.Window, batch func(first uint64, n int) []packetRow) {
	v = newTestPackets(t)
	at := time.Now()
	var who owners
	batch = func(first uint64, n int) []packetRow { return floodBatch(first, n, at, &who) }
	uiLocked(func() {
		w = test.NewTempWindow(t, v.table.obj)
		w.Resize(size)
		v.table.appendRows(batch(1, 300), 0, true, toEnd)
	})
	return v, w, batch
}

// A click on a row in view leaves the table where it is (it once
// scrolled a row near the end of the list four rows down, from under the
// pointer); a key that moves to a row out of view scrolls it into view.
func TestTableClickDoesNotScroll(t *testing.T) {
	v, _, _ := packetsInWindow(t, fyne.NewSize(1100, 330), true)
	uiLocked(func() {
		where := func(row int) float32 {
			c := v.table.shownCells[row]
			if c == nil {
				return -1
			}
			return fyne.CurrentApp().Driver().AbsolutePositionForObject(c).Y
		}
		before := where(294)
		if before < 0 || !v.table.rowInView(294) {
			t.Fatalf("row 294 is not in view at the list's end (y %v)", before)
		}
		v.table.tap(294, 0)
		if after := where(294); after != before {
			t.Errorf("a click moved its row from y %v to %v", before, after)
		}
		if v.table.current != v.table.spec.key(v.table.rows[294]) {
			t.Error("the clicked row is not the current one")
		}
		v.table.widget.TypedKey(&fyne.KeyEvent{Name: fyne.KeyHome})
		if !v.table.rowInView(0) {
			t.Error("Home did not bring the first row into view")
		}
		v.table.widget.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEnd})
		if !v.table.rowInView(299) {
			t.Error("End did not bring the last row into view")
		}
	})
}

// Not following the newest, the view stays on the packets it shows
// while older ones leave the capture's ring (they slid up under the
// reader at every batch).
func TestStillViewStaysOnItsPackets(t *testing.T) {
	v, _, batch := packetsInWindow(t, fyne.NewSize(1100, 330), true)
	uiLocked(func() {
		stride := v.table.rowStride()
		v.table.widget.ScrollToOffset(fyne.NewPos(0, 150*stride+10)) // packet 151 at the top, 10 px of it above
		if off, ok := v.table.scrollOffset(); !ok || off.Y != 150*stride+10 {
			t.Fatalf("the offset reads %v (ok %v), want %v", off, ok, 150*stride+10)
		}
		top := func() string { // the first row Fyne laid out
			first := -1
			for row, c := range v.table.shownCells {
				if c.row == row && c.Visible() && (first < 0 || row < first) {
					first = row
				}
			}
			return v.table.rows[first].key
		}
		if top() != "151" {
			t.Fatalf("scrolled to packet 151, Fyne shows packet %s first", top())
		}
		v.table.appendRows(batch(301, 20), 20, true, false)
		if v.table.rows[0].key != "21" {
			t.Fatalf("the first row is packet %s, want 21", v.table.rows[0].key)
		}
		if off, _ := v.table.scrollOffset(); top() != "151" || off.Y != 130*stride+10 {
			t.Errorf("as 20 older packets left, the view moved to packet %s (offset %v, want %v)", top(), off.Y, 130*stride+10)
		}
		// Following the newest, the view goes to the end as before.
		v.table.appendRows(batch(321, 20), 20, true, true)
		if !v.table.rowInView(len(v.table.rows) - 1) {
			t.Error("following the newest, the last packet is not in view")
		}
		// The packets viewed leave too: the view shows the oldest held.
		v.table.widget.ScrollToOffset(fyne.NewPos(0, 5*stride))
		v.table.appendRows(batch(341, 200), 200, true, false)
		if off, _ := v.table.scrollOffset(); off.Y != 0 {
			t.Errorf("after the packets viewed left, the offset is %v, want the top", off.Y)
		}
	})
}

// The Time column counts from the capture's first packet, to the
// microsecond, however far from 1970 the clock is.
func TestPacketTimeColumn(t *testing.T) {
	for _, first := range []time.Time{time.Unix(1700000000, 999_999_000), time.Unix(0, 0), time.Date(2500, 1, 2, 3, 4, 5, 6000, time.UTC)} {
		var who owners
		e := &sniff.Entry{Packet: sniff.Packet{No: 7, Time: first.Add(1500*time.Millisecond + 2*time.Microsecond)}}
		r := makePacketRow(e, first, &who)
		if got := r.cell(pcolTime).text; got != "1.500002" {
			t.Errorf("first packet at %v: Time %q, want 1.500002", first, got)
		}
	}
}

// Counts read with their thousands apart, in the status line too.
func TestGroupedCounts(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 7: "7", 999: "999", 1000: "1,000", 100000: "100,000", 986942: "986,942",
		1234567: "1,234,567", -1234: "-1,234"} {
		if got := grouped(n); got != want {
			t.Errorf("grouped(%d) = %q, want %q", n, got, want)
		}
	}
	line := packetsStatus(sniff.SessionStats{Captured: 986942, Left: 886942, KernelDropped: 1200, Holds: 100000}, 100000, "Capturing on lo", true)
	if want := "Capturing on lo · 986,942 captured · 100,000 shown · 1,200 dropped by the kernel · 886,942 left the view (it keeps the newest 100,000)"; line != want {
		t.Errorf("status %q\nwant   %q", line, want)
	}
}

// Before a new capture replaces one not saved, the question counts the
// packets Save would write — those held, the newest when the ring is
// full — not every packet that came.
func TestUnsavedQuestionCountsThePacketsHeld(t *testing.T) {
	v := newTestPackets(t)
	replaced := false
	uiLocked(func() {
		v.bar.unsaved = true
		v.stats = sniff.SessionStats{Captured: 986942, Left: 886942, Held: 100000}
		v.bar.unlessUnsaved("Start a new capture in place of this one?", "the new capture", "Start without saving", func() { replaced = true })
		if len(dialogs) == 0 || replaced {
			t.Fatal("replaced the capture without asking")
		}
		if got, want := dialogs[len(dialogs)-1].text, "The newest 100,000 packets of the 986,942 captured have not been saved"; !strings.Contains(got, want) {
			t.Errorf("asked %q, want %q", got, want)
		}
		dismissTop()
		v.stats = sniff.SessionStats{Captured: 40, Held: 40}
		v.bar.unlessUnsaved("Open a file in place of this capture?", "the file", "Open without saving", func() { replaced = true })
		if got, want := dialogs[len(dialogs)-1].text, "The 40 packets captured have not been saved; the file takes their place."; !strings.Contains(got, want) {
			t.Errorf("asked %q, want %q", got, want)
		}
		dismissTop()
		// Only the packets a filter showed were saved: the question says so.
		v.bar.savedSome = 4
		v.bar.unlessUnsaved("Open a file in place of this capture?", "the file", "Open without saving", func() { replaced = true })
		if got, want := dialogs[len(dialogs)-1].text, "The 40 packets captured have not all been saved: the last save wrote only the 4 the display filter showed. The file takes their place."; !strings.Contains(got, want) {
			t.Errorf("asked %q, want %q", got, want)
		}
		dismissTop()
		v.bar.savedSome = 0
		// Saved, then 12 more came: those are asked about.
		v.bar.savedNo = 28
		v.bar.unlessUnsaved("Open a file in place of this capture?", "the file", "Open without saving", func() { replaced = true })
		if got, want := dialogs[len(dialogs)-1].text, "12 packets captured since the last save have not been saved"; replaced || !strings.Contains(got, want) {
			t.Errorf("asked %q, want %q", got, want)
		}
		dismissTop()
		v.bar.savedNo = 40 // all saved
		v.bar.unlessUnsaved("Open a file in place of this capture?", "the file", "Open without saving", func() { replaced = true })
		if !replaced {
			t.Error("a capture saved whole was not replaced at once")
		}
		replaced = false
		v.bar.unsaved = false
		v.bar.unlessUnsaved("Open a file in place of this capture?", "the file", "Open without saving", func() { replaced = true })
		if !replaced {
			t.Error("a saved capture was not replaced at once")
		}
	})
}

// Over a big capture the display filter waits for typing to pause, so
// each key shows at once; over a small one it filters at each key.
func TestDisplayFilterWaitsForTypingOverABigCapture(t *testing.T) {
	v := newTestPackets(t)
	at := time.Now()
	var who owners
	uiLocked(func() {
		v.table.appendRows(floodBatch(1, 100, at, &who), 0, true, false)
		v.find.SetText("nothing like this")
		if len(v.table.rows) != 0 {
			t.Errorf("a small capture filtered at once: %d rows, want none", len(v.table.rows))
		}
		v.find.SetText("")
		v.table.appendRows(floodBatch(101, bigFilter, at, &who), 0, true, false)
		v.find.SetText(":9")
		v.find.SetText(":99")
		if len(v.table.rows) != 100+bigFilter {
			t.Errorf("a big capture filtered while the user typed: %d rows", len(v.table.rows))
		}
	})
	// floodBatch's packets go to port 9999, so ":99" matches none of them
	// whole, and neither did ":9".
	eventually(t, "the filter applies once typing pauses", func() bool { return v.table.query == ":99" })
	uiLocked(func() {
		if len(v.table.rows) != 0 {
			t.Errorf("filtered by :99: %d rows, want none", len(v.table.rows))
		}
	})
}

// With a display filter set, the fetching goroutine makes a batch's
// search text, so the UI goroutine does not for 10,000 packets a batch.
func TestFetchMakesSearchTextWhileFiltering(t *testing.T) {
	v := newTestPackets(t)
	var who owners
	rows := floodBatch(1, 20, time.Now(), &who)
	recs := make([]sniff.Record, len(rows))
	for i := range rows {
		recs[i] = rows[i].e.Record()
	}
	path := filepath.Join(t.TempDir(), "f.pcap")
	if err := sniff.SaveFile(path, layers.LinkTypeEthernet, recs); err != nil {
		t.Fatal(err)
	}
	for _, filtering := range []bool{false, true} {
		r, err := sniff.OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		uiLocked(func() {
			v.find.SetText(map[bool]string{false: "", true: "udp"}[filtering])
			v.use(sniff.StartSession(sniff.NewFileSource(r), sniff.Ring{}))
		})
		var res packetsResult
		eventually(t, "the file's packets", func() bool { res = v.fetch(); return len(res.rows) > 0 })
		if made := res.rows[0].search != ""; made != filtering {
			t.Errorf("filtering %v: fetch made the search text: %v", filtering, made)
		}
		uiLocked(func() { v.apply(res) })
	}
}

// A packet shown in the details that leaves the ring says so, rather
// than the details emptying without a word.
func TestDetailsSayWhenTheirPacketLeft(t *testing.T) {
	v := newTestPackets(t)
	var who owners
	at := time.Now()
	uiLocked(func() {
		v.apply(packetsResult{rows: floodBatch(1, 10, at, &who), stats: sniff.SessionStats{Holds: 10}})
		v.table.choose(2, 0)
		if !v.detail.body.Visible() {
			t.Fatal("the chosen packet's details do not show")
		}
		v.apply(packetsResult{rows: floodBatch(11, 5, at, &who), stats: sniff.SessionStats{Oldest: 6, Holds: 10}})
		if v.detail.body.Visible() || !strings.HasPrefix(v.detail.hint.Text, "Packet 3 left the view: the capture keeps the newest 10.") {
			t.Errorf("after packet 3 left: details shown %v, hint %q", v.detail.body.Visible(), v.detail.hint.Text)
		}
		v.table.choose(0, 0)
		if !v.detail.body.Visible() {
			t.Error("another packet chosen: its details do not show")
		}
		v.detail.show(nil)
		if v.detail.hint.Text != detailHint {
			t.Errorf("no packet chosen: the hint still reads %q", v.detail.hint.Text)
		}
	})
}

// A window made smaller keeps the chosen packet in view.
func TestShrinkingKeepsTheCurrentRowInView(t *testing.T) {
	v, w, _ := packetsInWindow(t, fyne.NewSize(1100, 700), false)
	uiLocked(func() {
		v.table.choose(12, 0)
		if !v.table.rowInView(12) {
			t.Fatal("row 12 is not in view in a tall window")
		}
		w.Resize(fyne.NewSize(1100, 250))
		if !v.table.rowInView(12) {
			t.Error("the window made smaller hid the chosen row")
		}
	})
}

// The row menu offers to diagnose a server's port, not the one the OS
// picked for the client's side of the connection; both when it cannot
// tell.
func TestDiagnosablePorts(t *testing.T) {
	eph := &netinfo.PortRange{First: 32768, Last: 60999}
	for _, c := range []struct {
		src, dst uint16
		eph      *netinfo.PortRange
		want     []uint16
	}{
		{40000, 8080, eph, []uint16{8080}}, // a request
		{8080, 40000, eph, []uint16{8080}}, // its answer
		{5353, 5353, eph, []uint16{5353, 5353}},
		{40000, 41000, eph, []uint16{41000, 40000}}, // a server in the range too: both
		{40000, 8080, nil, []uint16{8080, 40000}},   // the range not read yet
	} {
		p := sniff.Packet{SrcPort: c.src, DstPort: c.dst}
		if got := diagnosable(&p, c.eph); !slices.Equal(got, c.want) {
			t.Errorf("%d → %d: %v, want %v", c.src, c.dst, got, c.want)
		}
	}
}
