package netinfo

import (
	"context"
	"errors"
	"os/exec"
	"strconv"
	"testing"
	"time"
)

// holder is a child process holding a port.
type holder struct {
	cmd    *exec.Cmd
	port   uint16
	exited chan struct{}
}

func startHolder(t *testing.T, mode string) *holder {
	t.Helper()
	c := startChild(t, mode, nil)
	p, err := strconv.Atoi(c.line[0])
	if err != nil {
		t.Fatal(err)
	}
	return &holder{cmd: c.cmd, port: uint16(p), exited: c.exited}
}

// ownerOf finds the holder's socket in a real snapshot.
func ownerOf(t *testing.T, port uint16) Owner {
	t.Helper()
	snap, err := NewScanner().Snapshot(context.Background(), Listening)
	if err != nil {
		t.Fatal(err)
	}
	l := ListenersOn(snap.Sockets, port)
	if len(l) != 1 {
		t.Fatalf("%d listeners on port %d, want 1", len(l), port)
	}
	return l[0].Owner
}

func TestTerminateGraceful(t *testing.T) {
	h := startHolder(t, "hold")
	o := ownerOf(t, h.port)
	if o.PID != int32(h.cmd.Process.Pid) {
		t.Fatalf("owner PID %d, want the holder %d", o.PID, h.cmd.Process.Pid)
	}
	term := NewTerminator(nil)
	if err := term.Signal(o, false); err != nil {
		t.Fatalf("Signal: %v", err)
	}
	if !term.WaitExit(context.Background(), o, 10*time.Second) {
		t.Fatal("holder still runs after SIGTERM")
	}
	if err := term.Signal(o, false); !errors.Is(err, ErrExited) {
		t.Errorf("second Signal = %v, want ErrExited", err)
	}
}

func TestTerminateIgnoredNeedsForce(t *testing.T) {
	h := startHolder(t, "ignore-term")
	o := ownerOf(t, h.port)
	term := NewTerminator(nil)
	if err := term.Signal(o, false); err != nil {
		t.Fatalf("Signal: %v", err)
	}
	if term.WaitExit(context.Background(), o, GracefulTimeout) {
		t.Fatal("a holder that ignores SIGTERM exited after SIGTERM")
	}
	if err := term.Signal(o, true); err != nil {
		t.Fatalf("forced Signal: %v", err)
	}
	if !term.WaitExit(context.Background(), o, 10*time.Second) {
		t.Fatal("holder still runs after SIGKILL")
	}
}
