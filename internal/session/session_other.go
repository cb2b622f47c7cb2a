//go:build !(linux || freebsd || openbsd || netbsd)

package session

// Probe says what the session offers: Windows and macOS always have a
// tray (the notification area, the menu bar) and notifications.
func Probe() Services { return Services{Tray: true, Notifications: true} }
