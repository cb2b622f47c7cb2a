package main

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/loopscope/loopscope/internal/session/fakebus"
)

// TestWindowTray runs the window on a desktop with a tray and a
// notification service (a private D-Bus with stand-ins for both) and
// uses the tray as a person would: its menu counts the listening ports;
// "Watch a port…" asks in the window for a port; a program that starts
// listening there, reachable from other machines, is notified by name,
// and again when it stops; the window's close button asks the first
// time, then hides the window while the tray stays; the tray opens it
// again, and its Quit ends Loopscope cleanly.
func TestWindowTray(t *testing.T) {
	needTools(t)
	bus := fakebus.StartForTest(t)
	tray, err := bus.ServeTray()
	if err != nil {
		t.Fatal(err)
	}
	notes, err := bus.ServeNotifications()
	if err != nil {
		t.Fatal(err)
	}
	wmclose := buildWMClose(t)

	x := openXWindowWith(t, "Ports", t.TempDir(), []string{"DBUS_SESSION_BUS_ADDRESS=" + bus.Addr})
	item, err := tray.Item(15 * time.Second)
	if err != nil {
		t.Fatal(err)
	}
	counts := regexp.MustCompile(`^\d+ listening · \d+ reachable from other machines$`)
	menu := waitMenu(t, tray, item, "the counts", func(m []fakebus.MenuItem) bool { return counts.MatchString(m[0].Label) })
	var tip string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if tip, err = tray.Tooltip(item); err == nil && counts.MatchString(strings.TrimPrefix(tip, "Loopscope: ")) {
			break
		}
	}
	if !strings.HasPrefix(tip, "Loopscope: ") || !counts.MatchString(strings.TrimPrefix(tip, "Loopscope: ")) {
		t.Errorf("the tray icon's tooltip is %q (%v), want Loopscope: and the counts", tip, err)
	}

	port := unusedPort(t)
	if err := tray.Click(item, find(t, menu, "Watch a port…").ID); err != nil {
		t.Fatal(err)
	}
	x.wait("the question for a port", func(p probeState) bool { return len(p.Dialogs) == 1 && p.Dialogs[0].Title == "Watch a port" })
	x.typeText(strconv.Itoa(port))
	x.keys("Return")
	x.wait("the question answered", func(p probeState) bool { return len(p.Dialogs) == 0 })
	want := fmt.Sprintf("%d: not listening", port)
	waitMenu(t, tray, item, want, func(m []fakebus.MenuItem) bool {
		w := findIn(m, "Watched ports (1)")
		return w != nil && len(w.Children) == 1 && w.Children[0].Label == want
	})

	server := exec.Command(os.Args[0], "serve", "echo", "--port", strconv.Itoa(port), "--expose", "--bind", "0.0.0.0")
	server.Env = childEnv(nil)
	if err := server.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { server.Process.Kill(); server.Wait() })
	n, err := notes.Wait(20*time.Second, func(n fakebus.Notification) bool {
		return n.Title == fmt.Sprintf("TCP port %d is listening", port)
	})
	if err != nil {
		t.Fatal(err)
	}
	if pid := fmt.Sprintf("(PID %d)", server.Process.Pid); !strings.Contains(n.Body, pid) ||
		!strings.Contains(n.Body, fmt.Sprintf("0.0.0.0:%d", port)) || !strings.HasSuffix(n.Body, "other machines can reach it.") {
		t.Errorf("notification %q, want the program %s on 0.0.0.0:%d, reachable", n.Body, pid, port)
	}
	if n.App != "Loopscope" || n.Hints["desktop-entry"].Value() != appID {
		t.Errorf("notification from %q (desktop entry %v), want Loopscope (%s)", n.App, n.Hints["desktop-entry"], appID)
	}
	server.Process.Kill()
	server.Wait()
	if _, err := notes.Wait(20*time.Second, func(n fakebus.Notification) bool {
		return n.Title == fmt.Sprintf("TCP port %d stopped listening", port)
	}); err != nil {
		t.Error(err)
	}

	// The close button: asked once, then hidden; the tray brings it back.
	x.run(wmclose, x.id)
	x.wait("the question on closing", func(p probeState) bool {
		return len(p.Dialogs) == 1 && p.Dialogs[0].Title == "Keep Loopscope in the tray?"
	})
	x.clickButton("Keep in the tray")
	waitVisible(t, x, false)
	if err := tray.Click(item, find(t, waitMenu(t, tray, item, "the menu", nil), "Open Loopscope").ID); err != nil {
		t.Fatal(err)
	}
	waitVisible(t, x, true)
	x.run(wmclose, x.id)
	waitVisible(t, x, false) // asked only the first time

	if err := tray.Click(item, find(t, waitMenu(t, tray, item, "the menu", nil), "Quit").ID); err != nil {
		t.Fatal(err)
	}
	x.waitExit("the tray's Quit")
}

// TestWindowCloseQuits: without a tray the close button ends Loopscope,
// with 0, as it always did.
func TestWindowCloseQuits(t *testing.T) {
	wmclose := buildWMClose(t)
	x := openXWindow(t, "Ports")
	x.run(wmclose, x.id)
	x.waitExit("closing the window without a tray")
}

// buildWMClose builds testdata/wmclose.c, which closes a window as a
// window manager's close button does.
func buildWMClose(t *testing.T) string {
	t.Helper()
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		if os.Getenv("LOOPSCOPE_STRICT") == "1" {
			t.Fatal("gcc not found; run 'make deps'")
		}
		t.Skip("gcc not found")
	}
	bin := filepath.Join(t.TempDir(), "wmclose")
	if out, err := exec.Command(gcc, "-o", bin, "testdata/wmclose.c", "-lX11").CombinedOutput(); err != nil {
		t.Fatalf("build wmclose: %v\n%s", err, out)
	}
	return bin
}

// waitMenu reads the tray menu until ok accepts it (nil: any menu).
func waitMenu(t *testing.T, tray *fakebus.Tray, item, what string, ok func([]fakebus.MenuItem) bool) []fakebus.MenuItem {
	t.Helper()
	var m []fakebus.MenuItem
	var err error
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if m, err = tray.Menu(item); err == nil && len(m) > 0 && (ok == nil || ok(m)) {
			return m
		}
	}
	t.Fatalf("the tray menu never showed %s: %+v (%v)", what, m, err)
	return nil
}

func findIn(m []fakebus.MenuItem, label string) *fakebus.MenuItem {
	for i := range m {
		if strings.TrimSpace(m[i].Label) == label {
			return &m[i]
		}
	}
	return nil
}

func find(t *testing.T, m []fakebus.MenuItem, label string) fakebus.MenuItem {
	t.Helper()
	it := findIn(m, label)
	if it == nil {
		t.Fatalf("the tray menu has no %q: %+v", label, m)
	}
	return *it
}

// waitVisible waits until the window is shown, or hidden.
func waitVisible(t *testing.T, x *xwindow, visible bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		cmd := exec.Command("xdotool", "search", "--onlyvisible", "--name", "^Loopscope$")
		cmd.Env = append(os.Environ(), "DISPLAY="+x.display)
		out, _ := cmd.Output()
		if (strings.TrimSpace(string(out)) != "") == visible {
			return
		}
	}
	t.Fatalf("the window did not become visible=%v", visible)
}

// unusedPort is a TCP port nothing listens on now.
func unusedPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// TestWindowSecondStart: starting Loopscope again shows the running
// window, on the tab asked for, and ends without a second window.
func TestWindowSecondStart(t *testing.T) {
	home := t.TempDir()
	x := openXWindowWith(t, "Ports", home, nil)
	second := exec.Command(os.Args[0], "--tab", "Processes")
	second.Env = childEnv([]string{"DISPLAY=" + x.display, "HOME=" + home, "FYNE_SCALE=1"})
	out, err := second.CombinedOutput()
	if err != nil {
		t.Fatalf("the second start: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "already running") {
		t.Errorf("the second start said %q", out)
	}
	x.wait("the Processes tab, asked for by the second start", func(p probeState) bool { return p.Tab == "Processes" })
	ids := strings.Fields(x.run("xdotool", "search", "--onlyvisible", "--name", "^Loopscope$"))
	if len(ids) != 1 {
		t.Errorf("%d Loopscope windows, want 1", len(ids))
	}
}
