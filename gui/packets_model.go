package gui

import (
	"fmt"
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
	pcolNo:    {title: "No.", width: 70, numeric: true},
	pcolTime:  {title: "Time", width: 100, numeric: true, drop: 3},
	pcolSrc:   {title: "Source", width: 160, grow: 1},
	pcolDst:   {title: "Destination", width: 160, grow: 1},
	pcolProto: {title: "Protocol", width: 84},
	pcolLen:   {title: "Length", width: 70, numeric: true, drop: 4},
	pcolInfo:  {title: "Info", width: 260, grow: 3},
	pcolProg:  {title: "Programs", width: 220, grow: 1, drop: 5}, // the first to go in a narrow window
}

// packetRow is one packet, formatted off the UI goroutine.
type packetRow struct {
	e      sniff.Entry
	key    string
	conv   sniff.ConvKey // its conversation; zero for packets without ports
	cells  [numPktCols]cellView
	search string
}

// makePacketRow formats e; times count from the capture's first packet,
// as Wireshark's do.
func makePacketRow(e sniff.Entry, first time.Time, who *owners) packetRow {
	r := packetRow{e: e, key: strconv.FormatUint(e.No, 10)}
	r.conv, _ = sniff.KeyOf(&e.Packet)
	info := sniff.Info(&e.Packet, e.Data)
	r.cells = [numPktCols]cellView{
		pcolNo:    {text: r.key},
		pcolTime:  {text: fmt.Sprintf("%.6f", e.Time.Sub(first).Seconds())},
		pcolSrc:   {text: dashIfEmpty(e.Source())},
		pcolDst:   {text: dashIfEmpty(e.Destination())},
		pcolProto: protoCell(&e.Packet),
		pcolLen:   {text: strconv.Itoa(e.Length)},
		pcolInfo:  {text: info},
		pcolProg:  {text: who.programs(&e.Packet)},
	}
	if r.cells[pcolProg].text == "—" {
		r.cells[pcolProg].dim = true
	}
	var b strings.Builder
	for i, c := range r.cells {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strings.ToLower(c.text))
	}
	if t := e.Transport(); t != "" && t != e.Proto.String() {
		b.WriteString(" " + strings.ToLower(t)) // "tcp" finds HTTP and TLS too
	}
	r.search = b.String()
	return r
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

func comparePackets(a, b *packetRow, col int) int {
	switch col {
	case pcolNo, pcolTime:
		return int(int64(a.e.No) - int64(b.e.No))
	case pcolLen:
		return a.e.Length - b.e.Length
	}
	return strings.Compare(a.cells[col].text, b.cells[col].text)
}

// packetsStatus is the tab's status line.
func packetsStatus(st sniff.SessionStats, shown int, state string) string {
	parts := []string{state, fmt.Sprintf("%d captured", st.Captured), fmt.Sprintf("%d shown", shown)}
	if st.KernelDropped > 0 {
		parts = append(parts, fmt.Sprintf("%d dropped by the kernel", st.KernelDropped))
	} else {
		parts = append(parts, "none dropped by the kernel")
	}
	if st.Left > 0 {
		parts = append(parts, fmt.Sprintf("%d left the view (it keeps the newest %d)", st.Left, sniff.DefaultRingSize))
	}
	if st.Malformed > 0 {
		parts = append(parts, fmt.Sprintf("%d malformed", st.Malformed))
	}
	return strings.Join(parts, " · ")
}
