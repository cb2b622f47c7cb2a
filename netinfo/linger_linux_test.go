package netinfo

import (
	"context"
	"fmt"
	"net"
	"os"
	"strings"
	"testing"
	"time"
)

// A port nothing listens on any more can still be in use: by a
// connection its listener accepted, and then, once the server closed it
// first, by TIME_WAIT. Lingering names both, as the kernel has them.
func TestLingeringConnections(t *testing.T) {
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := uint16(l.Addr().(*net.TCPAddr).Port)
	client, err := net.Dial("tcp4", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	accepted, err := l.Accept()
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
	note := func() string {
		snap, err := NewScanner().Snapshot(context.Background(), AllSockets)
		if err != nil {
			t.Fatal(err)
		}
		if len(ListenersOn(snap.Sockets, port)) != 0 {
			t.Fatalf("port %d still has a listener", port)
		}
		return Lingering(snap.Sockets, port)
	}
	if got := note(); !strings.Contains(got, "1 ESTABLISHED") || !strings.Contains(got, fmt.Sprintf("PID %d", os.Getpid())) {
		t.Errorf("with the accepted connection open: %q", got)
	}
	accepted.Close() // the server's side closes first: its port goes to TIME_WAIT
	client.Close()
	deadline := time.Now().Add(5 * time.Second)
	for got := note(); !strings.Contains(got, "TIME_WAIT"); got = note() {
		if time.Now().After(deadline) {
			t.Fatalf("after both closed: %q, want TIME_WAIT", got)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if got := Lingering(nil, port); got != "" {
		t.Errorf("no sockets: %q", got)
	}
}
