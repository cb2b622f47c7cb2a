package gui

import (
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// trayHost is the system tray Loopscope sits in: Fyne's desktop app where
// the desktop has a tray, a recorder in tests.
type trayHost interface {
	SetSystemTrayMenu(*fyne.Menu)
}

// tray is Loopscope's entry in the system tray: the counts of the last
// scan, each tab, the watched ports, and Quit.
type tray struct {
	host    trayHost
	tip     func(string) // sets the icon's tooltip; nil where Fyne's tray cannot yet (Windows before it starts)
	lastTip string       // the tooltip set last: setting it signals the desktop
	menu    *fyne.Menu   // the one menu the host was given
	last    string       // what the menu showed, so an unchanged scan rebuilds nothing
	// Fyne rebuilds the whole tray menu, renumbering its entries, at each
	// change, and a click on an entry of the menu replaced is lost: when
	// only the counts changed, the menu waits until countsEvery has passed
	// since it last showed counts (at; zero while it says it is reading).
	lastWatched string
	at          time.Time
}

// countsEvery is how often at most the tray menu is rebuilt for its counts
// alone; the tooltip follows each scan.
const countsEvery = 5 * time.Second

// trayCounts is the tray's first line: the Listening Ports status line's counts.
func trayCounts(st watchState) string {
	if st.reading {
		return "Reading the ports…"
	}
	if st.err != nil {
		return "Reading the ports failed: " + strings.SplitN(st.err.Error(), "\n", 2)[0]
	}
	return fmt.Sprintf("%d listening · %d reachable from other machines", st.counts.listening, st.counts.reachable)
}

// showTray puts st in the tray's menu, when it changed. On the UI goroutine.
func (u *UI) showTray(st watchState) {
	if u.tray == nil {
		return
	}
	if tip := "Loopscope: " + trayCounts(st); u.tray.tip != nil && tip != u.tray.lastTip {
		u.tray.lastTip = tip
		u.tray.tip(tip)
	}
	var watched strings.Builder
	for _, w := range st.watched {
		fmt.Fprintf(&watched, "|%d=%s", w.port, w.program)
	}
	sig := trayCounts(st) + watched.String()
	switch {
	case sig == u.tray.last:
		return
	case watched.String() == u.tray.lastWatched && time.Since(u.tray.at) < countsEvery:
		return // only the counts changed, and the menu showed counts moments ago
	}
	u.tray.last, u.tray.lastWatched = sig, watched.String()
	if !st.reading {
		u.tray.at = time.Now()
	}
	// One menu for the tray's life, its items replaced: Fyne fills the
	// tray, once it is ready, from the first menu it was given.
	m := u.trayMenu(st)
	if u.tray.menu == nil {
		u.tray.menu = m
	}
	if runtime.GOOS != "windows" && runtime.GOOS != "darwin" {
		escapeMnemonics(m)
	}
	u.tray.menu.Items = m.Items
	u.tray.host.SetSystemTrayMenu(u.tray.menu)
}

// trayMenu is the tray's menu for one scan.
func (u *UI) trayMenu(st watchState) *fyne.Menu {
	items := []*fyne.MenuItem{
		fyne.NewMenuItem(trayCounts(st), func() { u.showTab("Ports") }),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Open Loopscope", u.showWindow),
		fyne.NewMenuItemSeparator(),
	}
	for _, t := range tabTitles {
		items = append(items, fyne.NewMenuItem(t[1], func() { u.showTab(t[0]) }))
	}
	items = append(items, fyne.NewMenuItemSeparator())
	if len(st.watched) > 0 {
		var ports []*fyne.MenuItem
		for _, w := range st.watched {
			label := fmt.Sprintf("%d: not listening", w.port)
			if w.program != "" {
				label = fmt.Sprintf("%d: %s", w.port, w.program)
			}
			ports = append(ports, fyne.NewMenuItem(label, func() { u.showPort(w.port) }))
		}
		sub := fyne.NewMenuItem(fmt.Sprintf("Watched ports (%d)", len(st.watched)), nil)
		sub.ChildMenu = fyne.NewMenu("", ports...)
		items = append(items, sub)
	}
	items = append(items, fyne.NewMenuItem("Watch a port…", u.askWatchPort))
	items = append(items, fyne.NewMenuItemSeparator(), &fyne.MenuItem{Label: "Quit", IsQuit: true, Action: u.Quit})
	return fyne.NewMenu("Loopscope", items...)
}

// showWindow brings the window back from the tray.
func (u *UI) showWindow() {
	u.hidden.Store(false)
	u.w.Show()
	u.w.RequestFocus()
	u.tabShown() // the shown tab reads the machine again at once
}

// showTab shows the window on the tab called name.
func (u *UI) showTab(name string) {
	u.showWindow()
	u.tabs.SelectIndex(u.viewIndex(name))
}

// showPort shows the window's Listening Ports filtered to port.
func (u *UI) showPort(port uint16) {
	u.showTab("Ports")
	u.ports.reach.SetSelected(reachAny)
	u.ports.filter.SetText(":" + strconv.Itoa(int(port))) // the port itself, not 30001 for 3000
}

// closeRequested is the window's close button: with the tray on, the
// window hides and Loopscope keeps watching from the tray (the first time
// it asks, and says how to quit); otherwise Loopscope quits.
func (u *UI) closeRequested() {
	if u.tray == nil || !u.prefs.trayOn() {
		u.Quit()
		return
	}
	if u.prefs.trayTold() {
		u.hideToTray()
		return
	}
	if !raiseDialog(keepTitle) {
		u.askKeepInTray()
	}
}

// keepTitle is the first close's question.
const keepTitle = "Keep Loopscope in the tray?"

// raiseDialog reports whether a dialog called title is open, and if so
// gives it the keyboard: a second click on what opened it does not stack
// a second one.
func raiseDialog(title string) bool {
	for _, d := range dialogs {
		if d.title == title {
			d.d.Show()
			return true
		}
	}
	return false
}

// askKeepInTray is the first close's question. Escape leaves the window
// open; Quit quits this time only, unless "Do not ask again" turns the
// tray off too.
func (u *UI) askKeepInTray() {
	text := "Closing the window keeps Loopscope running in the system tray, where it counts the listening ports and tells you when a watched port starts or stops, or when a program becomes reachable from other machines. Local servers keep running.\n\n" +
		"Open the window again or quit from the tray's menu, or with File ▸ Quit (Ctrl+Q)."
	never := widget.NewCheck("Do not ask again (Quit then always quits)", nil)
	var d dialog.Dialog
	quit := widget.NewButton("Quit", func() {
		d.Hide()
		if never.Checked {
			u.prefs.setTrayTold()
			u.prefs.setTrayOn(false)
		}
		u.Quit()
	})
	keep := widget.NewButton("Keep in the tray", func() {
		d.Hide()
		u.prefs.setTrayTold()
		u.hideToTray()
	})
	keep.Importance = widget.HighImportance
	msg := widget.NewLabel(text)
	msg.Wrapping = fyne.TextWrapWord
	body := container.NewVBox(msg, never, container.NewCenter(container.NewHBox(quit, keep)))
	d = dialog.NewCustomWithoutButtons(keepTitle, body, u.w)
	trackDialog(u.w, d, keepTitle, text, nil, []*widget.Button{quit, keep})
	d.Resize(fyne.NewSize(min(dialogWidth+40, u.w.Canvas().Size().Width-40), 0))
	d.Show()
}

// hideToTray hides the window; the tabs stop reading the machine until it
// is shown again, and only the watcher's scans go on.
func (u *UI) hideToTray() {
	u.hidden.Store(true)
	u.prefs.rememberSize(u.w.Canvas().Size())
	u.w.Hide()
}

// Quit closes the window, stops every local server, and ends Loopscope,
// tray and all. Not from inside a key's own event: GLFW would then send to
// a window already gone, and Xlib ends the program over it.
func (u *UI) Quit() {
	if u.settings.open() {
		u.settings.keep() // what Settings holds is kept, as when it closes
	}
	go fyne.Do(u.a.Quit)
	if u.onQuit != nil {
		u.onQuit()
	}
}

// askWatchPort asks for a port to watch (the tray's "Watch a port…").
func (u *UI) askWatchPort() {
	u.showWindow()
	if raiseDialog("Watch a port") {
		return
	}
	entry := newDialogEntry()
	entry.SetPlaceHolder("for example 3000")
	why := widget.NewLabel(u.watchHint())
	why.Wrapping = fyne.TextWrapWord
	var d dialog.Dialog
	watch := widget.NewButton("Watch", nil)
	watch.Importance = widget.HighImportance
	watch.Disable()
	cancel := widget.NewButton("Cancel", func() { d.Hide() })
	read := func(s string) ([]uint16, error) {
		ports, err := parsePorts(s)
		if err == nil && len(ports) == 0 {
			err = fmt.Errorf("type a port number, from 1 to 65535")
		}
		return ports, err
	}
	entry.OnChanged = func(s string) {
		_, err := read(s)
		switch {
		case err != nil && strings.TrimSpace(s) != "":
			why.Importance = widget.DangerImportance
			why.SetText(capitalize(err.Error()) + ".")
			watch.Disable()
		case err != nil:
			why.Importance = widget.MediumImportance
			why.SetText(u.watchHint())
			watch.Disable()
		default:
			why.Importance = widget.MediumImportance
			why.SetText(u.watchHint())
			watch.Enable()
		}
	}
	watch.OnTapped = func() {
		ports, err := read(entry.Text)
		if err != nil {
			return
		}
		d.Hide()
		for _, p := range ports {
			u.setWatched(p, true)
		}
	}
	entry.OnSubmitted = func(string) { watch.OnTapped() }
	body := container.NewVBox(entry, why, container.NewCenter(container.NewHBox(cancel, watch)))
	d = dialog.NewCustomWithoutButtons("Watch a port", body, u.w)
	trackDialog(u.w, d, "Watch a port", "", nil, []*widget.Button{cancel, watch})
	d.Resize(fyne.NewSize(min(480, u.w.Canvas().Size().Width-40), 0))
	d.Show()
	u.w.Canvas().Focus(entry)
}

// watchHint says what watching a port does, as the preferences stand.
func (u *UI) watchHint() string {
	if u.watch.notify != nil && u.prefs.notifyOn() {
		return "You are told when a program starts or stops listening on it. Several: 3000, 5432."
	}
	return "The tray's menu shows who listens on it (notifications are off in Settings). Several: 3000, 5432."
}

// watching reports whether port is watched.
func (u *UI) watching(port uint16) bool { return slices.Contains(u.prefs.watchedPorts(), port) }

// setWatched watches port, or stops watching it, and updates the tray.
func (u *UI) setWatched(port uint16, on bool) {
	ports := slices.DeleteFunc(u.prefs.watchedPorts(), func(p uint16) bool { return p == port })
	if on {
		ports = append(ports, port)
		slices.Sort(ports)
	}
	u.prefs.setWatchedPorts(ports)
	if u.watchKick != nil {
		u.watchKick()
	}
}

// dialogEntry is an entry in a dialog: Escape closes the dialog, as it
// does everywhere else, instead of staying in the entry.
type dialogEntry struct{ widget.Entry }

func newDialogEntry() *dialogEntry {
	e := &dialogEntry{}
	e.ExtendBaseWidget(e)
	return e
}

func (e *dialogEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape {
		dismissTop()
		return
	}
	e.Entry.TypedKey(k)
}

// escapeMnemonics doubles the underscores of a tray menu's labels: the
// Linux tray's menus (dbusmenu) take "_" to mark a key, so a program
// called my_dev_server would show as mydevserver.
func escapeMnemonics(m *fyne.Menu) {
	for _, it := range m.Items {
		it.Label = strings.ReplaceAll(it.Label, "_", "__")
		if it.ChildMenu != nil {
			escapeMnemonics(it.ChildMenu)
		}
	}
}

// Show brings the window forward, from the tray too, on the tab called
// tab ("": the one shown): what a second start of Loopscope asks for.
func (u *UI) Show(tab string) {
	u.showWindow()
	if tab != "" {
		u.SelectTab(tab)
	}
}
