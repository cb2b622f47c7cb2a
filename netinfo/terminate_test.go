package netinfo

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// TestMain lets the test binary stand in for a server holding a port:
// with NETINFO_TEST_HOLD set it listens on 127.0.0.1, prints the port and
// waits to be ended ("ignore-term" makes it ignore SIGTERM).
func TestMain(m *testing.M) {
	if mode := os.Getenv("NETINFO_TEST_HOLD"); mode != "" {
		if mode == "ignore-term" {
			signal.Ignore(syscall.SIGTERM)
		}
		l, err := net.Listen("tcp4", "127.0.0.1:0")
		if err != nil {
			os.Exit(3)
		}
		fmt.Println(l.Addr().(*net.TCPAddr).Port)
		select {}
	}
	os.Exit(m.Run())
}

// holder is a child process holding a port.
type holder struct {
	cmd    *exec.Cmd
	port   uint16
	exited chan struct{}
}

func startHolder(t *testing.T, mode string) *holder {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "NETINFO_TEST_HOLD="+mode)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	h := &holder{cmd: cmd, exited: make(chan struct{})}
	go func() { cmd.Wait(); close(h.exited) }() // reap, so it does not linger as a zombie
	t.Cleanup(func() { cmd.Process.Kill(); <-h.exited })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("holder printed no port: %v", err)
	}
	p, err := strconv.Atoi(line[:len(line)-1])
	if err != nil {
		t.Fatal(err)
	}
	h.port = uint16(p)
	return h
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
	h := startHolder(t, "plain")
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

// recorder is a processControl that records signals instead of sending them.
type recorder struct {
	started time.Time
	sent    []os.Signal
}

func (r *recorder) open(pid int32) (processHandle, error) { return recHandle{r}, nil }
func (r *recorder) startTime(int32) (time.Time, error)    { return r.started, nil }

type recHandle struct{ r *recorder }

func (h recHandle) Signal(s os.Signal) error { h.r.sent = append(h.r.sent, s); return nil }
func (h recHandle) Release() error           { return nil }

func TestTerminateRefusals(t *testing.T) {
	started := time.UnixMilli(1_700_000_000_000)
	tests := []struct {
		name    string
		owner   Owner
		wantErr error
	}{
		{"pid 0", Owner{PID: 0, Started: started}, ErrRefused},
		{"pid 1", Owner{PID: 1, Started: started}, ErrRefused},
		{"self", Owner{PID: 100, Started: started}, ErrRefused},
		{"parent", Owner{PID: 99, Started: started}, ErrRefused},
		{"hidden owner", Owner{PID: 0, OwnerHidden: true}, ErrRefused},
		{"own local server", Owner{PID: 4242, Started: started}, ErrRefused},
		{"unknown start time", Owner{PID: 500}, ErrRefused},
		{"start-time mismatch (PID reused)", Owner{PID: 500, Started: started.Add(-time.Second)}, ErrExited},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{started: started}
			term := &Terminator{ctl: rec, self: 100, parent: 99, protected: func(pid int32) bool { return pid == 4242 }}
			if err := term.Signal(tt.owner, true); !errors.Is(err, tt.wantErr) {
				t.Errorf("Signal = %v, want %v", err, tt.wantErr)
			}
			if len(rec.sent) != 0 {
				t.Errorf("signals sent: %v, want none", rec.sent)
			}
		})
	}
	t.Run("matching start time is signalled", func(t *testing.T) {
		rec := &recorder{started: started}
		term := &Terminator{ctl: rec, self: 100, parent: 99}
		if err := term.Signal(Owner{PID: 500, Started: started}, false); err != nil || len(rec.sent) != 1 {
			t.Errorf("Signal = %v with %d signals, want nil with 1", err, len(rec.sent))
		}
	})
}

func TestParsePort(t *testing.T) {
	tests := []struct {
		in     string
		want   uint16
		wantOK bool
	}{{"80", 80, true}, {"65535", 65535, true}, {"0", 0, false}, {"65536", 0, false}, {"http", 0, false}, {"-1", 0, false}}
	for _, tt := range tests {
		got, err := ParsePort(tt.in)
		if got != tt.want || (err == nil) != tt.wantOK {
			t.Errorf("ParsePort(%q) = %d, %v", tt.in, got, err)
		}
	}
}
