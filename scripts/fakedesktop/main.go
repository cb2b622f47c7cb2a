//go:build linux

// Command fakedesktop plays a desktop's tray and notification service on a
// private D-Bus session bus, for trying Loopscope's tray where there is
// none (Xvfb, a bare window manager):
//
//	go run ./scripts/fakedesktop &   # prints DBUS_SESSION_BUS_ADDRESS=...
//	DBUS_SESSION_BUS_ADDRESS=... ./loopscope
//
// It prints each notification it receives, and the tray menu whenever it
// changes, until interrupted.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/loopscope/loopscope/internal/session/fakebus"
)

func main() {
	bus, err := fakebus.Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer bus.Close()
	tray, err := bus.ServeTray()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	notes, err := bus.ServeNotifications()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("DBUS_SESSION_BUS_ADDRESS=%s\n", bus.Addr)
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt)
	items := make(chan string, 1)
	go func() {
		for {
			if name, err := tray.Item(time.Hour); err == nil {
				items <- name
			}
		}
	}()
	var item, last string
	told := 0
	for {
		select {
		case <-stop:
			return
		case item = <-items:
			fmt.Println("tray: an icon from", item)
		case <-time.After(500 * time.Millisecond):
		}
		for _, n := range notes.All()[told:] {
			fmt.Printf("notification: %s — %s\n", n.Title, n.Body)
			told++
		}
		if item == "" {
			continue
		}
		if m, err := tray.Menu(item); err == nil {
			if s := menuText(m, ""); s != last {
				fmt.Print("tray menu:\n", s)
				last = s
			}
		}
	}
}

func menuText(m []fakebus.MenuItem, indent string) string {
	var b strings.Builder
	for _, it := range m {
		fmt.Fprintf(&b, "%s  [%d] %s\n", indent, it.ID, it.Label)
		b.WriteString(menuText(it.Children, indent+"  "))
	}
	return b.String()
}
