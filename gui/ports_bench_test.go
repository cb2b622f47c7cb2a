package gui

import (
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/loopscope/loopscope/netinfo"
)

func benchSockets(n int) []netinfo.Socket {
	out := make([]netinfo.Socket, n)
	for i := range out {
		ip := netip.MustParseAddr("127.0.0.1")
		if i%3 == 0 {
			ip = netip.IPv4Unspecified()
		}
		out[i] = netinfo.Socket{
			Proto: netinfo.TCP, Family: netinfo.IPv4, LocalIP: ip, LocalPort: uint16(1024 + i%60000),
			State: netinfo.StateListen, Exposure: netinfo.ClassifyExposure(ip),
			Owner: netinfo.Owner{PID: int32(1000 + i%50), Process: fmt.Sprintf("server%d", i%50), User: "dev",
				Cmdline: fmt.Sprintf("python3 -m http.server %d", 1024+i)},
		}
		out[i].Holders = []netinfo.Owner{out[i].Owner}
	}
	return out
}

// BenchmarkPortsMerge is the off-UI half of a refresh of 2,000 listening
// sockets: rows formatted and merged with the previous refresh.
func BenchmarkPortsMerge(b *testing.B) {
	socks := benchSockets(2000)
	prev := mergeRows(nil, socks, time.Now(), true)
	for b.Loop() {
		mergeRows(prev, socks, time.Now(), false)
	}
}

// BenchmarkPortsFilterSort is the UI-goroutine half of a refresh of
// 2,000 rows: sorting them, then filtering.
func BenchmarkPortsFilterSort(b *testing.B) {
	rows := appendPointers(nil, mergeRows(nil, benchSockets(2000), time.Now(), true))
	search := func(r *portRow) string { return r.search }
	for b.Loop() {
		sorted := sortedRows(rows, sortSpec{col: colProcess}, comparePorts, portLast, []int{colPort, colProto, colAddress}, portKey)
		filterSorted(sorted, "server1", search)
	}
}

// BenchmarkFilterKeystroke18k is one keystroke in the filter box with
// 18,000 rows (the Processes tab's socket count on a busy server): the
// rows are already sorted, so a keystroke only filters. It must fit in a
// frame (16 ms at 60 Hz).
func BenchmarkFilterKeystroke18k(b *testing.B) {
	rows := appendPointers(nil, mergeRows(nil, benchSockets(18000), time.Now(), true))
	sorted := sortedRows(rows, sortSpec{col: colPort}, comparePorts, portLast, []int{colProto, colAddress}, portKey)
	search := func(r *portRow) string { return r.search }
	for b.Loop() {
		filterSorted(sorted, "server1", search)
	}
}

// BenchmarkSort18k is sorting 18,000 rows, as a refresh or a click on a
// column header does.
func BenchmarkSort18k(b *testing.B) {
	rows := appendPointers(nil, mergeRows(nil, benchSockets(18000), time.Now(), true))
	for b.Loop() {
		sortedRows(rows, sortSpec{col: colProcess}, comparePorts, portLast, []int{colPort, colProto, colAddress}, portKey)
	}
}

func portKey(r *portRow) string { return r.key }
