package instance

import (
	"errors"
	"net"
	"path/filepath"
	"testing"
	"time"
)

func TestStart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fyne", "app", "instance.sock")
	first, handed, err := Start(path, "")
	if err != nil || handed {
		t.Fatalf("first start: handed %v, %v", handed, err)
	}
	_, handed, err = Start(path, "Processes\n\x1b[31m")
	if err != nil || !handed {
		t.Fatalf("second start: handed %v, %v", handed, err)
	}
	select {
	case got := <-first.Requests:
		if got != "Processes" {
			t.Errorf("the first got %q", got)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("the first got nothing")
	}
	first.Close()

	// A socket file nobody listens on (an instance that crashed) is taken over.
	l, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	l.(*net.UnixListener).SetUnlinkOnClose(false)
	l.Close()
	again, handed, err := Start(path, "")
	if err != nil || handed {
		t.Fatalf("after a crash: handed %v, %v", handed, err)
	}
	again.Close()
}

// A running instance that does not answer (stopped, hung) is not taken
// over: the start says so instead of opening a second window.
func TestStartNotAnswering(t *testing.T) {
	path := filepath.Join(t.TempDir(), "instance.sock")
	l, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() { // accepts, and never answers
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	p, handed, err := Start(path, "Ports")
	if p != nil || handed || !errors.Is(err, ErrNotAnswering) {
		t.Fatalf("Start = %v, %v, %v; want ErrNotAnswering", p, handed, err)
	}
}
