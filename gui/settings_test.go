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
	boxes := item("Notifications").Widget.(*fyne.Container).Objects
	all, exposed := boxes[0].(*widget.Check), boxes[1].(*widget.Check)
	if !all.Checked || !exposed.Checked || all.Disabled() {
		t.Fatalf("notifications start on: %v %v", all.Checked, exposed.Checked)
	}
	uiLocked(func() { exposed.SetChecked(false) })
	if ui.prefs.notifyExposed() {
		t.Error("exposure notifications still on")
	}
	uiLocked(func() { all.SetChecked(false) })
	if ui.prefs.notifyOn() || !exposed.Disabled() {
		t.Errorf("notifications off: kept %v, the exposure box enabled %v", ui.prefs.notifyOn(), !exposed.Disabled())
	}
	ports := item("Watched ports").Widget.(*widget.Entry)
	uiLocked(func() { ports.SetText("5432, 3000") })
	if got := ui.prefs.watchedPorts(); !slices.Equal(got, []uint16{3000, 5432}) {
		t.Errorf("watched %v", got)
	}
	uiLocked(func() { ports.SetText("5432, http") })
	if ports.Validate() == nil || len(ui.prefs.watchedPorts()) != 2 {
		t.Errorf("a word taken as a port: %v", ui.prefs.watchedPorts())
	}
	uiLocked(func() { dialogs[len(dialogs)-1].d.Hide() })

	// A second window reads what the first one kept.
	var again *UI
	uiLocked(func() {
		again = New(a, test.NewTempWindow(t, nil), &fakeSource{}, Options{Session: session.Services{Notifications: true}})
	})
	t.Cleanup(again.Stop)
	if again.prefs.notifyOn() || again.prefs.notifyExposed() || !slices.Equal(again.prefs.watchedPorts(), []uint16{3000, 5432}) {
		t.Error("the choices did not survive")
	}
}
