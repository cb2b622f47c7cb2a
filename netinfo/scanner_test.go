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

func TestNoOwnerExplainsItself(t *testing.T) {
	hidden := noOwner(Socket{Proto: TCP, State: StateListen}, false)
	if !hidden.OwnerHidden || hidden.PID != 0 || hidden.OwnerNote == "" {
		t.Errorf("unprivileged ownerless socket = %+v, want hidden with a note", hidden)
	}
	kernel := noOwner(Socket{Proto: UDP, State: StateUnconn}, true)
	if kernel.OwnerHidden || kernel.OwnerNote == "" {
		t.Errorf("privileged ownerless socket = %+v, want a kernel note, not hidden", kernel)
	}
	tw := noOwner(Socket{Proto: TCP, State: "TIME_WAIT"}, false)
	if tw.OwnerHidden {
		t.Errorf("TIME_WAIT socket counted as hidden: %+v", tw)
	}
}

func TestVanishedProcessIsSkipped(t *testing.T) {
	c := newOwnerCache()
	// PIDs above pid_max never exist.
	if _, err := c.lookup(context.Background(), 1<<30); err != errGone {
		t.Errorf("lookup of a PID that does not exist = %v, want errGone", err)
	}
}
