package gui

import (
	"fmt"
	"net/url"
	"runtime"
	"runtime/debug"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
	"github.com/loopscope/loopscope/assets"
)

// mainMenu is the window's menu (macOS's menu bar there): File, View and
// Help. Its items do what the window's buttons and keys do; Fyne adds
// Quit to File.
func (u *UI) mainMenu() *fyne.MainMenu {
	// Items with a shortcut do what the window's shortcut does (keys.go):
	// the menu runs it before any widget sees the key.
	item := func(label string, key fyne.KeyName) *fyne.MenuItem {
		sc := &desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierShortcutDefault}
		return &fyne.MenuItem{Label: label, Action: func() { u.shortcut(sc) }, Shortcut: sc}
	}
	// Closing the window stops the servers and keeps the preferences. Not
	// from inside the key's own event: GLFW would then send to a window
	// already gone, and Xlib ends the program over it.
	quit := &fyne.MenuItem{Label: "Quit", IsQuit: true, Action: u.Quit, // even over a dialog
		Shortcut: &desktop.CustomShortcut{KeyName: fyne.KeyQ, Modifier: fyne.KeyModifierShortcutDefault}}
	file := fyne.NewMenu("File",
		fyne.NewMenuItem("Open capture file…", func() { u.whenFree(u.openCapture) }),
		item("Export…", fyne.KeyE),
		fyne.NewMenuItemSeparator(),
		item("Settings…", fyne.KeyComma),
		fyne.NewMenuItemSeparator(),
		quit,
	)
	var tabs []*fyne.MenuItem
	for i, t := range tabTitles {
		tabs = append(tabs, item(t[1], tabKeys[i]))
	}
	view := fyne.NewMenu("View", append(tabs,
		fyne.NewMenuItemSeparator(),
		item("Refresh now", fyne.KeyR),
		fyne.NewMenuItem("Pause or resume refreshing", func() { u.whenFree(u.togglePause) }),
	)...)
	help := fyne.NewMenu("Help",
		fyne.NewMenuItem("Lessons", func() { u.whenFree(func() { u.tabs.SelectIndex(u.viewIndex("Learn")) }) }),
		fyne.NewMenuItem("Glossary", func() { u.whenFree(func() { showGlossary(u.w, "") }) }),
		fyne.NewMenuItem("Read me", u.showReadme),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("About Loopscope", func() { u.whenFree(u.showAbout) }),
	)
	return fyne.NewMainMenu(file, view, help)
}

// whenFree does what a menu item asks unless a dialog is open: the window
// behind a dialog takes no commands, from the keys or the menu.
func (u *UI) whenFree(do func()) {
	if len(dialogs) == 0 {
		do()
	}
}

// openCapture shows the Packets tab and its Open dialog.
func (u *UI) openCapture() {
	u.tabs.SelectIndex(u.viewIndex("Packets"))
	u.packets.bar.openFile()
}

// togglePause pauses the refreshes, or resumes them as often as before
// the pause (every 2 s when that is not known).
func (u *UI) togglePause() {
	if u.bar.refresh.Selected != "Paused" {
		u.bar.refresh.SetSelected("Paused")
		return
	}
	if u.resumeTo == "" {
		u.resumeTo = "Every 2 s"
	}
	u.bar.refresh.SetSelected(u.resumeTo)
}

// showReadme opens the README in the browser: a long manual reads
// better there, with its pictures and tables.
func (u *UI) showReadme() {
	target, err := url.Parse(u.readme)
	if u.readme == "" || err != nil {
		inform(u.w, "Read me", "This build does not know where its README is.")
		return
	}
	u.sh.openURL(target)
}

// showAbout names the version, what it was built with and on, and
// offers the licences of what it links.
func (u *UI) showAbout() {
	var mods, main []string
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, m := range info.Deps {
			mods = append(mods, m.Path)
			switch m.Path {
			case "fyne.io/fyne/v2":
				main = append(main, "Fyne "+m.Version)
			case "github.com/shirou/gopsutil/v4":
				main = append(main, "gopsutil "+m.Version)
			case "github.com/gopacket/gopacket":
				main = append(main, "gopacket "+m.Version)
			}
		}
	}
	text := fmt.Sprintf("Loopscope %s shows which ports are open on this machine, who owns them, and who can reach them.\n\n"+
		"Built with %s for %s/%s, on %s and %d other modules; Licences names each, with its licence.",
		u.version, runtime.Version(), runtime.GOOS, runtime.GOARCH, strings.Join(main, ", "), len(mods)-len(main))
	var d dialog.Dialog
	licences := widget.NewButton("Licences…", func() { d.Hide(); u.showLicences() })
	ok := widget.NewButton("OK", func() { d.Hide() })
	ok.Importance = widget.HighImportance
	d = showDialog(u.w, "About Loopscope", text, nil, licences, ok)
}

// showLicences shows the licence of every module the binary links.
func (u *UI) showLicences() {
	// A text grid: 66 kB of plain text a label would lay out slowly.
	text := widget.NewTextGridFromString(assets.Licences)
	d := dialog.NewCustom("Licences", "Close", container.NewScroll(text), u.w)
	trackDialog(u.w, d, "Licences", "", nil, nil)
	d.Resize(fyne.NewSize(min(900, u.w.Canvas().Size().Width-40), min(640, u.w.Canvas().Size().Height-40)))
	d.Show()
}
