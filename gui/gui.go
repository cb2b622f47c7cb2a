// Package gui is Loopscope's window: one tab per view, each fed by its own
// goroutine that reads the machine off the UI goroutine and hands the result
// over with a single fyne.Do.
//
// It takes a fyne.App and a fyne.Window from its caller and never creates
// the app itself, so its tests run on Fyne's test driver.
package gui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/loopscope/loopscope/netinfo"
)

// SnapshotSource takes snapshots of the machine's sockets; *netinfo.Scanner
// is the real one, tests pass a fake.
type SnapshotSource interface {
	Snapshot(ctx context.Context, scope netinfo.Scope) (netinfo.Snapshot, error)
}

// refreshInterval is how often the socket views re-read the machine.
const refreshInterval = 2 * time.Second

// UI is the whole window's content and the goroutines that feed it.
type UI struct {
	a    fyne.App
	w    fyne.Window
	tabs *container.AppTabs

	ports *portsView
	procs *procsView
	end   *ender
	feeds map[*container.TabItem]*feed

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup // the feeding goroutines

	readyOnce sync.Once
	ready     chan struct{} // closed once the shown tab has real data or an error
}

// feed is one tab's refresh loop: it reads only while its tab is shown,
// and a kick makes it read at once.
type feed struct {
	active atomic.Bool
	kick   chan struct{}
	run    func(ctx context.Context, f *feed)
}

func (f *feed) poke() {
	select {
	case f.kick <- struct{}{}:
	default: // a refresh is already on its way
	}
}

// New builds the window's content and sets it on w. Nothing reads the
// machine until Start.
func New(a fyne.App, w fyne.Window, src SnapshotSource) *UI {
	ctx, cancel := context.WithCancel(context.Background())
	u := &UI{a: a, w: w, ctx: ctx, cancel: cancel, ready: make(chan struct{})}
	u.end = &ender{w: w, term: netinfo.NewTerminator(nil), src: src, ctx: ctx, onChanged: u.refreshAll}
	u.ports = newPortsView(a, w, src)
	u.ports.end = u.end
	u.ports.onFirstData = u.markReady
	u.ports.shortcuts(w.Canvas())
	u.procs = newProcsView(src, u.end)
	u.procs.onFirstData = u.markReady

	portsTab, procsTab := u.ports.tabItem(), u.procs.tabItem()
	u.feeds = map[*container.TabItem]*feed{
		portsTab: newFeed(func(ctx context.Context, f *feed) {
			poll(ctx, refreshInterval, f.kick, f.active.Load, u.ports.fetch, u.ports.apply)
		}),
		procsTab: newFeed(func(ctx context.Context, f *feed) {
			poll(ctx, refreshInterval, f.kick, f.active.Load, u.procs.fetch, u.procs.apply)
		}),
	}
	u.procs.refresh = u.feeds[procsTab].poke
	u.tabs = container.NewAppTabs(portsTab, procsTab)
	u.tabs.SetTabLocation(container.TabLocationTop)
	u.tabs.OnSelected = u.tabShown
	u.tabShown(portsTab)
	w.SetContent(u.tabs)
	w.Resize(fyne.NewSize(1180, 720))
	w.SetOnClosed(u.Stop)
	return u
}

func newFeed(run func(context.Context, *feed)) *feed {
	return &feed{kick: make(chan struct{}, 1), run: run}
}

// tabShown lets only the shown tab read the machine, and refreshes it at once.
func (u *UI) tabShown(item *container.TabItem) {
	for it, f := range u.feeds {
		f.active.Store(it == item)
	}
	if f := u.feeds[item]; f != nil {
		f.poke()
	}
}

// refreshAll asks the shown tab to read the machine now.
func (u *UI) refreshAll() {
	for _, f := range u.feeds {
		f.poke()
	}
}

// Start begins the periodic refreshes.
func (u *UI) Start() {
	for _, f := range u.feeds {
		u.wg.Add(1)
		go func() {
			defer u.wg.Done()
			f.run(u.ctx, f)
		}()
	}
}

// Stop ends the refreshes and waits until their goroutines are gone.
func (u *UI) Stop() {
	u.cancel()
	u.wg.Wait()
}

// Ready is closed once the window shows real data (or the reason there is none).
func (u *UI) Ready() <-chan struct{} { return u.ready }

func (u *UI) markReady() { u.readyOnce.Do(func() { close(u.ready) }) }

// SelectPort selects, in the shown tab, the first row on port: the socket
// in Listening Ports, the process that listens on it in Processes. It
// reports whether there was one. Call it on the UI goroutine.
func (u *UI) SelectPort(port uint16) bool {
	if u.tabs.Selected() == u.procs.item {
		for i, r := range u.procs.rows {
			if slices.Contains(r.ports, port) {
				u.procs.table.Select(widget.TableCellID{Row: i, Col: 0})
				return true
			}
		}
		return false
	}
	for i, r := range u.ports.rows {
		if r.sock.LocalPort == port {
			u.ports.table.Select(widget.TableCellID{Row: i, Col: 0})
			return true
		}
	}
	return false
}

// TabNames lists the tabs a window has, for the command line's --tab.
func TabNames() []string { return []string{"Ports", "Processes"} }

// SelectTab shows the tab called name (case-insensitive, "Ports" or its
// full title "Listening Ports").
func (u *UI) SelectTab(name string) error {
	for _, item := range u.tabs.Items {
		if strings.EqualFold(item.Text, name) || strings.EqualFold(tabShortName(item.Text), name) {
			u.tabs.Select(item)
			return nil
		}
	}
	return fmt.Errorf("no tab called %q; the tabs are %s", name, strings.Join(TabNames(), ", "))
}

// tabShortName is the last word of a tab title: "Listening Ports" -> "Ports".
func tabShortName(title string) string {
	f := strings.Fields(title)
	if len(f) == 0 {
		return title
	}
	return f[len(f)-1]
}
