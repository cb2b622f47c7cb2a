//go:build !windows

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/loopscope/loopscope/netinfo"
)

// holdPort listens on 127.0.0.1, prints the port and waits to be ended.
func holdPort() {
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		os.Exit(3)
	}
	fmt.Println(l.Addr().(*net.TCPAddr).Port)
	select {}
}

// holdShared listens, starts a child that inherits the listener, prints
// "PORT CHILDPID" and waits: one socket, two holders.
func holdShared() {
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		os.Exit(3)
	}
	f, _ := l.(*net.TCPListener).File()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "LOOPSCOPE_TEST_HOLD=inherit")
	cmd.ExtraFiles = []*os.File{f}
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		os.Exit(3)
	}
	line, _ := bufio.NewReader(out).ReadString('\n')
	f.Close()
	fmt.Println(l.Addr().(*net.TCPAddr).Port, strings.TrimSpace(line))
	select {}
}

// startHolder starts a child process holding a port and returns the port;
// mode "ignore-term" makes it ignore SIGTERM.
func startHolder(t *testing.T, mode string) (string, *exec.Cmd) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "LOOPSCOPE_TEST_HOLD="+mode)
	return startCmd(t, cmd)
}

// startCmd starts a holder command and returns the port it printed.
func startCmd(t *testing.T, cmd *exec.Cmd) (string, *exec.Cmd) {
	t.Helper()
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }() // reap it once it exits
	t.Cleanup(func() { cmd.Process.Kill(); <-done })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("holder printed no port: %v", err)
	}
	return strings.TrimSpace(line), cmd
}

func TestWhoAndFreeEndTheHolder(t *testing.T) {
	port, cmd := startHolder(t, "plain")

	stdout, stderr, code := runCLI("who", port, "--json")
	if code != 0 || stderr != "" {
		t.Fatalf("who %s: exit %d, stderr %q", port, code, stderr)
	}
	var owners []map[string]any
	if err := json.Unmarshal([]byte(stdout), &owners); err != nil || len(owners) != 1 {
		t.Fatalf("who --json = %q (%v), want one object", stdout, err)
	}
	if pid := owners[0]["pid"].(float64); int(pid) != cmd.Process.Pid {
		t.Errorf("who says PID %v, want the holder %d", pid, cmd.Process.Pid)
	}

	stdout, stderr, code = runCLI("free", port, "--yes")
	if code != 0 || !strings.Contains(stdout, "port "+port+" is free now") {
		t.Fatalf("free %s --yes: exit %d, stdout %q, stderr %q", port, code, stdout, stderr)
	}
	if _, _, code := runCLI("who", port); code != 1 {
		t.Errorf("who %s after free: exit %d, want 1 (nothing listens)", port, code)
	}
}

func TestFreeWithoutTerminalAsksForYes(t *testing.T) {
	port, cmd := startHolder(t, "plain")
	// In this process stdin is not a terminal, so free must not signal.
	_, stderr, code := runCLI("free", port)
	if code != 1 || !strings.Contains(stderr, "--yes") {
		t.Fatalf("free without --yes: exit %d, stderr %q; want 1 and a hint to pass --yes", code, stderr)
	}
	if err := cmd.Process.Signal(syscallZero); err != nil {
		t.Errorf("the holder was ended without confirmation: %v", err)
	}
}

func TestWhoAndFreeUsage(t *testing.T) {
	for _, args := range [][]string{{"who"}, {"who", "http"}, {"who", "0"}, {"free", "70000"}, {"free", "1", "2"}} {
		_, stderr, code := runCLI(args...)
		if code != 2 || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want 2 and one line", args, code, stderr)
		}
	}
	if _, _, code := runCLI("free", "1", "--yes"); code != 0 {
		t.Errorf("free of a port nobody holds: exit %d, want 0 (it is free)", code)
	}
}

// syscallZero is signal 0: it checks that a process exists without touching it.
var syscallZero = syscall.Signal(0)

func TestFreeEscalatesOnlyWithForce(t *testing.T) {
	port, cmd := startHolder(t, "ignore-term")
	stdout, stderr, code := runCLI("free", port, "--yes")
	if code != 1 || !strings.Contains(stderr, "run again with --force") {
		t.Fatalf("free without --force: exit %d, stdout %q, stderr %q; want 1 and a hint to use --force", code, stdout, stderr)
	}
	if err := cmd.Process.Signal(syscallZero); err != nil {
		t.Fatalf("a holder that ignores SIGTERM was ended without --force: %v", err)
	}
	stdout, stderr, code = runCLI("free", port, "--yes", "--force")
	if code != 0 || !strings.Contains(stdout, "was killed") || !strings.Contains(stdout, "port "+port+" is free now") {
		t.Fatalf("free --force: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

// TestFreeWhenTheOwnerExitsDuringThePrompt: the owner exits by itself
// while free waits for the answer; free sends nothing to its PID, says
// so, and exits 0 because the port is free.
func TestFreeWhenTheOwnerExitsDuringThePrompt(t *testing.T) {
	port, cmd := startHolder(t, "plain")
	p, _ := strconv.Atoi(port)
	answer, reply := io.Pipe()
	var out safeBuffer
	opt := freeOptions{in: bufio.NewReader(answer), out: &out, terminal: true}
	done := make(chan error, 1)
	go func() {
		done <- freePort(context.Background(), netinfo.NewScanner(), netinfo.NewTerminator(nil), uint16(p), opt)
	}()
	for !strings.Contains(out.String(), "Go ahead?") {
		time.Sleep(10 * time.Millisecond) // the question is on screen
	}
	cmd.Process.Kill() // startHolder's goroutine reaps it
	waitExited(t, cmd.Process.Pid)
	fmt.Fprintln(reply, "y")
	if err := <-done; err != nil {
		t.Fatalf("free: %v\n%s", err, out.String())
	}
	for _, want := range []string{"had already exited; nothing was sent", "port " + port + " is free now"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

// safeBuffer is a bytes.Buffer the test may read while free writes.
type safeBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *safeBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *safeBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestFreeEndsEveryHolder: a port held by a parent and the child that
// inherited it is named twice by who and freed by ending both.
func TestFreeEndsEveryHolder(t *testing.T) {
	line, cmd := startHolder(t, "share")
	f := strings.Fields(line)
	port, child := f[0], f[1]
	childPID, _ := strconv.Atoi(child)
	defer syscall.Kill(childPID, syscall.SIGKILL)

	stdout, _, code := runCLI("who", port)
	if code != 0 || !strings.Contains(stdout, "+1 more") || !strings.Contains(stdout, "PID "+child) ||
		!strings.Contains(stdout, "PID "+strconv.Itoa(cmd.Process.Pid)) {
		t.Errorf("who %s: exit %d, want both holders named:\n%s", port, code, stdout)
	}
	var socks []map[string]any
	out, _, _ := runCLI("who", port, "--json")
	if err := json.Unmarshal([]byte(out), &socks); err != nil || len(socks) != 1 {
		t.Fatalf("who --json: %v\n%s", err, out)
	}
	if holders, _ := socks[0]["holders"].([]any); len(holders) != 2 {
		t.Errorf("holders %v, want two owner objects", socks[0]["holders"])
	}
	stdout, stderr, code := runCLI("free", port, "--yes")
	if code != 0 || !strings.Contains(stdout, "port "+port+" is free now") || strings.Count(stdout, ") exited.") != 2 {
		t.Errorf("free %s: exit %d, stdout %q, stderr %q; want both ended and the port free", port, code, stdout, stderr)
	}
}

// waitExited waits until pid is a zombie or gone.
func waitExited(t *testing.T, pid int) {
	t.Helper()
	for range 500 {
		b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if err != nil || strings.Contains(string(b), ") Z ") {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("process %d did not exit", pid)
}

// degradedScanner is a scan whose fast path failed: the sockets come, and
// a warning with them.
type degradedScanner struct{}

func (degradedScanner) Snapshot(context.Context, netinfo.Scope) (netinfo.Snapshot, error) {
	return netinfo.Snapshot{Degraded: errors.New("netlink sock_diag failed (permission denied); reading /proc instead, 17× slower")}, nil
}

// free says, like ports and who, that the fast way to read sockets failed.
func TestFreeWarnsWhenNetlinkFails(t *testing.T) {
	var out, errOut bytes.Buffer
	opt := freeOptions{in: bufio.NewReader(strings.NewReader("")), out: &out, errOut: &errOut}
	if err := freePort(context.Background(), degradedScanner{}, netinfo.NewTerminator(nil), 1, opt); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "port 1 is free") || !strings.HasPrefix(errOut.String(), "loopscope: warning: netlink") {
		t.Errorf("stdout %q, stderr %q; want the port free and one warning line", out.String(), errOut.String())
	}
}
