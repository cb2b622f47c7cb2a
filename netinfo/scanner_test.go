package netinfo

import (
	"context"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"github.com/shirou/gopsutil/v4/process"
)

// find returns the socket of snap bound to addr, if any.
func find(snap Snapshot, proto Proto, addr net.Addr) (Socket, bool) {
	ap, err := netip.ParseAddrPort(addr.String())
	if err != nil {
		return Socket{}, false
	}
	for _, s := range snap.Sockets {
		if s.Proto == proto && s.LocalPort == ap.Port() && s.LocalIP.Unmap() == ap.Addr().Unmap() {
			return s, true
		}
	}
	return Socket{}, false
}

func ownProcessName(t *testing.T) string {
	t.Helper()
	p, err := process.NewProcess(int32(os.Getpid()))
	if err != nil {
		t.Fatal(err)
	}
	name, err := p.Name()
	if err != nil {
		t.Fatal(err)
	}
	return name
}

func TestSnapshotFindsRealListeners(t *testing.T) {
	tests := []struct {
		name    string
		network string
		addr    string
		proto   Proto
		want    Exposure
	}{
		{"tcp loopback v4", "tcp4", "127.0.0.1:0", TCP, ExposureLoopback},
		{"tcp all v4", "tcp4", "0.0.0.0:0", TCP, ExposureAll},
		{"tcp loopback v6", "tcp6", "[::1]:0", TCP, ExposureLoopback},
		{"udp loopback v4", "udp4", "127.0.0.1:0", UDP, ExposureLoopback},
	}
	scanner := NewScanner()
	wantName := ownProcessName(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr := listen(t, tt.network, tt.addr)
			snap, err := scanner.Snapshot(context.Background(), Listening)
			if err != nil {
				t.Fatalf("Snapshot: %v", err)
			}
			s, ok := find(snap, tt.proto, addr)
			if !ok {
				t.Fatalf("socket %s %s not in snapshot of %d sockets", tt.proto, addr, len(snap.Sockets))
			}
			if s.PID != int32(os.Getpid()) || s.Process != wantName {
				t.Errorf("owner = %d %q, want %d %q", s.PID, s.Process, os.Getpid(), wantName)
			}
			if s.Exposure != tt.want {
				t.Errorf("exposure = %q, want %q", s.Exposure, tt.want)
			}
			if !s.Listening() || s.OwnerHidden {
				t.Errorf("Listening() = %v, OwnerHidden = %v; want true, false", s.Listening(), s.OwnerHidden)
			}
			if exe, _ := os.Executable(); s.Exe != exe && filepath.Base(s.Exe) != filepath.Base(exe) {
				t.Errorf("exe = %q, want %q", s.Exe, exe)
			}
			if s.Parent != int32(os.Getppid()) {
				t.Errorf("parent = %d, want %d", s.Parent, os.Getppid())
			}
			if s.User == "" || s.Started.IsZero() || s.PortClass == "" {
				t.Errorf("missing details: user %q, started %v, class %q", s.User, s.Started, s.PortClass)
			}
		})
	}
}

// listen opens a real socket for the life of the test, skipping only when
// the machine has no IPv6 loopback at all.
func listen(t *testing.T, network, addr string) net.Addr {
	t.Helper()
	if network[:3] == "udp" {
		c, err := net.ListenPacket(network, addr)
		if err != nil {
			t.Fatalf("listen %s %s: %v", network, addr, err)
		}
		t.Cleanup(func() { c.Close() })
		return c.LocalAddr()
	}
	l, err := net.Listen(network, addr)
	if err != nil {
		if network == "tcp6" {
			t.Skipf("no IPv6 loopback on this machine: %v", err)
		}
		t.Fatalf("listen %s %s: %v", network, addr, err)
	}
	t.Cleanup(func() { l.Close() })
	return l.Addr()
}

func TestListeningScopeLeavesOutConnections(t *testing.T) {
	addr := listen(t, "tcp4", "127.0.0.1:0")
	conn, err := net.Dial("tcp4", addr.String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	scanner := NewScanner()

	listening, err := scanner.Snapshot(context.Background(), Listening)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := find(listening, TCP, conn.LocalAddr()); ok {
		t.Errorf("Listening scope holds the client end %s of a connection", conn.LocalAddr())
	}
	all, err := scanner.Snapshot(context.Background(), AllSockets)
	if err != nil {
		t.Fatal(err)
	}
	client, ok := find(all, TCP, conn.LocalAddr())
	if !ok {
		t.Fatalf("AllSockets scope lacks the client end %s", conn.LocalAddr())
	}
	if client.State != "ESTABLISHED" || client.RemotePort == 0 {
		t.Errorf("client end = state %q remote %s:%d, want ESTABLISHED to the listener", client.State, client.RemoteIP, client.RemotePort)
	}
}

func TestWhyNoProcess(t *testing.T) {
	tests := []struct {
		name       string
		proto      Proto
		state      string
		noInode    bool
		privileged bool
		want       NoProcess
	}{
		{"unaccepted connection", TCP, "ESTABLISHED", true, false, NoProcessQueued},
		{"unaccepted, peer closed", TCP, "CLOSE_WAIT", true, false, NoProcessQueued},
		{"handshake under way", TCP, "SYN_RECV", true, true, NoProcessHandshake},
		{"orphaned FIN_WAIT2", TCP, "FIN_WAIT2", true, false, NoProcessClosing},
		{"TIME_WAIT", TCP, "TIME_WAIT", true, false, NoProcessClosing},
		{"TIME_WAIT without inodes (gopsutil)", TCP, "TIME_WAIT", false, false, NoProcessClosing},
		{"unprivileged listener", TCP, StateListen, false, false, NoProcessHidden},
		{"unprivileged FIN_WAIT2 with an inode", TCP, "FIN_WAIT2", false, false, NoProcessHidden},
		{"privileged listener", UDP, StateUnconn, false, true, NoProcessKernel},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := whyNoProcess(tt.proto, tt.state, tt.noInode, tt.privileged); got != tt.want {
				t.Errorf("whyNoProcess = %q, want %q", got, tt.want)
			}
			if noProcessNotes[tt.want] == "" {
				t.Errorf("no note for %q", tt.want)
			}
		})
	}
}

func TestVanishedProcessIsSkipped(t *testing.T) {
	c := newOwnerCache()
	// PIDs above pid_max never exist.
	if _, err := c.lookup(1 << 30); err != errGone {
		t.Errorf("lookup of a PID that does not exist = %v, want errGone", err)
	}
}
