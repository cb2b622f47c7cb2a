//go:build unix

package gui

import (
	"context"
	"net"
	"syscall"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/loopscope/loopscope/netinfo"
)

// BenchmarkWatchScan is what the tray costs while the window is hidden:
// one scan of the watcher on the real scanner, warm, with 200 extra
// listeners open, 5 ports watched and notifications on. It reports the
// CPU time one scan takes (all threads, from getrusage) and the share of
// one core that is at the default 2 s interval; the target is under 1 %.
func BenchmarkWatchScan(b *testing.B) {
	for range 200 {
		l, err := net.Listen("tcp4", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { l.Close() })
	}
	a := test.NewTempApp(b)
	p := prefs{a.Preferences()}
	p.setWatchedPorts([]uint16{3000, 5432, 6379, 8080, 62893})
	w := &watcher{src: netinfo.NewScanner(), prefs: p, notify: func(string, string) {}}
	ctx := context.Background()
	w.scan(ctx) // the cold scan, which the window's start pays once
	cpu0 := cpuTime(b)
	b.ResetTimer()
	for b.Loop() {
		if st := w.scan(ctx); st.err != nil {
			b.Fatal(st.err)
		}
	}
	per := (cpuTime(b) - cpu0) / time.Duration(b.N)
	b.ReportMetric(float64(per.Microseconds())/1000, "cpu-ms/scan")
	b.ReportMetric(100*per.Seconds()/2, "%core@2s")
}

// cpuTime is the CPU time this process has used, user and system.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
