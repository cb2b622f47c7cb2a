package session

import (
	"testing"
	"time"

	"github.com/loopscope/loopscope/internal/session/fakebus"
)

func TestProbe(t *testing.T) {
	t.Run("no bus", func(t *testing.T) {
		t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
		s := Probe()
		if s.Tray || s.Notifications || s.TrayWhy == "" || s.NotificationsWhy == "" {
			t.Errorf("Probe() = %+v with the bus's address set empty, want neither, with reasons", s)
		}
	})
	b := fakebus.StartForTest(t)
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

// Notifier names Loopscope, leaves the timeout to the desktop, points at
// its desktop entry, and escapes markup in bodies for a server that reads it.
func TestNotifier(t *testing.T) {
	b := fakebus.StartForTest(t)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", b.Addr)
	notes, err := b.ServeNotifications()
	if err != nil {
		t.Fatal(err)
	}
	Notifier()("TCP port 8000 is listening", `<b>x</b> & "y" (PID 1) started listening`)
	n, err := notes.Wait(5*time.Second, func(fakebus.Notification) bool { return true })
	if err != nil {
		t.Fatal(err)
	}
	if n.App != "Loopscope" || n.Icon != AppID || n.Timeout != -1 || n.Hints["desktop-entry"].Value() != AppID {
		t.Errorf("notification %+v", n)
	}
	if n.Title != "TCP port 8000 is listening" || n.Body != `&lt;b&gt;x&lt;/b&gt; &amp; "y" (PID 1) started listening` {
		t.Errorf("title %q, body %q", n.Title, n.Body)
	}
}
