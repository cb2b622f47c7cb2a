package gui

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/loopscope/loopscope/internal/session"
)

// Settings keeps each choice and applies it: the theme, the Processes
// check box, the ring, and — after its question — servers reachable by
// default, which the start bar then shows.
func TestSettingsKeepAndApply(t *testing.T) {
	a := test.NewTempApp(t)
	var ui *UI
	uiLocked(func() {
		ui = New(a, test.NewTempWindow(t, nil), &fakeSource{})
		ui.w.Resize(fyne.NewSize(1180, 720))
		ui.showSettings()
	})
	t.Cleanup(ui.Stop)
	form := ui.settings.form
	item := func(label string) fyne.CanvasObject {
		for _, it := range form.Items {
			if it.Text == label {
				return it.Widget
			}
		}
		t.Fatalf("Settings has no %q", label)
		return nil
	}
	uiLocked(func() {
		ui.settings.theme.SetSelected(themeDark)
		item("Processes").(*widget.Check).SetChecked(true)
		item("A capture keeps").(*safeSelect).SetSelected(ringChoices[0].name)
	})
	if ui.prefs.theme() != themeDark || shownVariant() != theme.VariantDark {
		t.Errorf("theme %q, drawn as variant %d", ui.prefs.theme(), shownVariant())
	}
	if !ui.procs.conns.Checked || !ui.prefs.showConns() {
		t.Error("the Processes check box did not follow")
	}
	if ui.prefs.ring() != ringChoices[0].max {
		t.Errorf("ring %d", ui.prefs.ring())
	}

	expose := item("Local servers").(*widget.Check)
	before := len(dialogs)
	uiLocked(func() { expose.SetChecked(true) })
	if len(dialogs) != before+1 || ui.prefs.exposeServers() {
		t.Fatalf("ticking it did not ask first (%d dialogs, kept %v)", len(dialogs)-before, ui.prefs.exposeServers())
	}
	pressDialogButton(t, dialogs[len(dialogs)-1], "Keep it on this machine")
	if expose.Checked || ui.prefs.exposeServers() || ui.servers.bar.expose.Checked {
		t.Error("answering no left it on")
	}
	uiLocked(func() { expose.SetChecked(true) })
	pressDialogButton(t, dialogs[len(dialogs)-1], "Allow other devices")
	if !ui.prefs.exposeServers() || !ui.servers.bar.expose.Checked {
		t.Error("answering yes did not turn it on, in the start bar too")
	}
	uiLocked(func() { dialogs[len(dialogs)-1].d.Hide() })
}

func pressDialogButton(t *testing.T, d *openDialog, text string) {
	t.Helper()
	for _, b := range d.buttons {
		if b.Text == text {
			uiLocked(func() { test.Tap(b) })
			return
		}
	}
	t.Fatalf("the dialog %q has no button %q", d.title, text)
}

// Settings' tray, notification and watched-port rows keep their choices,
// say why what the desktop lacks is off, and refuse a port that is none.
func TestSettingsTrayAndWatch(t *testing.T) {
	a := test.NewTempApp(t)
	var ui *UI
	uiLocked(func() {
		ui = New(a, test.NewTempWindow(t, nil), &fakeSource{}, Options{Session: session.Services{
			TrayWhy: "this desktop shows no system tray", Notifications: true}})
		ui.w.Resize(fyne.NewSize(1180, 720))
		ui.showSettings()
	})
	t.Cleanup(ui.Stop)
	item := func(label string) *widget.FormItem {
		for _, it := range ui.settings.form.Items {
			if it.Text == label {
				return it
			}
		}
		t.Fatalf("Settings has no %q", label)
		return nil
	}
	tray := item("System tray")
	if c := tray.Widget.(*widget.Check); !c.Disabled() || c.Checked || tray.HintText != "unavailable: this desktop shows no system tray" {
		t.Errorf("no tray: check disabled %v, checked %v, hint %q", c.Disabled(), c.Checked, tray.HintText)
	}
	boxes := item("Notify me").Widget.(*checkGroup).checks
	watched, exposed := boxes[0], boxes[1]
	if !watched.Checked || !exposed.Checked || watched.Disabled() {
		t.Fatalf("notifications start on: %v %v", watched.Checked, exposed.Checked)
	}
	uiLocked(func() { watched.SetChecked(false) })
	if ui.prefs.notifyOn() || !ui.prefs.notifyExposed() || exposed.Disabled() {
		t.Errorf("watched off: kept %v, exposures %v, their box enabled %v", ui.prefs.notifyOn(), ui.prefs.notifyExposed(), !exposed.Disabled())
	}
	uiLocked(func() { exposed.SetChecked(false) })
	if ui.prefs.notifyExposed() {
		t.Error("exposure notifications still on")
	}
	ports := item("Watched ports").Widget.(*dialogEntry)
	uiLocked(func() { test.Type(ports, "70000") })
	if len(ui.prefs.watchedPorts()) != 0 {
		t.Errorf("typing 70000 watched %v on the way", ui.prefs.watchedPorts())
	}
	uiLocked(func() {
		ports.SetText("5432, 3000")
		ports.OnSubmitted(ports.Text)
	})
	if got := ui.prefs.watchedPorts(); !slices.Equal(got, []uint16{3000, 5432}) {
		t.Errorf("watched %v after Enter", got)
	}
	uiLocked(func() { ports.SetText("5432, http") })
	if ports.Validate() == nil {
		t.Error("a word passed as a port")
	}
	uiLocked(func() { dialogs[len(dialogs)-1].d.Hide() })
	if got := ui.prefs.watchedPorts(); !slices.Equal(got, []uint16{3000, 5432}) {
		t.Errorf("closing Settings with a bad list changed the watched ports to %v", got)
	}
	uiLocked(func() {
		ui.showSettings()
		item("Watched ports").Widget.(*dialogEntry).SetText("8080")
		dialogs[len(dialogs)-1].d.Hide()
	})
	if got := ui.prefs.watchedPorts(); !slices.Equal(got, []uint16{8080}) {
		t.Errorf("closing Settings did not keep the list typed: %v", got)
	}

	// A second window reads what the first one kept.
	var again *UI
	uiLocked(func() {
		again = New(a, test.NewTempWindow(t, nil), &fakeSource{}, Options{Session: session.Services{Notifications: true}})
	})
	t.Cleanup(again.Stop)
	if again.prefs.notifyOn() || again.prefs.notifyExposed() || !slices.Equal(again.prefs.watchedPorts(), []uint16{8080}) {
		t.Error("the choices did not survive")
	}
}

// Where the desktop shows no notifications, the "Notify me" row is
// greyed as a whole, its label too, as the tray's row is.
func TestSettingsNotifyGreyed(t *testing.T) {
	a := test.NewTempApp(t)
	var ui *UI
	uiLocked(func() {
		ui = New(a, test.NewTempWindow(t, nil), &fakeSource{}, Options{Session: session.Services{NotificationsWhy: "none here"}})
		ui.showSettings()
	})
	t.Cleanup(ui.Stop)
	for _, it := range ui.settings.form.Items {
		if it.Text != "Notify me" {
			continue
		}
		g, ok := it.Widget.(fyne.Disableable)
		if !ok || !g.Disabled() || it.HintText != "unavailable: none here" {
			t.Errorf("Notify me: disableable %v, hint %q", ok, it.HintText)
		}
	}
	uiLocked(func() { dialogs[len(dialogs)-1].d.Hide() })
}
