package main

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/ipv4"
)

// BenchmarkWindowPacketsFlood: the real window (under Xvfb) captures on
// loopback through the helper while a UDP flood of 100,000 datagrams a
// second (LOOPSCOPE_FLOOD_RATE) runs for 10 s; LOOPSCOPE_FLOOD_PAUSED=1
// ticks Pause view first. It reports the lag of the
// UI goroutine (99th percentile over the flood's last 10 s, as the probe
// measures it), the window's memory at the end (all resident, and its
// own), and how many packets it had taken. Needs
// root, Xvfb and xdotool; run by make bench.
func BenchmarkWindowPacketsFlood(b *testing.B) {
	if os.Geteuid() != 0 {
		b.Skip("capture needs root")
	}
	for _, tool := range []string{"Xvfb", "xdotool"} {
		if _, err := exec.LookPath(tool); err != nil {
			b.Skip(tool + " is not installed")
		}
	}
	bin := filepath.Dir(buildHelper(b, b.TempDir()))
	display := ":" + strconv.Itoa(80+os.Getpid()%9)
	xvfb := exec.Command("Xvfb", display, "-screen", "0", "1920x1200x24", "-nolisten", "tcp")
	if err := xvfb.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() { xvfb.Process.Kill(); xvfb.Wait() }()
	time.Sleep(time.Second)
	sink, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer sink.Close()
	for b.Loop() {
		probe := filepath.Join(b.TempDir(), "probe.json")
		win := exec.Command(os.Args[0], "--tab", "Packets")
		win.Env = append(os.Environ(), "LOOPSCOPE_TEST_MAIN=1", "DISPLAY="+display, "HOME="+b.TempDir(),
			"LOOPSCOPE_PROBE="+probe, "PATH="+bin+":"+os.Getenv("PATH"))
		if err := win.Start(); err != nil {
			b.Fatal(err)
		}
		start, ok := waitProbe(probe, func(p map[string]any) bool {
			btn, _ := p["buttons"].(map[string]any)
			return btn["Start"] != nil
		})
		if !ok {
			win.Process.Kill()
			b.Fatal("the window never showed Start")
		}
		pos := start["buttons"].(map[string]any)["Start"].(map[string]any)
		click := exec.Command("xdotool", "search", "--sync", "--onlyvisible", "--name", "^Loopscope$")
		click.Env = append(os.Environ(), "DISPLAY="+display)
		id, _ := click.Output()
		mv := exec.Command("xdotool", "mousemove", "--window", strings.Fields(string(id))[0],
			fmt.Sprint(int(pos["X"].(float64))), fmt.Sprint(int(pos["Y"].(float64))), "click", "1")
		mv.Env = click.Env
		mv.Run()
		if _, ok := waitProbe(probe, func(p map[string]any) bool {
			return strings.HasPrefix(p["status"].(string), "Capturing")
		}); !ok {
			win.Process.Kill()
			b.Fatal("the capture did not start")
		}
		if os.Getenv("LOOPSCOPE_FLOOD_PAUSED") == "1" { // the same capture, the table frozen: what the table's updates cost
			p, _ := waitProbe(probe, func(p map[string]any) bool { _, ok := p["buttons"].(map[string]any)["Pause view"]; return ok })
			pp := p["buttons"].(map[string]any)["Pause view"].(map[string]any)
			pause := exec.Command("xdotool", "mousemove", "--window", strings.Fields(string(id))[0],
				fmt.Sprint(int(pp["X"].(float64))), fmt.Sprint(int(pp["Y"].(float64))), "click", "1")
			pause.Env = click.Env
			pause.Run()
			time.Sleep(300 * time.Millisecond)
		}
		from := time.Now()
		sent := floodUDP(sink.LocalAddr().String(), floodRate(), 10*time.Second)
		to := time.Now()
		rss, anon := rssMB(win.Process.Pid), anonMB(win.Process.Pid)
		last, ok := waitProbe(probe, func(p map[string]any) bool { // one that saw the flood's end
			w, _ := p["ui_waits"].([]any)
			return len(w) > 0 && int64(w[len(w)-1].([]any)[0].(float64)) >= to.UnixMilli()
		})
		if !ok {
			win.Process.Kill()
			b.Fatal("the probe never showed the UI waits after the flood")
		}
		time.Sleep(3 * time.Second) // the window takes what is left
		raw, _ := os.ReadFile(probe)
		var after map[string]any
		json.Unmarshal(raw, &after)
		win.Process.Kill()
		win.Wait()
		b.ReportMetric(p99During(last, from, to), "ui-p99-ms")
		b.ReportMetric(rss, "rss-MB")
		b.ReportMetric(anon, "anon-MB")
		b.ReportMetric(float64(sent), "sent")
		if m, ok := last["go_memory"].(map[string]any); ok {
			b.ReportMetric(m["heap_objects"].(float64), "heap-MB")
			b.ReportMetric(m["heap_free"].(float64)+m["heap_unused"].(float64), "heap-spare-MB")
			b.ReportMetric(m["total"].(float64)-m["heap_released"].(float64), "go-MB")
		}
		b.Logf("at the flood's end: %v; 3 s later: %v", last["status"], after["status"])
	}
}

// p99During is the 99th percentile, in ms, of the UI waits the probe p
// saw end between from and to: the flood's own, by the clock.
func p99During(p map[string]any, from, to time.Time) float64 {
	var waits []float64
	all, _ := p["ui_waits"].([]any)
	for _, w := range all {
		end, ms := w.([]any)[0].(float64), w.([]any)[1].(float64)
		if int64(end) >= from.UnixMilli() && int64(end) <= to.UnixMilli() {
			waits = append(waits, ms)
		}
	}
	if len(waits) == 0 {
		return 0
	}
	slices.Sort(waits)
	return waits[len(waits)*99/100]
}

// waitProbe waits (at most 20 s) until the probe shows what cond wants.
func waitProbe(path string, cond func(map[string]any) bool) (map[string]any, bool) {
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		var p map[string]any
		if raw, err := os.ReadFile(path); err == nil && json.Unmarshal(raw, &p) == nil && cond(p) {
			return p, true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return nil, false
}

// floodUDP sends rate datagrams a second to addr for d, with sendmmsg.
func floodUDP(addr string, rate int, d time.Duration) int {
	dst, _ := net.ResolveUDPAddr("udp4", addr)
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		return 0
	}
	defer c.Close()
	pc := ipv4.NewPacketConn(c)
	batch := make([]ipv4.Message, 256)
	for i := range batch {
		batch[i] = ipv4.Message{Buffers: [][]byte{make([]byte, 64)}, Addr: dst}
	}
	start, sent := time.Now(), 0
	for time.Since(start) < d {
		for due := int(float64(rate) * time.Since(start).Seconds()); sent < due; {
			n, err := pc.WriteBatch(batch[:min(len(batch), due-sent)], 0)
			if err != nil {
				return sent
			}
			sent += n
		}
		time.Sleep(10 * time.Millisecond)
	}
	return sent
}

// anonMB is a process's private resident memory (RssAnon), in MB: what
// it holds of its own, without the pages of shared libraries (Mesa's
// software renderer maps about 95 MB of them under Xvfb).
func anonMB(pid int) float64 {
	raw, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	for _, line := range strings.Split(string(raw), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "RssAnon:" {
			kb, _ := strconv.Atoi(f[1])
			return float64(kb) / 1024
		}
	}
	return 0
}

// rssMB is a process's resident memory, in MB.
func rssMB(pid int) float64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/statm", pid))
	if err != nil {
		return 0
	}
	f := strings.Fields(string(raw))
	pages, _ := strconv.Atoi(f[1])
	return float64(pages*os.Getpagesize()) / (1 << 20)
}

// floodRate is the flood's datagrams a second: 100,000, the rate of the
// capture benchmark, unless LOOPSCOPE_FLOOD_RATE says otherwise.
func floodRate() int {
	if n, err := strconv.Atoi(os.Getenv("LOOPSCOPE_FLOOD_RATE")); err == nil && n > 0 {
		return n
	}
	return 100_000
}
