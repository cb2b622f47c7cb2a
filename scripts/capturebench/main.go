// Command capturebench floods loopback with UDP datagrams at a steady
// rate and captures them with `loopscope capture` and with tcpdump at the
// same time, both printing a line per packet (to /dev/null), then prints
// how many each captured and how many the kernel dropped for each. Run by
// make bench; needs root (or the capture capability) and tcpdump.
//
//	go run ./scripts/capturebench [-rate 100000] [-for 10s]
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"time"

	"golang.org/x/net/ipv4"
)

func main() {
	rate := flag.Int("rate", 100_000, "datagrams per second")
	dur := flag.Duration("for", 10*time.Second, "how long to flood")
	flag.Parse()
	if err := run(*rate, *dur); err != nil {
		fmt.Fprintln(os.Stderr, "capturebench:", err)
		os.Exit(1)
	}
}

func run(rate int, dur time.Duration) error {
	dir, err := os.MkdirTemp("", "capturebench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "loopscope")
	build := exec.Command("go", "build", "-tags", "migrated_fynedo", "-o", bin, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("build: %w", err)
	}
	tcpdump, err := exec.LookPath("tcpdump")
	if err != nil {
		return fmt.Errorf("tcpdump is needed: run 'make deps'")
	}
	sink, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer sink.Close()
	go drain(sink)
	port := strconv.Itoa(sink.LocalAddr().(*net.UDPAddr).Port)
	filter := "udp dst port " + port

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var lsErr, tdErr bytes.Buffer
	ls := exec.CommandContext(ctx, bin, "capture", "-f", filter)
	ls.Stderr = &lsErr
	td := exec.CommandContext(ctx, tcpdump, "-n", "-i", "lo", filter)
	td.Stderr = &tdErr
	for _, c := range []*exec.Cmd{ls, td} {
		c.Cancel = func() error { return c.Process.Signal(os.Interrupt) }
		if err := c.Start(); err != nil {
			return err
		}
	}
	time.Sleep(time.Second) // both open their captures
	sent, took := flood(sink.LocalAddr().String(), rate, dur)
	time.Sleep(time.Second) // both catch up
	cancel()
	ls.Wait()
	td.Wait()

	lsN, lsDrop := parse(lsErr.String(), `(\d+) captured, (\d+) dropped by kernel`)
	tdN, tdDrop := parse(tdErr.String(), `(\d+) packets captured`, `(\d+) packets dropped by kernel`)
	fmt.Printf("UDP flood on loopback: %d datagrams in %.1f s (%.0f/s)\n", sent, took.Seconds(), float64(sent)/took.Seconds())
	fmt.Printf("  loopscope capture  %9d captured, %d dropped by kernel\n", lsN, lsDrop)
	fmt.Printf("  tcpdump            %9d captured, %d dropped by kernel\n", tdN, tdDrop)
	if lsN < 0 || tdN < 0 {
		return fmt.Errorf("could not read the counts:\nloopscope: %s\ntcpdump: %s", lsErr.String(), tdErr.String())
	}
	return nil
}

// flood sends datagrams at rate per second for d, in batches every 10 ms,
// with sendmmsg (a system call per batch, not per datagram), so the flood
// leaves the two captures most of the machine.
func flood(addr string, rate int, d time.Duration) (int, time.Duration) {
	dst, err := net.ResolveUDPAddr("udp4", addr)
	if err != nil {
		return 0, 0
	}
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		return 0, 0
	}
	defer c.Close()
	pc := ipv4.NewPacketConn(c)
	batch := make([]ipv4.Message, 256)
	for i := range batch {
		batch[i] = ipv4.Message{Buffers: [][]byte{make([]byte, 64)}, Addr: dst}
	}
	start := time.Now()
	sent := 0
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for time.Since(start) < d {
		due := int(float64(rate) * time.Since(start).Seconds())
		for sent < due {
			n, err := pc.WriteBatch(batch[:min(len(batch), due-sent)], 0)
			if err != nil {
				return sent, time.Since(start)
			}
			sent += n
		}
		<-tick.C
	}
	return sent, time.Since(start)
}

func drain(pc net.PacketConn) {
	buf := make([]byte, 2048)
	for {
		if _, _, err := pc.ReadFrom(buf); err != nil {
			return
		}
	}
}

// parse finds the numbers the patterns capture; -1 when one is missing.
func parse(s string, patterns ...string) (int, int) {
	var out []int
	for _, p := range patterns {
		for _, m := range regexp.MustCompile(p).FindAllStringSubmatch(s, -1) {
			for _, g := range m[1:] {
				n, _ := strconv.Atoi(g)
				out = append(out, n)
			}
		}
	}
	for len(out) < 2 {
		out = append(out, -1)
	}
	return out[0], out[1]
}
