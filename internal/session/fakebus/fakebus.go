//go:build linux

// Package fakebus runs a private D-Bus session bus with stand-ins for a
// desktop's tray host and notification service, so that tests can see
// what a program puts in the tray and which notifications it sends, and
// click its tray menu, as a desktop would. Test support only.
package fakebus

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// Bus is a private session bus: a dbus-daemon of its own.
type Bus struct {
	// Addr is the value for DBUS_SESSION_BUS_ADDRESS.
	Addr  string
	cmd   *exec.Cmd
	conns []*dbus.Conn
}

// Start starts a session bus; Close stops it.
func Start() (*Bus, error) {
	daemon, err := exec.LookPath("dbus-daemon")
	if err != nil {
		return nil, fmt.Errorf("fakebus: %w (Debian: apt install dbus-daemon)", err)
	}
	cmd := exec.Command(daemon, "--session", "--nofork", "--nopidfile", "--print-address=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("fakebus: start dbus-daemon: %w", err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		return nil, fmt.Errorf("fakebus: dbus-daemon printed no address: %w", err)
	}
	return &Bus{Addr: strings.TrimSpace(line), cmd: cmd}, nil
}

// StartForTest starts a bus for the life of t. Without dbus-daemon the
// test is skipped, or fails under LOOPSCOPE_STRICT=1 (make test, which
// installs it).
func StartForTest(t testing.TB) *Bus {
	t.Helper()
	b, err := Start()
	if err != nil {
		if os.Getenv("LOOPSCOPE_STRICT") == "1" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	t.Cleanup(b.Close)
	return b
}

// Close disconnects the stand-ins and stops the bus.
func (b *Bus) Close() {
	for _, c := range b.conns {
		c.Close()
	}
	b.cmd.Process.Kill()
	b.cmd.Wait()
}

// connect opens a connection of the test's own and claims name on it.
func (b *Bus) connect(name string) (*dbus.Conn, error) {
	conn, err := dbus.Connect(b.Addr)
	if err != nil {
		return nil, fmt.Errorf("fakebus: connect: %w", err)
	}
	b.conns = append(b.conns, conn)
	reply, err := conn.RequestName(name, dbus.NameFlagDoNotQueue)
	if err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		return nil, fmt.Errorf("fakebus: claim %s: reply %v, %v", name, reply, err)
	}
	return conn, nil
}

// Notification is one notification a program sent.
type Notification struct {
	App, Icon, Title, Body string
	Hints                  map[string]dbus.Variant
	Timeout                int32
}

// Notifications stands in for the desktop's notification service.
type Notifications struct {
	mu   sync.Mutex // guards got
	got  []Notification
	more chan struct{}
}

// ServeNotifications makes the bus's notification service the returned stand-in.
func (b *Bus) ServeNotifications() (*Notifications, error) {
	conn, err := b.connect("org.freedesktop.Notifications")
	if err != nil {
		return nil, err
	}
	n := &Notifications{more: make(chan struct{}, 1)}
	if err := conn.Export(notifyServer{n}, "/org/freedesktop/Notifications", "org.freedesktop.Notifications"); err != nil {
		return nil, err
	}
	return n, nil
}

type notifyServer struct{ n *Notifications }

// Notify is org.freedesktop.Notifications.Notify.
func (s notifyServer) Notify(app string, replaces uint32, icon, title, body string, actions []string,
	hints map[string]dbus.Variant, timeout int32) (uint32, *dbus.Error) {
	s.n.mu.Lock()
	s.n.got = append(s.n.got, Notification{App: app, Icon: icon, Title: title, Body: body, Hints: hints, Timeout: timeout})
	id := uint32(len(s.n.got))
	s.n.mu.Unlock()
	select {
	case s.n.more <- struct{}{}:
	default:
	}
	return id, nil
}

// GetCapabilities is org.freedesktop.Notifications.GetCapabilities.
// Like GNOME's, KDE's and dunst's, it reads markup in bodies.
func (s notifyServer) GetCapabilities() ([]string, *dbus.Error) {
	return []string{"body", "body-markup"}, nil
}

// All returns every notification received so far.
func (n *Notifications) All() []Notification {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]Notification(nil), n.got...)
}

// Wait returns the first notification that match accepts, waiting up to timeout for it.
func (n *Notifications) Wait(timeout time.Duration, match func(Notification) bool) (Notification, error) {
	deadline := time.After(timeout)
	for {
		for _, got := range n.All() {
			if match(got) {
				return got, nil
			}
		}
		select {
		case <-n.more:
		case <-deadline:
			return Notification{}, fmt.Errorf("fakebus: no such notification in %v; got %+v", timeout, n.All())
		}
	}
}

// Tray stands in for the desktop's tray host (a StatusNotifierWatcher).
type Tray struct {
	conn  *dbus.Conn
	items chan string
}

// ServeTray makes the bus's tray host the returned stand-in.
func (b *Bus) ServeTray() (*Tray, error) {
	conn, err := b.connect("org.kde.StatusNotifierWatcher")
	if err != nil {
		return nil, err
	}
	t := &Tray{conn: conn, items: make(chan string, 8)}
	if err := conn.Export(trayServer{t}, "/StatusNotifierWatcher", "org.kde.StatusNotifierWatcher"); err != nil {
		return nil, err
	}
	return t, nil
}

type trayServer struct{ t *Tray }

// RegisterStatusNotifierItem is how a program puts its icon in the tray.
func (s trayServer) RegisterStatusNotifierItem(sender dbus.Sender, path string) *dbus.Error {
	s.t.items <- string(sender)
	return nil
}

// Item waits up to timeout for a program to register its tray icon and
// returns its bus name.
func (t *Tray) Item(timeout time.Duration) (string, error) {
	select {
	case name := <-t.items:
		return name, nil
	case <-time.After(timeout):
		return "", errors.New("fakebus: no program put an icon in the tray")
	}
}

// MenuItem is one entry of a tray menu.
type MenuItem struct {
	ID       int32
	Label    string
	Enabled  bool
	Children []MenuItem
}

// Menu reads the tray menu of the program at name.
func (t *Tray) Menu(name string) ([]MenuItem, error) {
	var rev uint32
	var root layout
	obj := t.conn.Object(name, "/StatusNotifierMenu")
	if err := obj.Call("com.canonical.dbusmenu.GetLayout", 0, int32(0), int32(-1), []string{}).Store(&rev, &root); err != nil {
		return nil, fmt.Errorf("fakebus: read the tray menu: %w", err)
	}
	return children(root.V2), nil
}

// Click clicks the tray menu entry id of the program at name.
func (t *Tray) Click(name string, id int32) error {
	obj := t.conn.Object(name, "/StatusNotifierMenu")
	return obj.Call("com.canonical.dbusmenu.Event", 0, id, "clicked", dbus.MakeVariant(""), uint32(0)).Err
}

type layout = struct {
	V0 int32
	V1 map[string]dbus.Variant
	V2 []dbus.Variant
}

func children(vs []dbus.Variant) []MenuItem {
	var out []MenuItem
	for _, v := range vs {
		var l layout
		if err := dbus.Store([]any{v.Value()}, &l); err != nil {
			continue
		}
		if t, ok := l.V1["type"]; ok && t.Value() == "separator" {
			continue
		}
		it := MenuItem{ID: l.V0, Enabled: true, Children: children(l.V2)}
		if lv, ok := l.V1["label"]; ok {
			it.Label, _ = lv.Value().(string)
		}
		if ev, ok := l.V1["enabled"]; ok {
			it.Enabled, _ = ev.Value().(bool)
		}
		out = append(out, it)
	}
	return out
}

// Tooltip reads the title of the tray icon's tooltip of the program at name.
func (t *Tray) Tooltip(name string) (string, error) {
	v, err := t.conn.Object(name, "/StatusNotifierItem").GetProperty("org.kde.StatusNotifierItem.ToolTip")
	if err != nil {
		return "", fmt.Errorf("fakebus: read the tooltip: %w", err)
	}
	var tip struct {
		Icon string
		Data []struct {
			W, H int32
			B    []byte
		}
		Title, Text string
	}
	if err := dbus.Store([]any{v.Value()}, &tip); err != nil {
		return "", fmt.Errorf("fakebus: the tooltip: %w", err)
	}
	return tip.Title, nil
}
