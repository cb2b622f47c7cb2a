package gui

import (
	"fmt"
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
	file := fyne.NewMenu("File",
		fyne.NewMenuItem("Open capture file…", func() { u.whenFree(u.openCapture) }),
		fyne.NewMenuItem("Export…", func() { u.whenFree(func() { u.shown().export() }) }),
		fyne.NewMenuItemSeparator(),
		// The window's own shortcut: the menu runs it before any widget sees the key.
		&fyne.MenuItem{Label: "Settings…", Action: func() { u.whenFree(u.showSettings) },
			Shortcut: &desktop.CustomShortcut{KeyName: fyne.KeyComma, Modifier: fyne.KeyModifierShortcutDefault}},
	)
	var tabs []*fyne.MenuItem
	for i, t := range tabTitles {
		tabs = append(tabs, fyne.NewMenuItem(t[1], func() { u.whenFree(func() { u.tabs.SelectIndex(i) }) }))
	}
	view := fyne.NewMenu("View", append(tabs,
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Refresh now", u.refreshAll),
		fyne.NewMenuItem("Pause or resume refreshing", u.togglePause),
	)...)
	help := fyne.NewMenu("Help",
		fyne.NewMenuItem("Lessons", func() { u.whenFree(func() { u.tabs.SelectIndex(u.viewIndex("Learn")) }) }),
		fyne.NewMenuItem("Glossary", func() { showGlossary(u.w, "") }),
		fyne.NewMenuItem("Read me", u.showReadme),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("About Loopscope", u.showAbout),
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

// togglePause pauses the refreshes, or resumes them every 2 s.
func (u *UI) togglePause() {
	if u.bar.refresh.Selected == "Paused" {
		u.bar.refresh.SetSelected("Every 2 s")
	} else {
		u.bar.refresh.SetSelected("Paused")
	}
}

// showReadme shows the README the binary carries, as formatted text.
func (u *UI) showReadme() {
	if u.readme == "" {
		inform(u.w, "Read me", "This build carries no README.")
		return
	}
	text := widget.NewRichTextFromMarkdown(u.readme)
	text.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom("Read me", "Close", container.NewVScroll(text), u.w)
	trackDialog(u.w, d, "Read me", "", nil, nil)
	d.Resize(fyne.NewSize(900, 640))
	d.Show()
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
	text := widget.NewLabel(assets.Licences)
	text.TextStyle.Monospace = true
	d := dialog.NewCustom("Licences", "Close", container.NewScroll(text), u.w)
	trackDialog(u.w, d, "Licences", "", nil, nil)
	d.Resize(fyne.NewSize(900, 640))
	d.Show()
}
