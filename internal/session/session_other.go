//go:build !(linux || (cgo && (freebsd || openbsd || netbsd)))

package session

import "runtime"

// Probe says what the session offers: Windows and macOS always have a
// tray (the notification area, the menu bar) and notifications. A BSD
// build without cgo cannot speak D-Bus, so it cannot tell.
func Probe() Services {
	switch runtime.GOOS {
	case "windows", "darwin":
		return Services{Tray: true, Notifications: true}
	}
	why := "this build cannot ask the desktop (its D-Bus support needs cgo)"
	return Services{TrayWhy: why, NotificationsWhy: why}
}

// Notifier is nil here: Fyne's own notifications serve Windows and macOS.
func Notifier() func(title, body string) { return nil }
