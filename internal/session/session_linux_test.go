package session

import (
	"os"
	"testing"

	"github.com/loopscope/loopscope/internal/session/fakebus"
)

// startBus starts a private session bus for the test, or fails (under
// make test, which installs dbus-daemon) or skips.
func startBus(t *testing.T) *fakebus.Bus {
	t.Helper()
	b, err := fakebus.Start()
	if err != nil {
		if os.Getenv("LOOPSCOPE_STRICT") == "1" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	t.Cleanup(b.Close)
	return b
}

func TestProbe(t *testing.T) {
	t.Run("no bus", func(t *testing.T) {
		t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
		s := Probe()
		if s.Tray || s.Notifications || s.TrayWhy == "" || s.NotificationsWhy == "" {
			t.Errorf("Probe() = %+v with the bus's address set empty, want neither, with reasons", s)
		}
	})
	b := startBus(t)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", b.Addr)
	if s := Probe(); s.Tray || s.Notifications || s.TrayWhy == "" || s.NotificationsWhy == "" {
		t.Errorf("Probe() on an empty bus = %+v, want no services, each with a reason", s)
	}
	if _, err := b.ServeNotifications(); err != nil {
		t.Fatal(err)
	}
	if s := Probe(); s.Tray || !s.Notifications {
		t.Errorf("Probe() with a notification service = %+v, want notifications only", s)
	}
	if _, err := b.ServeTray(); err != nil {
		t.Fatal(err)
	}
	if s := Probe(); !s.Tray || !s.Notifications || s.TrayWhy != "" {
		t.Errorf("Probe() with both = %+v, want both", s)
	}
}
