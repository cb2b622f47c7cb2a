package netinfo

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

func TestPortHoldersNamesTheProcessThatHoldsIt(t *testing.T) {
	c := startChild(t, "hold", nil)
	port, pid := c.line[0], c.cmd.Process.Pid
	snap, err := NewScanner().Snapshot(context.Background(), Listening)
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParsePort(port)
	if err != nil {
		t.Fatal(err)
	}
	got := PortHolders(snap.Sockets, TCP, p)
	if !strings.Contains(got, fmt.Sprintf("(PID %d)", pid)) {
		t.Errorf("PortHolders(tcp %s) = %q, want the child's PID %d", port, got, pid)
	}
	if got := PortHolders(snap.Sockets, UDP, p); got != "" {
		t.Errorf("PortHolders(udp %s) = %q: nothing holds UDP there", port, got)
	}
}
