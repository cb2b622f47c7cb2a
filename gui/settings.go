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
	theme *widget.RadioGroup
	od    *openDialog // on the dialog stack while it is open
}

// open reports whether the dialog is still open.
func (s *settingsDialog) open() bool { return s != nil && slices.Contains(dialogs, s.od) }

// lastTabChoice is "open on the tab it was left on".
const lastTabChoice = "The tab it was left on"

// showSettings opens the Settings dialog (Ctrl+, or File ▸ Settings).
func (u *UI) showSettings() {
	if u.settings.open() {
		return
	}
	s := &settingsDialog{}
	refresh := newSelect(refreshNames(), func(name string) { u.bar.refresh.SetSelected(name) })
	refresh.Selected = u.bar.refresh.Selected

	s.theme = widget.NewRadioGroup([]string{themeSystem, themeLight, themeDark}, func(choice string) {
		if choice == "" { // a radio group can be cleared: keep a choice
			choice = themeSystem
		}
		u.prefs.setTheme(choice)
		useReadableTheme(u.a, choice)
		u.letGo()
	})
	s.theme.Horizontal = true
	s.theme.Selected = u.prefs.theme()

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

	conns := widget.NewCheck("Show programs that only connect, not only those that listen", func(on bool) {
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

	expose := widget.NewCheck("New servers are reachable from other devices (anyone on your network can read what they serve)", func(on bool) {
		u.prefs.setExposeServers(on)
		u.servers.bar.expose.Checked = on
		u.servers.bar.expose.Refresh()
		u.letGo()
	})
	expose.Checked = u.prefs.exposeServers()

	form := widget.NewForm(
		widget.NewFormItem("Refresh", refresh),
		widget.NewFormItem("Theme", s.theme),
		widget.NewFormItem("Open on", start),
		widget.NewFormItem("Processes", conns),
		&widget.FormItem{Text: "A capture keeps", Widget: ring, HintText: "the newest packets; the next capture takes a change"},
		widget.NewFormItem("Local servers", expose),
	)
	d := dialog.NewCustom("Settings", "Close", form, u.w)
	s.od = trackDialog(u.w, d, "Settings", "", nil, nil)
	d.Resize(fyne.NewSize(720, 0))
	u.settings = s
	d.Show()
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
