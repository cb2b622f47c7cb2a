package gui

import (
	"net/netip"
	"runtime"
	"testing"
	"time"

	"github.com/loopscope/loopscope/sniff"
)

// floodBatch is a batch of n UDP packets numbered from first, as a flood
// brings them.
func floodBatch(first uint64, n int, at time.Time, who *owners) []packetRow {
	entries := make([]sniff.Entry, n) // as the session's slab holds them
	rows := make([]packetRow, n)
	for i := range rows {
		entries[i] = sniff.Entry{Packet: sniff.Packet{No: first + uint64(i), Time: at, Length: 60, CapLen: 60, Proto: sniff.ProtoUDP,
			Src: netip.MustParseAddr("127.0.0.1"), Dst: netip.MustParseAddr("127.0.0.1"), SrcPort: 40000, DstPort: 9999, Payload: 18},
			Data: make([]byte, 60)}
		rows[i] = makePacketRow(&entries[i], at, who)
	}
	return rows
}

// BenchmarkPacketsFloodBatch: one batch of a 50,000-packets-a-second
// flood (5,000 packets in 100 ms) into a table already holding 100,000,
// the oldest 5,000 leaving: the formatting (off the UI goroutine) and the
// append (on it). It reports the bytes each row holds once settled.
func BenchmarkPacketsFloodBatch(b *testing.B) {
	sh := newTestShell(b, nil)
	v := newPacketsView(sh)
	var who owners
	at := time.Now()
	next := uint64(1)
	for next <= 100_000 {
		v.table.appendRows(floodBatch(next, 5000, at, &who), 0, true, false)
		next += 5000
	}
	b.ResetTimer()
	for b.Loop() {
		rows := floodBatch(next, 5000, at, &who)
		next += 5000
		v.table.appendRows(rows, 5000, true, false)
	}
	b.StopTimer()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	b.ReportMetric(float64(m.HeapAlloc)/float64(len(v.table.all)), "heap-B/row")
}

// BenchmarkPacketsSortByInfo: sorting 100,000 packets by Info, the one
// column whose text must be made to compare (once per row, then kept).
func BenchmarkPacketsSortByInfo(b *testing.B) {
	sh := newTestShell(b, nil)
	v := newPacketsView(sh)
	var who owners
	at := time.Now()
	for next := uint64(1); next <= 100_000; next += 5000 {
		v.table.appendRows(floodBatch(next, 5000, at, &who), 0, true, false)
	}
	for b.Loop() {
		v.table.sort = sortSpec{col: pcolInfo, desc: !v.table.sort.desc}
		v.table.resort()
		v.table.refilter(false)
	}
}
