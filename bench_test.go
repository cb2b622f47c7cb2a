package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	psnet "github.com/shirou/gopsutil/v4/net"

	"github.com/loopscope/loopscope/netinfo"
)

// benchPairs is how many loopback connections the benchmarks hold open:
// two sockets each, about 18,000 sockets in all.
const benchPairs = 9000

// openConnections opens n loopback connections held by this process for
// the life of b.
func openConnections(b *testing.B, n int) {
	b.Helper()
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { l.Close() })
	accepted := make(chan net.Conn, n)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			accepted <- c
		}
	}()
	for i := 0; i < n; i++ {
		c, err := net.Dial("tcp4", l.Addr().String())
		if err != nil {
			b.Fatalf("after %d connections: %v (raise the open-files limit: ulimit -n)", i, err)
		}
		s := <-accepted
		b.Cleanup(func() { c.Close(); s.Close() })
	}
}

// runQuiet runs a command with its output discarded.
func runQuiet(b *testing.B, env []string, name string, args ...string) {
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Run(); err != nil {
		b.Fatalf("%s %v: %v", name, args, err)
	}
}

// BenchmarkAgainstSS times, on one machine in one run with ~18,000
// loopback sockets open: `ss -tanp`; a cold `loopscope ports --all --json`
// (a new process); a warm refresh (a second snapshot in one process, as the
// window takes every 2 s); and gopsutil's Connections, the portable path.
func BenchmarkAgainstSS(b *testing.B) {
	if _, err := exec.LookPath("ss"); err != nil {
		b.Skip("ss (iproute2) is not installed")
	}
	openConnections(b, benchPairs)
	b.Run("ss-tanp", func(b *testing.B) {
		for b.Loop() {
			runQuiet(b, nil, "ss", "-tanp")
		}
	})
	b.Run("cold-ports-all-json", func(b *testing.B) {
		for b.Loop() {
			runQuiet(b, []string{"LOOPSCOPE_TEST_MAIN=1"}, os.Args[0], "ports", "--all", "--json")
		}
	})
	b.Run("warm-snapshot", func(b *testing.B) {
		s := netinfo.NewScanner()
		if _, err := s.Snapshot(context.Background(), netinfo.AllSockets); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for b.Loop() {
			snap, err := s.Snapshot(context.Background(), netinfo.AllSockets)
			if err != nil || len(snap.Sockets) < 2*benchPairs {
				b.Fatalf("snapshot: %d sockets, %v", len(snap.Sockets), err)
			}
		}
	})
	b.Run("gopsutil-connections", func(b *testing.B) {
		for b.Loop() {
			if _, err := psnet.Connections("inet"); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkWindowCPU opens the real window under Xvfb with ~18,000
// sockets open, once on each tab, and reports the CPU it uses, as a share
// of one core, averaged over 30 s after a 5 s warm-up.
func BenchmarkWindowCPU(b *testing.B) {
	if _, err := exec.LookPath("Xvfb"); err != nil {
		b.Skip("Xvfb is not installed")
	}
	openConnections(b, benchPairs)
	display := ":" + strconv.Itoa(90+os.Getpid()%9)
	xvfb := exec.Command("Xvfb", display, "-screen", "0", "1280x800x24")
	if err := xvfb.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() { xvfb.Process.Kill(); xvfb.Wait() }()
	time.Sleep(time.Second)
	for _, tab := range []string{"Ports", "Processes"} {
		b.Run(tab, func(b *testing.B) {
			for b.Loop() {
				win := exec.Command(os.Args[0], "--tab", tab)
				win.Env = append(os.Environ(), "LOOPSCOPE_TEST_MAIN=1", "DISPLAY="+display, "HOME="+b.TempDir())
				if err := win.Start(); err != nil {
					b.Fatal(err)
				}
				time.Sleep(5 * time.Second)
				t0 := cpuTicks(b, win.Process.Pid)
				time.Sleep(30 * time.Second)
				t1 := cpuTicks(b, win.Process.Pid)
				win.Process.Kill()
				win.Wait()
				const clkTck = 100 // USER_HZ on Linux
				b.ReportMetric(100*float64(t1-t0)/clkTck/30, "%cpu")
			}
		})
	}
}

// cpuTicks reads utime+stime of pid from /proc/PID/stat.
func cpuTicks(b *testing.B, pid int) int64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		b.Fatalf("the window exited: %v", err)
	}
	fields := strings.Fields(string(raw[strings.LastIndexByte(string(raw), ')')+2:]))
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	return utime + stime
}
