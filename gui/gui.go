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
	"net/url"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/systray"

	"github.com/loopscope/loopscope/internal/session"
	"github.com/loopscope/loopscope/netinfo"
	"github.com/loopscope/loopscope/netinfo/serve"
)

// SnapshotSource takes snapshots of the machine's sockets; *netinfo.Scanner
// is the real one, tests pass a fake.
type SnapshotSource interface {
	Snapshot(ctx context.Context, scope netinfo.Scope) (netinfo.Snapshot, error)
}

// UI is the whole window's content and the goroutines that feed it.
type UI struct {
	a     fyne.App
	w     fyne.Window
	sh    *shell
	views []view
	tabs  *container.AppTabs
	bar   *statusBar
	feeds map[view]*feed
	prefs prefs
	every atomic.Int64 // the refresh interval in ns; 0: paused

	ports     *portsView
	procs     *procsView
	servers   *serversView
	packets   *packetsView
	learn     *learnView
	settings  *settingsDialog // the Settings dialog, once opened
	resumeTo  string          // the last refresh choice that was not a pause
	themeGen  int             // counts the theme changes of Settings
	themeSeen map[view]int    // the theme change each view was last shown with
	mgr       *serve.Manager  // the local servers the user started
	probePath string
	version   string
	readme    string // the README's URL

	watch     *watcher // the scans for the tray and the notifications
	watchKick func()   // makes the watcher scan now; nil until Start
	tray      *tray    // nil where there is no tray, or it is turned off
	onQuit    func()   // Options.OnQuit

	hidden atomic.Bool // the window is hidden in the tray: the tabs read nothing

	session session.Services

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup // the feeding goroutines

	readyOnce sync.Once
	ready     chan struct{} // closed once the shown tab has real data or an error
}

// feed is one view's refresh loop: it reads only while its tab is shown,
// and a kick makes it read at once.
type feed struct {
	active atomic.Bool
	kick   chan struct{}
}

func (f *feed) poke() {
	select {
	case f.kick <- struct{}{}:
	default: // a refresh is already on its way
	}
}

// Options are what the caller may add to the window.
type Options struct {
	// OpenURL opens a URL in the browser and reports whether that worked;
	// nil uses Fyne's, which cannot tell.
	OpenURL func(*url.URL) error
	// Probe, when set, is a file the window writes its state to, for the
	// real-window tests (see probe.go).
	Probe string
	// Version is the release, for About; ReadmeURL is where Help ▸ Read
	// me opens the README.
	Version, ReadmeURL string
	// Session is what the desktop offers beside the window: with a tray
	// Loopscope sits in it, with a notification service it tells of
	// watched ports and newly exposed sockets.
	Session session.Services
	// Notify, when set, sends a desktop notification instead of Fyne's
	// (which names the app by its ID and keeps every notice on screen).
	Notify func(title, body string)
	// OnQuit runs when the user quits, as the window starts closing.
	OnQuit func()
}

// New builds the window's content and sets it on w. Nothing reads the
// machine until Start.
func New(a fyne.App, w fyne.Window, src SnapshotSource, opts ...Options) *UI {
	var opt Options
	if len(opts) > 0 {
		opt = opts[0]
	}
	ctx, cancel := context.WithCancel(context.Background())
	u := &UI{a: a, w: w, ctx: ctx, cancel: cancel, ready: make(chan struct{}), prefs: prefs{a.Preferences()}}
	useReadableTheme(a, u.prefs.theme())
	u.mgr = serve.NewManager()
	own := ownServers{mgr: u.mgr, pid: int32(os.Getpid())}
	src = labelled{src: src, own: own}
	u.sh = &shell{a: a, w: w, src: src, prefs: u.prefs, shortcut: u.shortcut, ready: u.markReady}
	u.sh.end = &ender{w: w, term: netinfo.NewTerminator(func(s netinfo.Socket) bool { return own.server(s) != nil }),
		src: src, ctx: ctx, onChanged: u.refreshAll}
	u.sh.openURL = u.opener(opt.OpenURL)
	u.ports = newPortsView(u.sh)
	u.procs = newProcsView(u.sh)
	u.servers = newServersView(u.sh, u.mgr)
	u.packets = newPacketsView(u.sh)
	u.sh.watchPort = u.watchPort
	u.learn = newLearnView(u.sh, ctx, newLab(u.mgr, src), u.prefs)
	u.learn.follow = u.followLesson
	u.views = []view{u.ports, u.procs, u.servers, u.packets, u.learn}
	u.every.Store(int64(u.prefs.interval()))
	u.themeSeen = map[view]int{}
	u.bar = newStatusBar(u.views, u.prefs.intervalName(), u.setInterval, u.sh.diagnoseBox())
	u.feeds = map[view]*feed{}
	var items []*container.TabItem
	for _, v := range u.views {
		u.feeds[v] = &feed{kick: make(chan struct{}, 1)}
		items = append(items, container.NewTabItemWithIcon(v.title(), v.icon(), v.content()))
	}
	u.procs.kick = u.feeds[u.procs].poke
	u.servers.kick = u.feeds[u.servers].poke
	u.packets.kick = u.feeds[u.packets].poke
	u.ports.table.onRefresh, u.procs.table.onRefresh = u.refreshAll, u.refreshAll
	u.tabs = container.NewAppTabs(items...)
	u.tabs.SetTabLocation(container.TabLocationTop)
	u.tabs.OnSelected = func(*container.TabItem) { u.tabShown() }
	u.prefs.restoreSplits(u.ports.split, u.procs.split)
	start := u.prefs.startTab()
	if start == "" {
		start = u.prefs.lastTab()
	}
	if i := u.viewIndex(start); i >= 0 {
		u.tabs.SelectIndex(i)
	}
	u.tabShown()
	w.SetContent(container.NewBorder(nil, u.bar.object(), nil, nil, u.tabs))
	w.SetMainMenu(u.mainMenu())
	w.Resize(u.prefs.windowSize())
	u.addShortcuts(w.Canvas())
	u.probePath = opt.Probe
	u.version, u.readme = opt.Version, opt.ReadmeURL
	u.watch = &watcher{src: src, prefs: u.prefs, self: int32(os.Getpid())}
	if opt.Session.Notifications {
		u.watch.notify = opt.Notify
		if u.watch.notify == nil {
			u.watch.notify = func(title, body string) { a.SendNotification(fyne.NewNotification(title, body)) }
		}
	}
	u.onQuit = opt.OnQuit
	if host, ok := a.(desktop.App); ok && opt.Session.Tray && u.prefs.trayOn() {
		u.tray = &tray{host: host}
		if runtime.GOOS == "linux" { // elsewhere the tooltip cannot be set before the tray runs
			u.tray.tip = systray.SetTooltip
		}
	}
	u.session = opt.Session
	// Fyne starts the tray as the app starts running, and only if it has
	// a menu by then.
	u.showTray(watchState{reading: true, watched: watchedNone(u.prefs.watchedPorts())})
	if u.tray != nil || u.watch.notify != nil {
		u.sh.watching, u.sh.setWatched = u.watching, u.setWatched
	}
	w.SetCloseIntercept(u.closeRequested)
	w.SetOnClosed(func() {
		u.prefs.save(w.Canvas().Size(), u.shown().name(), u.ports.split, u.procs.split)
		u.Stop()
	})
	return u
}

// shown is the view whose tab is shown.
func (u *UI) shown() view { return u.views[max(u.tabs.SelectedIndex(), 0)] }

// tabShown lets only the shown view read the machine, refreshes it at
// once, and shows its status line.
func (u *UI) tabShown() {
	cur := u.shown()
	// Kept at once, not only when the window closes: Fyne writes its
	// preferences a moment after a change, and a session that ends the
	// program may not leave that moment.
	u.prefs.rememberTab(cur.name())
	for v, f := range u.feeds {
		f.active.Store(v == cur)
	}
	u.feeds[cur].poke()
	u.bar.show(cur)
	// Fyne redraws only what is shown when the theme changes: a tab hidden
	// then would keep the old colours in its tables' lines. Setting the
	// theme again makes Fyne redraw the tab now shown.
	if u.themeSeen[cur] != u.themeGen {
		u.themeSeen[cur] = u.themeGen
		useReadableTheme(u.a, u.prefs.theme())
	}
	// The keyboard follows the tab: left in the hidden tab's filter, it
	// would type where nobody sees.
	if c := u.w.Canvas(); c.Focused() != nil {
		cur.focusTable(c)
	}
}

// refreshAll asks the shown view to read the machine now.
func (u *UI) refreshAll() { u.feeds[u.shown()].poke() }

// setInterval sets how often the views refresh; 0 pauses them.
func (u *UI) setInterval(d time.Duration, name string) {
	u.every.Store(int64(d))
	if d > 0 {
		u.resumeTo = name // where a pause from the menu comes back to
	}
	u.prefs.setInterval(name)
	if d > 0 {
		u.refreshAll()
	}
}

// Start begins the periodic refreshes.
func (u *UI) Start() {
	u.startProbe(u.probePath)
	every := u.everyFunc()
	for _, v := range u.views {
		f := u.feeds[v]
		u.wg.Add(1)
		go func() {
			defer u.wg.Done()
			v.run(u.ctx, every, f.kick, func() bool { return f.active.Load() && !u.hidden.Load() })
		}()
	}
	u.startWatch(every)
	u.wg.Add(1)
	go func() {
		defer u.wg.Done()
		u.keepSize()
	}()
}

// everyFunc reads the refresh interval the user chose; 0 is paused.
func (u *UI) everyFunc() func() time.Duration {
	return func() time.Duration { return time.Duration(u.every.Load()) }
}

// startWatch starts the watcher's scans, where there is a tray to show
// them or a service to notify: at the refresh interval, every 2 s while
// refreshing is paused (a pause freezes the tabs, not the watch).
func (u *UI) startWatch(every func() time.Duration) {
	if u.tray == nil && u.watch.notify == nil {
		return
	}
	kick := make(chan struct{}, 1)
	u.watchKick = func() {
		select {
		case kick <- struct{}{}:
		default:
		}
	}
	p := &pace{every: func() time.Duration {
		if d := every(); d > 0 {
			return d
		}
		return 2 * time.Second
	}}
	u.wg.Add(1)
	go func() {
		defer u.wg.Done()
		poll(u.ctx, p, kick, func() bool { return true }, u.watch.scan, u.showTray)
	}()
}

// keepSize remembers the window's size every few seconds, as tabShown
// does the tab: a session that ends the program may not wait for Fyne to
// write what the window's closing sets.
func (u *UI) keepSize() {
	t := time.NewTicker(2 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-u.ctx.Done():
			return
		case <-t.C:
			onUI(func() { u.prefs.rememberSize(u.w.Canvas().Size()) })
		}
	}
}

// Stop ends the refreshes and stops every local server, and waits
// until their goroutines are gone.
func (u *UI) Stop() {
	u.cancel()
	u.wg.Wait()
	u.mgr.CloseAll()
	if s := u.packets.session.Load(); s != nil {
		s.Stop()
	}
}

// watchPort opens the Packets tab ready to capture port's traffic.
func (u *UI) watchPort(port uint16, loopback bool) {
	u.tabs.SelectIndex(u.viewIndex("Packets"))
	u.packets.watch(port, loopback)
}

// followLesson shows where a lesson's step shows its result: a tab with
// its filter set, a server, a capture ready to start, or a diagnosis.
func (u *UI) followLesson(lk lessonLink) {
	if lk.diag {
		u.sh.diagnosePort(lk.port)
		return
	}
	switch lk.tab {
	case "Ports":
		u.tabs.SelectIndex(u.viewIndex(lk.tab))
		u.ports.reach.SetSelected(reachAny)
		u.ports.filter.SetText(lk.filter)
	case "Processes":
		u.tabs.SelectIndex(u.viewIndex(lk.tab))
		if lk.conns {
			u.procs.conns.SetChecked(true)
		}
		u.procs.filter.SetText(lk.filter)
	case "Servers":
		u.tabs.SelectIndex(u.viewIndex(lk.tab))
		u.servers.want = lk.port
	case "Packets":
		u.watchPort(lk.port, true)
	}
}

// Ready is closed once the window shows real data (or the reason there is none).
func (u *UI) Ready() <-chan struct{} { return u.ready }

func (u *UI) markReady() { u.readyOnce.Do(func() { close(u.ready) }) }

// SelectPort selects, in the shown tab, the row of port: the socket in
// Listening Ports, the process that listens on it in Processes. It
// reports whether there was one. Call it on the UI goroutine.
func (u *UI) SelectPort(port uint16) bool { return u.shown().selectPort(port) }

// tabTitles are the views' short names and tab titles, in order; the
// views take theirs from here, so --tab and the tabs cannot disagree.
var tabTitles = [][2]string{{"Ports", "Listening Ports"}, {"Processes", "Processes"}, {"Servers", "Local Servers"}, {"Packets", "Packets"}, {"Learn", "Learn"}}

// TabNames lists the tabs' short names, for the command line's --tab.
func TabNames() []string {
	names := make([]string, len(tabTitles))
	for i, t := range tabTitles {
		names[i] = t[0]
	}
	return names
}

// ValidTab reports whether name is a tab's short name or title, in any case.
func ValidTab(name string) bool {
	for _, t := range tabTitles {
		if strings.EqualFold(t[0], name) || strings.EqualFold(t[1], name) {
			return true
		}
	}
	return false
}

// SelectTab shows the tab called name: its short name or its title, in
// any case ("ports", "Listening Ports").
func (u *UI) SelectTab(name string) error {
	if i := u.viewIndex(name); i >= 0 {
		u.tabs.SelectIndex(i)
		return nil
	}
	return fmt.Errorf("no tab called %q; the tabs are %s", name, strings.Join(TabNames(), ", "))
}

func (u *UI) viewIndex(name string) int {
	for i, v := range u.views {
		if strings.EqualFold(v.name(), name) || strings.EqualFold(v.title(), name) {
			return i
		}
	}
	return -1
}

// opener returns how the views open a URL: with open off the UI
// goroutine (starting a browser can take a while), saying in the window
// when it failed.
func (u *UI) opener(open func(*url.URL) error) func(*url.URL) {
	if open == nil {
		open = u.a.OpenURL
	}
	return func(target *url.URL) {
		go func() {
			if err := open(target); err != nil {
				onUI(func() {
					showError(u.w, fmt.Errorf("no browser opened %s (%w). Copy the address and paste it into one", target, err))
				})
			}
		}()
	}
}
