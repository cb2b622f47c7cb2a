//go:build linux || (cgo && (freebsd || openbsd || netbsd))

package session

import (
	"fmt"
	"os"
	"slices"

	"github.com/godbus/dbus/v5"
)

// The D-Bus names of the tray host (the StatusNotifierItem watcher that
// KDE, XFCE, Cinnamon, and GNOME with the AppIndicator extension run)
// and of the notification service.
const (
	trayName   = "org.kde.StatusNotifierWatcher"
	notifyName = "org.freedesktop.Notifications"
)

// Probe asks the session's D-Bus which services run. It never starts a
// bus (godbus's SessionBus would launch one where none runs).
func Probe() Services {
	addr := sessionBusAddress()
	if addr == "" {
		why := "no D-Bus session here"
		return Services{TrayWhy: why, NotificationsWhy: why}
	}
	conn, err := dbus.Connect(addr)
	if err != nil {
		why := fmt.Sprintf("the D-Bus session did not answer (%v)", err)
		return Services{TrayWhy: why, NotificationsWhy: why}
	}
	defer conn.Close()
	var s Services
	s.Tray = hasOwner(conn, trayName)
	if !s.Tray {
		s.TrayWhy = "this desktop has no system tray" // the README says what adds one
	}
	s.Notifications = hasOwner(conn, notifyName) || activatable(conn, notifyName)
	if !s.Notifications {
		s.NotificationsWhy = "this desktop shows no notifications"
	}
	return s
}

// sessionBusAddress is the session bus's address, from the environment
// or at its usual place, "" when there is none. The variable set but
// empty says there is none.
func sessionBusAddress() string {
	if a, ok := os.LookupEnv("DBUS_SESSION_BUS_ADDRESS"); ok {
		return a
	}
	path := fmt.Sprintf("/run/user/%d/bus", os.Getuid())
	if _, err := os.Stat(path); err == nil {
		return "unix:path=" + path
	}
	return ""
}

func hasOwner(conn *dbus.Conn, name string) bool {
	var has bool
	err := conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, name).Store(&has)
	return err == nil && has
}

// activatable reports whether the bus starts name when it is first called.
func activatable(conn *dbus.Conn, name string) bool {
	var names []string
	err := conn.BusObject().Call("org.freedesktop.DBus.ListActivatableNames", 0).Store(&names)
	return err == nil && slices.Contains(names, name)
}
