// Package session tells what the desktop session offers a program beside
// its windows: a system tray to sit in, and a service that shows
// notifications. It asks without starting anything, so that a program
// never fills its log with errors about services that are not there.
package session

// Services is what the session offers; each Why says, when its service
// is missing, why in a sentence.
type Services struct {
	Tray, Notifications       bool
	TrayWhy, NotificationsWhy string
}
