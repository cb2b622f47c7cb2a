package gui

import (
	"cmp"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2/widget"

	"github.com/loopscope/loopscope/sniff"
)

// The columns of the packet table.
const (
	pcolNo = iota
	pcolTime
	pcolSrc
	pcolDst
	pcolProto
	pcolLen
	pcolInfo
	pcolProg
	numPktCols
)

var packetColumns = []column{
	pcolNo:    {title: "No.", width: 84, numeric: true},            // room for 9,999,999
	pcolTime:  {title: "Time", width: 112, numeric: true, drop: 4}, // room for 99999.999999 s: a day's capture
	pcolSrc:   {title: "Source", width: 140, grow: 1},
	pcolDst:   {title: "Destination", width: 140, grow: 1},
	pcolProto: {title: "Protocol", width: 80},
	pcolLen:   {title: "Length", width: 66, numeric: true, drop: 5}, // the first to go in a narrow window
	pcolInfo:  {title: "Info", width: 210, grow: 3},
	// Who talks is what no other packet tool shows: it goes after Length and Time.
	pcolProg: {title: "Programs", width: 180, grow: 1, drop: 3},
}

// packetRow is one packet in the table. It keeps the packet and only
// what cannot be made again later (the programs at its ends, known at
// capture time); the cells are made when drawn, so a table of 100,000
// packets holds no text for the 99,970 off screen. Rows are read and
// their search text cached on the UI goroutine only — but for a batch's
// new rows, whose search text the fetching goroutine may make before it
// hands them over.
type packetRow struct {
	e   *sniff.Entry // the capture's own, shared and never changed
	key string
	// The capture's first packet's time, for the Time column, as Unix
	// seconds and nanoseconds: a time.Time holds a pointer, and each
	// pointer in a row is 100,000 more for the collector to mark.
	firstSec  int64
	prog      string // the Programs cell
	progAt    uint32 // the knownAt prog was last completed at
	firstNsec int32
	info      string // the Info cell, once made (drawn, searched or sorted)
	search    string // lower-case text for the display filter; made on first use
}

// makePacketRow keeps e; times count from the capture's first packet, as
// Wireshark's do.
func makePacketRow(e *sniff.Entry, first time.Time, who *owners) packetRow {
	return packetRow{e: e, key: strconv.FormatUint(e.No, 10), firstSec: first.Unix(), firstNsec: int32(first.Nanosecond()),
		prog: who.programs(&e.Packet)}
}

// conv is the packet's conversation; Transport "" for packets without ports.
func (r *packetRow) conv() sniff.ConvKey {
	k, _ := sniff.KeyOf(&r.e.Packet)
	return k
}

// cell is one cell, made when it is drawn or copied.
func (r *packetRow) cell(col int) cellView {
	e := r.e
	switch col {
	case pcolNo: // new in every row: drawn in pieces
		return cellView{text: r.key, pieces: true}
	case pcolTime:
		since := e.Time.Sub(time.Unix(r.firstSec, int64(r.firstNsec)))
		return cellView{text: strconv.FormatFloat(since.Seconds(), 'f', 6, 64), pieces: true}
	case pcolSrc:
		return cellView{text: dashIfEmpty(e.Source())}
	case pcolDst:
		return cellView{text: dashIfEmpty(e.Destination())}
	case pcolProto:
		return protoCell(&e.Packet)
	case pcolLen:
		return cellView{text: strconv.Itoa(e.Length)}
	case pcolInfo:
		if r.info == "" {
			r.info = sniff.Info(&e.Packet, e.Data)
		}
		return cellView{text: r.info}
	case pcolProg:
		return cellView{text: r.prog, dim: r.prog == "—"}
	}
	return cellView{}
}

// searchText is what the display filter matches: every cell, lower-case,
// and the transport under a protocol on top of it ("tcp" finds HTTP).
func (r *packetRow) searchText() string {
	if r.search != "" {
		return r.search
	}
	var b strings.Builder
	for col := range numPktCols {
		if col > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strings.ToLower(r.cell(col).text))
	}
	if t := r.e.Transport(); t != "" && t != r.e.Proto.String() {
		b.WriteString(" " + strings.ToLower(t))
	}
	r.search = b.String()
	return r.search
}

func dashIfEmpty(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// protoCell shows a malformed packet in amber, so it stands out.
func protoCell(p *sniff.Packet) cellView {
	if p.Malformed != "" {
		return cellView{text: p.Proto.String(), badge: true, tone: widget.WarningImportance}
	}
	return cellView{text: p.Proto.String()}
}

// comparePackets orders by the values themselves where it can (numbers,
// addresses and ports, protocols), so sorting 100,000 packets formats
// nothing but Info and Programs.
func comparePackets(a, b *packetRow, col int) int {
	switch col {
	case pcolNo, pcolTime:
		return cmp.Compare(a.e.No, b.e.No)
	case pcolLen:
		return a.e.Length - b.e.Length
	case pcolProto:
		return cmp.Compare(a.e.Proto, b.e.Proto)
	case pcolSrc:
		return netip.AddrPortFrom(a.e.Src, a.e.SrcPort).Compare(netip.AddrPortFrom(b.e.Src, b.e.SrcPort))
	case pcolDst:
		return netip.AddrPortFrom(a.e.Dst, a.e.DstPort).Compare(netip.AddrPortFrom(b.e.Dst, b.e.DstPort))
	case pcolProg:
		return strings.Compare(a.prog, b.prog)
	}
	return strings.Compare(a.cell(col).text, b.cell(col).text)
}

// packetsStatus is the tab's status line.
func packetsStatus(st sniff.SessionStats, shown int, state string, live bool) string {
	return packetsStatusLines(st, shown, state, live)[0]
}

// packetsStatusLines is the status line, then shorter ways to say it for
// a window too narrow for it: the counts stay, the words that explain
// them go.
func packetsStatusLines(st sniff.SessionStats, shown int, state string, live bool) [3]string {
	var full, mid, short []string
	add := func(long, medium, brief string) {
		full, mid, short = append(full, long), append(mid, medium), append(short, brief)
	}
	same := func(s string) { add(s, s, s) }
	same(state)
	if live {
		same(grouped(st.Captured) + " captured")
	} else {
		same(grouped(st.Captured) + " read") // a file: no kernel dropped anything here
	}
	same(grouped(shown) + " shown")
	switch {
	case !live:
	case st.KernelDropped > 0:
		same(grouped(st.KernelDropped) + " dropped by the kernel")
	default:
		full = append(full, "none dropped by the kernel")
	}
	if st.Left > 0 {
		add(fmt.Sprintf("%s left the view (it keeps the newest %s)", grouped(st.Left), grouped(st.Holds)),
			grouped(st.Left)+" left the view", grouped(st.Left)+" gone")
	}
	if st.Malformed > 0 {
		same(grouped(st.Malformed) + " malformed")
	}
	return [3]string{strings.Join(full, " · "), strings.Join(mid, " · "), strings.Join(short, " · ")}
}

// grouped writes a count with its thousands apart: 986,942 reads at a
// glance where 986942 has to be counted.
func grouped[N ~int | ~int64 | ~uint64](n N) string {
	s := strconv.FormatInt(int64(n), 10)
	neg := s[0] == '-'
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
