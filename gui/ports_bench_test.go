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
			Proto: netinfo.TCP, Family: netinfo.IPv4, LocalIP: ip, LocalPort: uint16(1024 + i),
			State: netinfo.StateListen, Exposure: netinfo.ClassifyExposure(ip),
			Owner: netinfo.Owner{PID: int32(1000 + i%50), Process: fmt.Sprintf("server%d", i%50), User: "dev"},
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

// BenchmarkPortsFilterSort is the UI-goroutine half: filtering and sorting
// the 2,000 rows, as apply and every keystroke in the filter box do.
func BenchmarkPortsFilterSort(b *testing.B) {
	rows := mergeRows(nil, benchSockets(2000), time.Now(), true)
	for b.Loop() {
		filterAndSort(rows, "server1", sortSpec{col: colProcess})
	}
}
