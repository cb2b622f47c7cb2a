package sniff

import (
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// buildHelper builds the capture helper once per test binary.
func buildHelper(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, HelperName)
	out, err := exec.Command("go", "build", "-o", bin, "github.com/loopscope/loopscope/cmd/loopscope-capture").CombinedOutput()
	if err != nil {
		t.Fatalf("build the helper: %v\n%s", err, out)
	}
	return bin
}

// sendAndWait sends n datagrams to pc and waits (10 s at most) until the
// session has taken them; it returns the packets.
func sendAndWait(t *testing.T, s *Session, pc net.PacketConn, n int, payload string) []*Entry {
	t.Helper()
	c, err := net.Dial("udp4", pc.LocalAddr().String())
	if err != nil {
		t.Fatal(err)
	}
	for range n {
		c.Write([]byte(payload))
	}
	c.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got, _ := s.Since(0)
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d packets came", len(got), n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Through the helper (run directly: the test is root, as the helper
// would be under pkexec), a session gets the packets, and Stop — closing
// the helper's stdin, which is all a parent without root can do — ends
// it with its counts.
func TestHelperSource(t *testing.T) {
	needCapture(t)
	bin := buildHelper(t)
	pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	h, err := StartHelper(nil, bin, LiveConfig{Interface: "lo", Filter: "udp dst port " + strconv.Itoa(pc.LocalAddr().(*net.UDPAddr).Port)})
	if err != nil {
		t.Fatal(err)
	}
	s := StartSession(h, Ring{})
	got := sendAndWait(t, s, pc, 7, "via the helper")
	if len(got) != 7 || got[6].Proto != ProtoUDP || got[6].Payload != len("via the helper") {
		t.Errorf("packet: %+v", got[6].Packet)
	}
	s.Stop()
	<-s.Done()
	if _, st := s.Since(0); st.Err != nil || st.Running {
		t.Errorf("after Stop: %+v", st)
	}
	if st, err := h.Stats(); err != nil || st.Received != 7 {
		t.Errorf("helper stats %+v, %v", st, err)
	}
}

// A bad filter and a helper that may not capture come back as the errors
// the tab explains.
func TestHelperErrors(t *testing.T) {
	needCapture(t)
	bin := buildHelper(t)
	if _, err := StartHelper(nil, bin, LiveConfig{Interface: "lo", Filter: "tcp port"}); !errors.Is(err, ErrFilter) || !strings.Contains(err.Error(), "syntax error") {
		t.Errorf("bad filter: %v", err)
	}
	if _, err := StartHelper(nil, bin, LiveConfig{Interface: "nosuchif0"}); err == nil || !strings.Contains(err.Error(), "nosuchif0") {
		t.Errorf("no such interface: %v", err)
	}
	// As nobody, the helper may not capture: the error says so.
	dir, _ := os.MkdirTemp("", "helper-")
	defer os.RemoveAll(dir)
	os.Chmod(dir, 0o755)
	b, _ := os.ReadFile(bin)
	anyone := filepath.Join(dir, HelperName)
	os.WriteFile(anyone, b, 0o755)
	setpriv, err := exec.LookPath("setpriv")
	if err != nil {
		t.Skip("setpriv not found")
	}
	_, err = StartHelper([]string{setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"}, anyone, LiveConfig{Interface: "lo"})
	if !errors.Is(err, ErrPermission) {
		t.Errorf("as nobody: %v", err)
	}
}

// Under steady traffic (never a quiet 100 ms) the helper's packets still
// arrive promptly: it flushes by time, not only when idle.
func TestHelperStreamsUnderSteadyTraffic(t *testing.T) {
	needCapture(t)
	bin := buildHelper(t)
	pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	h, err := StartHelper(nil, bin, LiveConfig{Interface: "lo", Filter: "udp dst port " + strconv.Itoa(pc.LocalAddr().(*net.UDPAddr).Port)})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		c, _ := net.Dial("udp4", pc.LocalAddr().String())
		defer c.Close()
		tick := time.NewTicker(20 * time.Millisecond) // 50 a second, steadily
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				c.Write([]byte("steady"))
			}
		}
	}()
	got := make(chan error, 1)
	go func() {
		for i := 0; i < 10; i++ {
			if _, err := h.Next(); err != nil {
				got <- err
				return
			}
		}
		got <- nil
	}()
	select {
	case err := <-got:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(3 * time.Second): // ten packets come in 0.2 s; before the fix, none for many seconds
		t.Fatal("the helper held its packets back under steady traffic")
	}
}

// Through FIFOs, as macOS's administrator prompt starts the helper (sh
// stands in for osascript here): the packets come, Stop ends the helper
// with its counts, and the FIFOs' folder goes. A bad filter comes back
// as ErrFilter with libpcap's reason, a refused prompt as ErrPermission.
func TestHelperDetached(t *testing.T) {
	needCapture(t)
	bin := buildHelper(t)
	sh := func(script string) *exec.Cmd { return exec.Command("sh", "-c", script) }
	pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	h, err := StartHelperDetached(sh, bin, LiveConfig{Interface: "lo", Filter: "udp dst port " + strconv.Itoa(pc.LocalAddr().(*net.UDPAddr).Port)})
	if err != nil {
		t.Fatal(err)
	}
	s := StartSession(h, Ring{})
	sendAndWait(t, s, pc, 5, "through a fifo")
	s.Stop()
	if st, err := h.Stats(); err != nil || st.Received < 5 {
		t.Errorf("counts %+v, %v", st, err)
	}
	if _, err := os.Stat(h.dir); !os.IsNotExist(err) {
		t.Errorf("the FIFOs' folder %s is left: %v", h.dir, err)
	}

	if _, err := StartHelperDetached(sh, bin, LiveConfig{Interface: "lo", Filter: "tcp port"}); !errors.Is(err, ErrFilter) || !strings.Contains(err.Error(), "syntax error") {
		t.Errorf("a bad filter: %v", err)
	}
	refuse := func(string) *exec.Cmd { return exec.Command("sh", "-c", "echo 'User canceled. (-128)' >&2; exit 1") }
	if _, err := StartHelperDetached(refuse, bin, LiveConfig{Interface: "lo"}); !errors.Is(err, ErrPermission) || !strings.Contains(err.Error(), "User canceled") {
		t.Errorf("a refused prompt: %v", err)
	}
}

// The script given to osascript is one AppleScript string.
func TestAppleScriptString(t *testing.T) {
	if got := appleScriptString(`'/Applications/Loop scope.app/x' -f "a\b" < p`); got != `"'/Applications/Loop scope.app/x' -f \"a\\b\" < p"` {
		t.Errorf("%s", got)
	}
}

// A detached helper killed without a word ends the source within a few
// seconds, with an error that says so; its folder goes.
func TestHelperDetachedKilled(t *testing.T) {
	needCapture(t)
	bin := buildHelper(t)
	sh := func(script string) *exec.Cmd { return exec.Command("sh", "-c", script) }
	h, err := StartHelperDetached(sh, bin, LiveConfig{Interface: "lo", Filter: "udp port 9"})
	if err != nil {
		t.Fatal(err)
	}
	exec.Command("pkill", "-KILL", "-f", bin+" -i lo -f udp port 9").Run()
	done := make(chan error, 1)
	go func() { _, err := h.Next(); done <- err }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "ended without a word") {
			t.Errorf("Next after the kill: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the source still waits 10 s after its helper was killed")
	}
	h.Close()
	if _, err := os.Stat(h.dir); !os.IsNotExist(err) {
		t.Errorf("the FIFOs' folder is left: %v", err)
	}
}
