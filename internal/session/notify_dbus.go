//go:build linux || (cgo && (freebsd || openbsd || netbsd))

package session

import (
	"slices"
	"strings"
	"sync"

	"github.com/godbus/dbus/v5"
)

// AppID is the desktop entry notifications name, so the desktop shows
// Loopscope's name and icon beside them.
const AppID = "io.github.loopscope.loopscope"

// Notifier returns a function that shows a desktop notification through
// org.freedesktop.Notifications: named "Loopscope", with the server's own
// timeout, and its body escaped where the server reads markup (a program
// called <b>x</b> is shown as such, not in bold). Fyne's own names the app
// by its ID and asks for notices that never expire. Failures are dropped:
// a notification nobody can show has nobody to tell.
func Notifier() func(title, body string) {
	n := &notifier{}
	return n.notify
}

type notifier struct {
	mu     sync.Mutex // guards conn, markup
	conn   *dbus.Conn
	markup bool
}

func (n *notifier) notify(title, body string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.conn == nil {
		addr := sessionBusAddress()
		if addr == "" {
			return
		}
		conn, err := dbus.Connect(addr)
		if err != nil {
			return
		}
		n.conn = conn
		var caps []string
		obj := conn.Object(notifyName, "/org/freedesktop/Notifications")
		if obj.Call(notifyName+".GetCapabilities", 0).Store(&caps) == nil {
			n.markup = slices.Contains(caps, "body-markup")
		}
	}
	if n.markup {
		body = markupEscaper.Replace(body)
	}
	obj := n.conn.Object(notifyName, "/org/freedesktop/Notifications")
	call := obj.Call(notifyName+".Notify", 0, "Loopscope", uint32(0), AppID, title, body, []string{},
		map[string]dbus.Variant{"desktop-entry": dbus.MakeVariant(AppID)}, int32(-1))
	if call.Err != nil {
		n.conn.Close() // the next notification connects again (the bus may have restarted)
		n.conn = nil
	}
}

// markupEscaper escapes what the notification spec's markup reads.
var markupEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
