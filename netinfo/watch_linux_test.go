package netinfo

import (
	"context"
	"net"
	"os"
	"strconv"
	"testing"
)

// TestChangesOnRealSockets opens a listener reachable from other machines
// and closes it, between real snapshots, and checks the changes against
// what ss says and who holds the socket.
func TestChangesOnRealSockets(t *testing.T) {
	s := NewScanner()
	ctx := context.Background()
	snap := func() []Socket {
		t.Helper()
		sn, err := s.Snapshot(ctx, Listening)
		if err != nil {
			t.Fatal(err)
		}
		return sn.Sockets
	}
	before := snap()
	l, err := net.Listen("tcp4", "0.0.0.0:0")
	if err != nil {
		t.Fatal(err)
	}
	port := uint16(l.Addr().(*net.TCPAddr).Port)
	if e := ssSockets(t, "-tln", port); len(e) != 1 || e[0].local != "0.0.0.0:"+strconv.Itoa(int(port)) {
		t.Fatalf("ss shows %+v for port %d, want one listener on 0.0.0.0", e, port)
	}
	during := snap()
	var found bool
	for _, c := range Changes(before, during, []uint16{port}) {
		if c.Port != port {
			continue // another program's socket came or went meanwhile
		}
		found = true
		if c.Proto != TCP || len(c.Sockets) != 1 || c.Sockets[0].PID != int32(os.Getpid()) {
			t.Errorf("change %+v, want TCP port %d held by this process (%d)", c, port, os.Getpid())
		}
		if c.Kind == SocketExposed && c.Sockets[0].LocalIP.String() != "0.0.0.0" {
			t.Errorf("exposed at %s, want 0.0.0.0", c.Sockets[0].LocalIP)
		}
	}
	if !found {
		t.Fatalf("no change for port %d between snapshots", port)
	}
	kinds := map[ChangeKind]bool{}
	for _, c := range Changes(before, during, []uint16{port}) {
		if c.Port == port {
			kinds[c.Kind] = true
		}
	}
	if !kinds[PortStarted] || !kinds[SocketExposed] {
		t.Errorf("changes for port %d: %v, want started and exposed", port, kinds)
	}
	l.Close()
	if e := ssSockets(t, "-tln", port); len(e) != 0 {
		t.Fatalf("ss still shows %+v after close", e)
	}
	var stopped bool
	for _, c := range Changes(during, snap(), []uint16{port}) {
		if c.Port == port {
			stopped = c.Kind == PortStopped && c.Sockets[0].PID == int32(os.Getpid())
		}
	}
	if !stopped {
		t.Errorf("port %d closed: no stop change naming this process", port)
	}
}
