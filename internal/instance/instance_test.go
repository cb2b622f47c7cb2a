package instance

import (
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
