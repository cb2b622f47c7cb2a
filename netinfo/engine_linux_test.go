package netinfo

import (
	"context"
	"net"
	"os"
	"testing"
)

// key identifies a socket for comparing the two engines.
type engineKey struct {
	proto       Proto
	local       string
	lport       uint16
	remote      string
	rport       uint16
	state       string
	pid         int32
	processName string
}

func keysOf(snap Snapshot, pid int32) map[engineKey]bool {
	m := map[engineKey]bool{}
	for _, s := range snap.Sockets {
		if s.PID == pid {
			m[engineKey{s.Proto, s.LocalIP.Unmap().String(), s.LocalPort, s.RemoteIP.Unmap().String(), s.RemotePort, s.State, s.PID, s.Process}] = true
		}
	}
	return m
}

// TestNetlinkAndGopsutilAgree opens listeners and a connection of both
// families and protocols and checks both engines report the same sockets
// for this process.
func TestNetlinkAndGopsutilAgree(t *testing.T) {
	if _, ok := NewScanner().engine.(*diagEngine); !ok {
		t.Fatal("the Linux scanner does not use netlink")
	}
	l := listen(t, "tcp4", "127.0.0.1:0")
	listen(t, "tcp4", "0.0.0.0:0")
	listen(t, "udp4", "127.0.0.1:0")
	if ln, err := net.Listen("tcp6", "[::1]:0"); err == nil {
		t.Cleanup(func() { ln.Close() })
	}
	c, err := net.Dial("tcp4", l.String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	pid := int32(os.Getpid())
	for _, scope := range []Scope{Listening, AllSockets} {
		fast, err := NewScanner().Snapshot(context.Background(), scope)
		if err != nil {
			t.Fatal(err)
		}
		slow, err := newGopsutilScanner().Snapshot(context.Background(), scope)
		if err != nil {
			t.Fatal(err)
		}
		a, b := keysOf(fast, pid), keysOf(slow, pid)
		if len(a) < 3 {
			t.Fatalf("scope %d: netlink found only %d sockets of this process: %v", scope, len(a), a)
		}
		for k := range a {
			if !b[k] {
				t.Errorf("scope %d: netlink has %+v, gopsutil does not", scope, k)
			}
		}
		for k := range b {
			if !a[k] {
				t.Errorf("scope %d: gopsutil has %+v, netlink does not", scope, k)
			}
		}
	}
}

func TestWarmSnapshotSeesNewSockets(t *testing.T) {
	s := NewScanner()
	if _, err := s.Snapshot(context.Background(), Listening); err != nil {
		t.Fatal(err)
	}
	// A socket opened after the first walk, by a process already walked.
	addr := listen(t, "tcp4", "127.0.0.1:0")
	snap, err := s.Snapshot(context.Background(), Listening)
	if err != nil {
		t.Fatal(err)
	}
	got, ok := find(snap, TCP, addr)
	if !ok || got.PID != int32(os.Getpid()) {
		t.Fatalf("new listener %s: found %v with PID %d, want PID %d", addr, ok, got.PID, os.Getpid())
	}
}

func TestDualStackIsReported(t *testing.T) {
	ln, err := net.Listen("tcp", "[::]:0") // Go leaves IPV6_V6ONLY off: dual-stack
	if err != nil {
		t.Skipf("no IPv6: %v", err)
	}
	defer ln.Close()
	snap, err := NewScanner().Snapshot(context.Background(), Listening)
	if err != nil {
		t.Fatal(err)
	}
	s, ok := find(snap, TCP, ln.Addr())
	if !ok {
		t.Fatalf("listener %s not found", ln.Addr())
	}
	if s.AcceptsIPv4 == nil || !*s.AcceptsIPv4 {
		t.Errorf("AcceptsIPv4 = %v, want true for a dual-stack socket", s.AcceptsIPv4)
	}
	if why := ExposureWhy(s); why != "Reachable from other machines: bound to ::, every IPv6 interface, and IPv4 too (dual-stack)." {
		t.Errorf("ExposureWhy = %q", why)
	}
}

func TestSocketInode(t *testing.T) {
	tests := []struct {
		in   string
		want uint32
		ok   bool
	}{{"socket:[12345]", 12345, true}, {"pipe:[7]", 0, false}, {"socket:[]", 0, false}, {"socket:[x]", 0, false}, {"/dev/null", 0, false}}
	for _, tt := range tests {
		got, ok := socketInode([]byte(tt.in))
		if got != tt.want || ok != tt.ok {
			t.Errorf("socketInode(%q) = %d, %v", tt.in, got, ok)
		}
	}
}

// FuzzParseDiagMsg: a malformed netlink message never panics the parser.
func FuzzParseDiagMsg(f *testing.F) {
	f.Add(make([]byte, inetDiagMsgLen))
	f.Add(append([]byte{10, 10}, make([]byte, inetDiagMsgLen+8)...))
	f.Fuzz(func(t *testing.T, b []byte) {
		parseDiagMsg(b, 6)
		diagV6Only(b)
	})
}

// TestPortDumpIsFiltered: the per-port dump returns the sockets on that
// port and no others.
func TestPortDumpIsFiltered(t *testing.T) {
	l := listen(t, "tcp4", "127.0.0.1:0").(*net.TCPAddr)
	listen(t, "tcp4", "127.0.0.1:0") // another port, to be left out
	c, err := net.Dial("tcp4", l.String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	got, err := diagPortDump(IPv4, TCP, uint16(l.Port), "", make([]byte, 64<<10))
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]int{}
	for _, r := range got {
		if r.lport != uint16(l.Port) {
			t.Errorf("port dump of %d returned a socket on port %d", l.Port, r.lport)
		}
		states[r.state]++
	}
	// The listener, and the server end of the connection (queued: not accepted).
	if states[StateListen] != 1 || states["ESTABLISHED"] != 1 {
		t.Errorf("port dump states %v, want one LISTEN and one ESTABLISHED", states)
	}
	listening, err := diagPortDump(IPv4, TCP, uint16(l.Port), StateListen, make([]byte, 64<<10))
	if err != nil || len(listening) != 1 || listening[0].state != StateListen {
		t.Errorf("port dump of LISTEN only: %+v, %v", listening, err)
	}
}
