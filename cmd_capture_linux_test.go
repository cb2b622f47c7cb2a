package main

import (
	"bufio"
	"context"
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// needRoot skips (fails under LOOPSCOPE_STRICT=1) when not root: live
// capture needs it.
func needRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() == 0 {
		return
	}
	if os.Getenv("LOOPSCOPE_STRICT") == "1" {
		t.Fatal("live capture tests need root")
	}
	t.Skip("live capture needs root")
}

// startCapture runs `loopscope capture ARGS…` and waits until it is
// capturing (a first probe packet is not needed: libpcap is open once the
// child has printed nothing and the filter compiled; give it a moment).
func startCapture(t *testing.T, args ...string) (*exec.Cmd, *bufio.Scanner, *strings.Builder) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second) // a hang guard
	t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, os.Args[0], append([]string{"capture"}, args...)...)
	cmd.Env = childEnv(nil)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	time.Sleep(500 * time.Millisecond) // the capture opens
	return cmd, bufio.NewScanner(out), &stderr
}

// The JSON lines of a TCP handshake on loopback carry the keys the README
// promises, and the flags written as SYN, SYN,ACK, ACK.
func TestCaptureJSONOfAHandshake(t *testing.T) {
	needRoot(t)
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	cmd, lines, stderr := startCapture(t, "-c", "3", "--json", "-f", "tcp port "+strconv.Itoa(port))
	c, err := net.Dial("tcp4", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var flags []string
	for lines.Scan() {
		var p struct {
			No     int     `json:"no"`
			Time   string  `json:"time"`
			Src    string  `json:"src"`
			Dst    string  `json:"dst"`
			Proto  string  `json:"proto"`
			Length int     `json:"length"`
			Info   string  `json:"info"`
			Sport  *int    `json:"sport"`
			Dport  *int    `json:"dport"`
			Flags  *string `json:"flags"`
		}
		if err := json.Unmarshal(lines.Bytes(), &p); err != nil {
			t.Fatalf("%v: %s", err, lines.Text())
		}
		if p.Proto != "TCP" || p.Src != "127.0.0.1" || p.Dst != "127.0.0.1" || p.Length <= 0 || p.Sport == nil || p.Dport == nil || p.Flags == nil || p.No != len(flags)+1 {
			t.Errorf("line %s", lines.Text())
			continue
		}
		if _, err := time.Parse(time.RFC3339Nano, p.Time); err != nil {
			t.Errorf("time %q: %v", p.Time, err)
		}
		flags = append(flags, *p.Flags)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit: %v; stderr %s", err, stderr)
	}
	if strings.Join(flags, " ") != "SYN SYN,ACK ACK" {
		t.Errorf("flags %v, want SYN SYN,ACK ACK", flags)
	}
	if stderr.String() != "3 captured, 0 dropped by kernel\n" {
		t.Errorf("stderr %q", stderr.String())
	}
}

// -w writes a pcap that -r and tcpdump read back; an interrupt ends a
// capture with exit 0 and its stats line.
func TestCaptureWriteReadAndInterrupt(t *testing.T) {
	needRoot(t)
	pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	port := pc.LocalAddr().(*net.UDPAddr).Port
	file := filepath.Join(t.TempDir(), "out.pcap")
	cmd, _, stderr := startCapture(t, "-w", file, "-f", "udp dst port "+strconv.Itoa(port))
	c, _ := net.Dial("udp4", pc.LocalAddr().String())
	for i := 0; i < 5; i++ {
		c.Write([]byte("datagram " + strconv.Itoa(i)))
	}
	c.Close()
	time.Sleep(300 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGINT)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("after SIGINT: %v; stderr %s", err, stderr)
	}
	if stderr.String() != "5 captured, 0 dropped by kernel\n" {
		t.Errorf("stderr %q", stderr.String())
	}
	stdout, errOut, code := runCLI("capture", "-r", file)
	if code != 0 || strings.Count(stdout, "\n") != 5 || !strings.Contains(stdout, "→ 127.0.0.1:"+strconv.Itoa(port)+" UDP ") || errOut != "5 read, 5 shown\n" {
		t.Errorf("-r: code %d, stdout %q, stderr %q", code, stdout, errOut)
	}
	if tcpdump, err := exec.LookPath("tcpdump"); err == nil {
		out, err := exec.Command(tcpdump, "-nn", "-r", file).CombinedOutput()
		if err != nil || strings.Count(string(out), "UDP, length") != 5 {
			t.Errorf("tcpdump -r: %v\n%s", err, out)
		}
	}
	// -f applies to a file too.
	stdout, _, code = runCLI("capture", "-r", file, "-f", "udp dst port 1")
	if code != 0 || stdout != "" {
		t.Errorf("-r with a filter nothing passes: %d, %q", code, stdout)
	}
}

// Mistakes and refusals: a bad filter exits 2 with libpcap's reason; a
// damaged file prints what it could read and exits 1 saying where it
// stopped; without the right to capture, exit 1 with the setcap advice.
func TestCaptureErrors(t *testing.T) {
	needRoot(t)
	stdout, stderr, code := runCLI("capture", "-f", "tcp port")
	assertUsageError(t, stdout, stderr, code)
	if !strings.Contains(stderr, "syntax error") {
		t.Errorf("bad filter: %q", stderr)
	}

	file := filepath.Join(t.TempDir(), "cut.pcap")
	pc, _ := net.ListenPacket("udp4", "127.0.0.1:0")
	defer pc.Close()
	cmd, _, _ := startCapture(t, "-w", file, "-c", "3", "-f", "udp dst port "+strconv.Itoa(pc.LocalAddr().(*net.UDPAddr).Port))
	c, _ := net.Dial("udp4", pc.LocalAddr().String())
	for i := 0; i < 3; i++ {
		c.Write([]byte("0123456789"))
	}
	c.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(file)
	os.WriteFile(file, b[:len(b)-5], 0o644)
	stdout, stderr, code = runCLI("capture", "-r", file)
	if code != 1 || strings.Count(stdout, "\n") != 2 || !strings.Contains(stderr, "damaged after packet 2") {
		t.Errorf("damaged file: code %d, stdout %q, stderr %q", code, stdout, stderr)
	}

	// As nobody, with the capture helper beside loopscope but not allowed
	// either: exit 1, and the setcap line names the helper, never
	// loopscope (which is also the window). A bad filter is still exit 2.
	bin := binaryForAnyone(t)
	helper := buildHelper(t, filepath.Dir(bin))
	asNobody := func(args ...string) (string, string, int) {
		cmd := exec.Command(bin, args...)
		cmd.Env = childEnv(nil)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
		return runCmd(t, cmd)
	}
	stdout, stderr, code = asNobody("capture", "-c", "1")
	if code != 1 || stdout != "" || !strings.Contains(stderr, "setcap cap_net_raw,cap_net_admin+eip "+helper+"\n") {
		t.Errorf("as nobody: code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	stdout, stderr, code = asNobody("capture", "-f", "tcp port")
	if code != 2 || !strings.Contains(stderr, "syntax error") {
		t.Errorf("a bad filter as nobody: code %d, stderr %q", code, stderr)
	}

	// Once the helper has the right, loopscope capture works as nobody,
	// through it.
	setcap, err := exec.LookPath("setcap")
	if err != nil {
		t.Skip("setcap not found")
	}
	if out, err := exec.Command(setcap, "cap_net_raw,cap_net_admin+eip", helper).CombinedOutput(); err != nil {
		t.Fatalf("setcap: %v\n%s", err, out)
	}
	pc2, _ := net.ListenPacket("udp4", "127.0.0.1:0")
	defer pc2.Close()
	go func() {
		for range 50 { // until the capture is open
			time.Sleep(100 * time.Millisecond)
			c, err := net.Dial("udp4", pc2.LocalAddr().String())
			if err == nil {
				c.Write([]byte("through the helper"))
				c.Close()
			}
		}
	}()
	stdout, stderr, code = asNobody("capture", "-c", "2", "-f", "udp dst port "+strconv.Itoa(pc2.LocalAddr().(*net.UDPAddr).Port))
	if code != 0 || strings.Count(stdout, "\n") != 2 || stderr != "2 captured, 0 dropped by kernel\n" {
		t.Errorf("as nobody through the helper: code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

// binaryForAnyone copies the test binary where any user may run it: the
// build's own folder is root's alone.
func binaryForAnyone(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "loopscope-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	b, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "loopscope.test")
	if err := os.WriteFile(bin, b, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return bin
}
