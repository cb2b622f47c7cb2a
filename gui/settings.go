package gui

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// settingsDialog is the Settings dialog while it is open: every choice
// is kept in Fyne's preferences and applied the moment it changes.
type settingsDialog struct {
	theme   *widget.RadioGroup
	form    *widget.Form
	od      *openDialog // on the dialog stack while it is open
	closing []func()    // what it keeps as it closes (the watched ports typed)
}

// keep keeps what Settings keeps as it closes; Quit calls it too.
func (s *settingsDialog) keep() {
	for _, fn := range s.closing {
		fn()
	}
}

// open reports whether the dialog is still open.
func (s *settingsDialog) open() bool { return s != nil && slices.Contains(dialogs, s.od) }

// lastTabChoice is "open on the tab it was left on".
const lastTabChoice = "The tab it was left on"

// ShowSettings opens the Settings dialog, as Ctrl+, does. Call it on the
// UI goroutine.
func (u *UI) ShowSettings() { u.showSettings() }

// showSettings opens the Settings dialog (Ctrl+, or File ▸ Settings).
func (u *UI) showSettings() {
	if u.settings.open() {
		return
	}
	s := &settingsDialog{theme: u.themeChoice()}
	refresh := newSelect(refreshNames(), func(name string) { u.bar.refresh.SetSelected(name) })
	refresh.Selected = u.bar.refresh.Selected
	conns := widget.NewCheck("Show programs that only connect", func(on bool) {
		u.procs.conns.SetChecked(on)
		u.letGo()
	})
	conns.Checked = u.procs.conns.Checked
	var rings []string
	for _, c := range ringChoices {
		rings = append(rings, c.name)
	}
	ring := newSelect(rings, u.prefs.setRing)
	ring.Selected = u.prefs.ringName()

	s.form = widget.NewForm(
		widget.NewFormItem("Refresh", refresh),
		widget.NewFormItem("Theme", s.theme),
		widget.NewFormItem("Open on", u.startChoice()),
		widget.NewFormItem("Processes", conns),
		&widget.FormItem{Text: "A capture keeps", Widget: ring, HintText: "the newest ones; a change applies to the next capture"},
		widget.NewFormItem("Local servers", u.exposeChoice()),
		u.trayChoice(),
		u.notifyChoice(),
		u.watchedChoice(s),
	)
	d := dialog.NewCustom("Settings", "Close", s.form, u.w)
	s.od = trackDialog(u.w, d, "Settings", "", nil, nil)
	s.od.onClosed = s.keep
	d.Resize(fyne.NewSize(min(640, u.w.Canvas().Size().Width-40), 0))
	u.settings = s
	d.Show()
}

// themeChoice picks the system's theme, light or dark, applied at once.
func (u *UI) themeChoice() *widget.RadioGroup {
	r := widget.NewRadioGroup([]string{themeSystem, themeLight, themeDark}, func(choice string) {
		if choice == "" { // a radio group can be cleared: keep a choice
			choice = themeSystem
		}
		u.prefs.setTheme(choice)
		useReadableTheme(u.a, choice)
		u.themeGen++ // the hidden tabs take it when shown (tabShown)
		u.letGo()
	})
	r.Horizontal = true
	r.Selected = u.prefs.theme()
	return r
}

// startChoice picks the tab the window opens on.
func (u *UI) startChoice() *safeSelect {
	tabs := []string{lastTabChoice}
	for _, t := range tabTitles {
		tabs = append(tabs, t[1])
	}
	start := newSelect(tabs, func(name string) {
		if name == lastTabChoice {
			name = ""
		}
		u.prefs.setStartTab(name)
	})
	start.Selected = lastTabChoice
	if i := u.viewIndex(u.prefs.startTab()); i >= 0 && u.prefs.startTab() != "" {
		start.Selected = u.views[i].title()
	}
	return start
}

// exposeChoice lets new servers start reachable from other devices,
// after the start bar's own question.
func (u *UI) exposeChoice() *widget.Check {
	set := func(on bool) {
		u.prefs.setExposeServers(on)
		u.servers.bar.expose.Checked = on
		u.servers.bar.expose.Refresh()
		u.servers.updateNone()
	}
	var expose *widget.Check
	expose = widget.NewCheck("New servers start reachable from other devices", func(on bool) {
		u.letGo()
		if !on {
			set(false)
			return
		}
		askExpose(u.w, func(yes bool) {
			if yes {
				set(true)
				return
			}
			expose.Checked = false // not set(false): the start bar keeps what its user chose
			expose.Refresh()
		})
	})
	expose.Checked = u.prefs.exposeServers()
	return expose
}

// letGo takes the keyboard from a radio or check box a click gave it
// to, which would keep Escape from closing the dialog.
func (u *UI) letGo() { u.w.Canvas().Unfocus() }

// refreshNames are the refresh choices' names, in order.
func refreshNames() []string {
	names := make([]string, len(refreshChoices))
	for i, c := range refreshChoices {
		names[i] = c.name
	}
	return names
}
