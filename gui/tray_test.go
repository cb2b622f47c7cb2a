package gui

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/loopscope/loopscope/internal/session"
)

// notes records the notifications a watcher sends.
type notes struct {
	mu  sync.Mutex // guards got
	got [][2]string
}

func (n *notes) send(title, body string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.got = append(n.got, [2]string{title, body})
}

// take returns the notifications since the last take.
func (n *notes) take() [][2]string {
	n.mu.Lock()
	defer n.mu.Unlock()
	got := n.got
	n.got = nil
	return got
}

// The watcher tells of a watched port that starts and stops, and of a
// program that becomes reachable from other machines, once a run; never
// on the first scan, never of Loopscope's own servers, and only as the
// preferences allow.
func TestWatcherNotifications(t *testing.T) {
	a := test.NewTempApp(t)
	src := &fakeSource{}
	rec := &notes{}
	p := prefs{a.Preferences()}
	w := &watcher{src: src, prefs: p, self: 999, notify: rec.send}
	p.setWatchedPorts([]uint16{3000})
	ctx := context.Background()

	ssh := sock("tcp", "0.0.0.0", 22, 1, "sshd", "root")
	src.set(ssh)
	w.scan(ctx)
	if got := rec.take(); len(got) != 0 {
		t.Fatalf("the first scan told %v; it has nothing to compare with", got)
	}

	node := sock("tcp", "127.0.0.1", 3000, 42, "node\x1b[31m", "me")
	node6 := sock("tcp", "::1", 3000, 42, "node\x1b[31m", "me")
	src.set(ssh, node, node6)
	st := w.scan(ctx)
	got := rec.take()
	if len(got) != 1 || got[0][0] != "TCP port 3000 is listening" ||
		got[0][1] != `node\x1b[31m (PID 42) started listening on 127.0.0.1:3000 and [::1]:3000: only this machine can reach it.` {
		t.Fatalf("watched port started: told %q", got)
	}
	if st.counts.listening != 3 || st.counts.reachable != 1 || len(st.watched) != 1 || st.watched[0].program != `node\x1b[31m` {
		t.Errorf("state %+v", st)
	}

	py := sock("tcp", "0.0.0.0", 8000, 77, "python3", "me")
	src.set(ssh, node, node6, py)
	w.scan(ctx)
	if got := rec.take(); len(got) != 1 || got[0][0] != "TCP port 8000 is reachable from other machines" ||
		got[0][1] != "python3 (PID 77) started listening on 0.0.0.0:8000: other machines can reach it." {
		t.Fatalf("exposure: told %q", got)
	}
	src.set(ssh, node, node6)
	w.scan(ctx)
	src.set(ssh, node, node6, sock("tcp", "0.0.0.0", 8000, 78, "python3", "me"))
	w.scan(ctx)
	if got := rec.take(); len(got) != 0 {
		t.Errorf("a restarted server told again: %q", got)
	}

	own := sock("tcp", "0.0.0.0", 9000, 999, "Loopscope: files", "me")
	src.set(ssh, own)
	w.scan(ctx)
	if got := rec.take(); len(got) != 1 || got[0][0] != "TCP port 3000 stopped listening" ||
		got[0][1] != `node\x1b[31m (PID 42) no longer listens on TCP port 3000.` {
		t.Errorf("watched port stopped, own server exposed: told %q", got)
	}

	p.setNotifyExposed(false)
	src.set(ssh, own, sock("tcp", "0.0.0.0", 8080, 80, "ruby", "me"))
	w.scan(ctx)
	if got := rec.take(); len(got) != 0 {
		t.Errorf("exposure notifications off: told %q", got)
	}
	p.setNotifyOn(false)
	p.setNotifyExposed(true)
	src.set(ssh, node, sock("tcp", "0.0.0.0", 8081, 81, "ruby", "me"))
	w.scan(ctx)
	if got := rec.take(); len(got) != 1 || got[0][0] != "TCP port 8081 is reachable from other machines" {
		t.Errorf("watched ports off, exposures on: told %q", got)
	}
	p.setNotifyExposed(false)
	src.set(ssh)
	w.scan(ctx)
	if got := rec.take(); len(got) != 0 {
		t.Errorf("notifications off: told %q", got)
	}
}

// trayRecorder is a tray host that keeps the menus it was given.
type trayRecorder struct{ menus []*fyne.Menu }

func (r *trayRecorder) SetSystemTrayMenu(m *fyne.Menu) { r.menus = append(r.menus, m) }

func menuLabels(m *fyne.Menu) []string {
	var out []string
	for _, it := range m.Items {
		if !it.IsSeparator {
			out = append(out, strings.TrimSpace(it.Label))
		}
	}
	return out
}

func menuItem(t *testing.T, m *fyne.Menu, prefix string) *fyne.MenuItem {
	t.Helper()
	for _, it := range m.Items {
		if strings.HasPrefix(strings.TrimSpace(it.Label), prefix) {
			return it
		}
	}
	t.Fatalf("the tray menu %q has no %q", menuLabels(m), prefix)
	return nil
}

// newTrayUI is the window with a recorded tray, fed by a fake source.
func newTrayUI(t *testing.T, src *fakeSource) (*UI, *trayRecorder, *notes) {
	t.Helper()
	a := test.NewTempApp(t)
	var ui *UI
	uiLocked(func() {
		ui = New(a, test.NewTempWindow(t, nil), src, Options{Session: session.Services{Tray: true, Notifications: true}})
		ui.w.Resize(fyne.NewSize(1180, 720))
	})
	rec, told := &trayRecorder{}, &notes{}
	ui.tray = &tray{host: rec} // the test app has no tray of its own
	ui.watch.notify = told.send
	ui.sh.watching, ui.sh.setWatched = ui.watching, ui.setWatched
	t.Cleanup(ui.Stop)
	return ui, rec, told
}

// The tray's menu shows the counts, opens each tab and the watched ports,
// adds a watched port, and is rebuilt only when what it shows changed.
func TestTrayMenu(t *testing.T) {
	src := &fakeSource{}
	src.set(sock("tcp", "0.0.0.0", 22, 1, "sshd", "root"), sock("tcp", "127.0.0.1", 3000, 42, "node", "me"))
	ui, rec, _ := newTrayUI(t, src)
	ui.prefs.setWatchedPorts([]uint16{3000, 5432})
	ctx := context.Background()
	uiLocked(func() { ui.showTray(ui.watch.scan(ctx)) })
	if len(rec.menus) != 1 {
		t.Fatalf("%d menus set, want 1", len(rec.menus))
	}
	m := rec.menus[0]
	want := []string{"2 listening · 1 reachable from other machines", "Open Loopscope", "Listening Ports", "Processes",
		"Local Servers", "Packets", "Learn", "Watched ports (2)", "Watch a port…", "Quit"}
	if got := menuLabels(m); !slices.Equal(got, want) {
		t.Errorf("tray menu %q\nwant %q", got, want)
	}
	sub := menuLabels(menuItem(t, m, "Watched ports").ChildMenu)
	if !slices.Equal(sub, []string{"3000: node", "5432: not listening"}) {
		t.Errorf("watched ports %q", sub)
	}
	uiLocked(func() { ui.showTray(ui.watch.scan(ctx)) })
	if len(rec.menus) != 1 {
		t.Errorf("an unchanged scan set the menu again")
	}
	// Counts alone rebuild the menu (renumbering its entries) at most
	// every few seconds.
	src.set(sock("tcp", "0.0.0.0", 22, 1, "sshd", "root"), sock("tcp", "127.0.0.1", 3000, 42, "node", "me"), sock("udp", "127.0.0.1", 53, 5, "dnsmasq", "root"))
	uiLocked(func() { ui.showTray(ui.watch.scan(ctx)) })
	if len(rec.menus) != 1 {
		t.Errorf("a change of the counts moments after the last rebuilt the menu at once")
	}
	ui.tray.at = ui.tray.at.Add(-countsEvery)
	uiLocked(func() { ui.showTray(ui.watch.scan(ctx)) })
	if len(rec.menus) != 2 || menuLabels(m)[0] != "3 listening · 1 reachable from other machines" {
		t.Errorf("the counts did not follow later: %d menus, %q", len(rec.menus), menuLabels(m)[0])
	}

	uiLocked(func() { menuItem(t, m, "Processes").Action() })
	if ui.shown() != view(ui.procs) {
		t.Errorf("the tray's Processes showed %s", ui.shown().name())
	}
	uiLocked(func() { menuItem(t, menuItem(t, m, "Watched ports").ChildMenu, "3000").Action() })
	if ui.shown() != view(ui.ports) || ui.ports.filter.Text != ":3000" {
		t.Errorf("the watched port showed %s filtered by %q", ui.shown().name(), ui.ports.filter.Text)
	}

	before := len(dialogs)
	uiLocked(func() { menuItem(t, m, "Watch a port…").Action() })
	if len(dialogs) != before+1 {
		t.Fatal("Watch a port… opened no dialog")
	}
	entry, ok := ui.w.Canvas().Focused().(*dialogEntry)
	if !ok {
		t.Fatalf("the focus is on %T, not the port's field", ui.w.Canvas().Focused())
	}
	uiLocked(func() { test.Type(entry, "8080, 70000") })
	if b := dialogs[len(dialogs)-1].buttons[1]; b.Text != "Watch" || !b.Disabled() {
		t.Error("70000 passed as a port")
	}
	uiLocked(func() {
		entry.SetText("8080")
		confirmTop()
	})
	if got := ui.prefs.watchedPorts(); !slices.Equal(got, []uint16{3000, 5432, 8080}) {
		t.Errorf("watched ports %v after adding 8080", got)
	}
	uiLocked(func() { ui.showTray(ui.watch.scan(ctx)) })
	if got := menuLabels(menuItem(t, rec.menus[len(rec.menus)-1], "Watched ports").ChildMenu); len(got) != 3 {
		t.Errorf("the tray did not follow the new watched port: %q", got)
	}
}

// With the tray on, closing the window hides it (after asking, the first
// time) and the tabs stop reading; the tray brings it back.
func TestCloseToTray(t *testing.T) {
	src := &fakeSource{}
	ui, _, _ := newTrayUI(t, src)
	before := len(dialogs)
	uiLocked(ui.closeRequested)
	if len(dialogs) != before+1 || dialogs[len(dialogs)-1].title != "Keep Loopscope in the tray?" {
		t.Fatal("the first close did not say it keeps running in the tray")
	}
	uiLocked(dismissTop)
	if ui.hidden.Load() || ui.prefs.trayTold() || !ui.prefs.trayOn() {
		t.Fatalf("Escape: hidden %v, told %v, tray on %v; want the window left as it was", ui.hidden.Load(), ui.prefs.trayTold(), ui.prefs.trayOn())
	}
	uiLocked(ui.closeRequested)
	pressDialogButton(t, dialogs[len(dialogs)-1], "Keep in the tray")
	if !ui.hidden.Load() || !ui.prefs.trayTold() {
		t.Fatalf("hidden %v, told %v", ui.hidden.Load(), ui.prefs.trayTold())
	}
	uiLocked(ui.showWindow)
	if ui.hidden.Load() {
		t.Error("still hidden after Open Loopscope")
	}
	n := len(dialogs)
	uiLocked(ui.closeRequested)
	if len(dialogs) != n || !ui.hidden.Load() {
		t.Error("the second close asked again, or did not hide")
	}
}

// The row menus watch a port and stop watching it.
func TestWatchFromRowMenu(t *testing.T) {
	src := &fakeSource{}
	ui, _, _ := newTrayUI(t, src)
	item := ui.sh.watchItem(5432)
	if item == nil || !strings.HasPrefix(item.Label, "Notify me when port 5432") {
		t.Fatalf("item %+v", item)
	}
	uiLocked(item.Action)
	if !ui.watching(5432) {
		t.Fatal("not watching 5432")
	}
	item = ui.sh.watchItem(5432)
	if item.Label != "Stop notifying about port 5432" {
		t.Fatalf("then %q", item.Label)
	}
	uiLocked(item.Action)
	if ui.watching(5432) || len(ui.prefs.watchedPorts()) != 0 {
		t.Errorf("still watching %v", ui.prefs.watchedPorts())
	}
	var none UI
	none.sh = &shell{}
	if none.sh.watchItem(1) != nil {
		t.Error("a window with nothing to tell of watched ports offers to watch")
	}
}

func TestParsePorts(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []uint16
		bad  bool
	}{
		{"", nil, false},
		{"3000", []uint16{3000}, false},
		{" 5432, 3000 ;3000 :8080", []uint16{3000, 5432, 8080}, false},
		{"0", nil, true},
		{"65536", nil, true},
		{"http", nil, true},
	} {
		got, err := parsePorts(tt.in)
		if (err != nil) != tt.bad || !slices.Equal(got, tt.want) {
			t.Errorf("parsePorts(%q) = %v, %v", tt.in, got, err)
		}
	}
}
