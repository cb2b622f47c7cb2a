package gui

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// The Settings rows of the tray and the watch on ports.

// trayChoice keeps Loopscope in the tray when its window closes. Where
// the desktop has no tray it is off, and says why. Fyne puts an icon in
// the tray only as the app starts, and takes it out only as it quits, so
// the icon itself follows the choice at the next start.
func (u *UI) trayChoice() *widget.FormItem {
	item := &widget.FormItem{Text: "System tray"}
	check := widget.NewCheck("Keep Loopscope in the tray when its window closes", nil)
	check.Checked = u.prefs.trayOn()
	hint := func(on bool) string {
		switch {
		case on && u.tray == nil:
			return "from the next start: the tray counts the listening ports and opens the window"
		case !on && u.tray != nil:
			return "closing the window now quits; the icon leaves the tray when Loopscope quits"
		}
		return "the tray counts the listening ports; open the window or quit from its menu"
	}
	check.OnChanged = func(on bool) {
		u.letGo()
		u.prefs.setTrayOn(on)
		item.HintText = hint(on)
		if u.settings.open() {
			u.settings.form.Refresh()
		}
	}
	item.HintText = hint(check.Checked)
	if _, ok := u.a.(desktop.App); !u.session.Tray || !ok {
		check.Checked = false
		check.Disable()
		item.HintText = "unavailable: " + orElse(u.session.TrayWhy, "this system has no tray")
	}
	item.Widget = check
	return item
}

// notifyChoice turns each kind of desktop notification on and off.
func (u *UI) notifyChoice() *widget.FormItem {
	watched := widget.NewCheck("When a watched port starts or stops listening", func(on bool) {
		u.letGo()
		u.prefs.setNotifyOn(on)
	})
	watched.Checked = u.prefs.notifyOn()
	exposed := widget.NewCheck("When a program becomes reachable from other machines", func(on bool) {
		u.letGo()
		u.prefs.setNotifyExposed(on)
	})
	exposed.Checked = u.prefs.notifyExposed()
	hint := "desktop notifications, sent while Loopscope runs, its window open or not"
	if !u.session.Notifications {
		watched.Checked, exposed.Checked = false, false
		watched.Disable()
		exposed.Disable()
		hint = "unavailable: " + orElse(u.session.NotificationsWhy, "this system shows no notifications")
	}
	return &widget.FormItem{Text: "Notify me", Widget: newCheckGroup(watched, exposed), HintText: hint}
}

// checkGroup is check boxes under one form label, which the form greys
// when they are disabled, as it does a single check box's label.
type checkGroup struct {
	widget.BaseWidget
	checks []*widget.Check
}

func newCheckGroup(checks ...*widget.Check) *checkGroup {
	g := &checkGroup{checks: checks}
	g.ExtendBaseWidget(g)
	return g
}

func (g *checkGroup) CreateRenderer() fyne.WidgetRenderer {
	box := container.NewVBox()
	for _, c := range g.checks {
		box.Add(c)
	}
	return widget.NewSimpleRenderer(box)
}

// Disabled reports whether the first box is disabled; Enable and Disable
// change every box.
func (g *checkGroup) Disabled() bool { return g.checks[0].Disabled() }
func (g *checkGroup) Enable() {
	for _, c := range g.checks {
		c.Enable()
	}
}
func (g *checkGroup) Disable() {
	for _, c := range g.checks {
		c.Disable()
	}
}

// watchedChoice lists the watched ports, to change them by typing; they
// are kept on Enter and when Settings closes, so that typing 70000 never
// watches 7000 on the way.
func (u *UI) watchedChoice(s *settingsDialog) *widget.FormItem {
	e := newDialogEntry()
	e.SetPlaceHolder("none; for example 3000, 5432")
	e.SetText(portsText(u.prefs.watchedPorts()))
	e.Validator = func(s string) error { _, err := parsePorts(s); return err }
	typed := e.Text // what it showed last: a list it still shows was not edited here
	keep := func() {
		if e.Text == typed {
			return // not edited: a port watched from the tray meanwhile stays
		}
		typed = e.Text
		if ports, err := parsePorts(e.Text); err == nil && !slices.Equal(ports, u.prefs.watchedPorts()) {
			u.prefs.setWatchedPorts(ports)
			if u.watchKick != nil {
				u.watchKick()
			}
		}
	}
	e.OnSubmitted = func(string) { keep() }
	s.closing = append(s.closing, keep)
	item := &widget.FormItem{Text: "Watched ports", Widget: e,
		HintText: "kept on Enter or when Settings closes; or right-click a port in Listening Ports"}
	if u.tray == nil && u.watch.notify == nil {
		e.Disable()
		item.HintText = "unavailable: with neither a tray nor notifications, nothing could tell of them"
	}
	return item
}

func orElse(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}
