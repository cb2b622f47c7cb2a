package gui

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// addShortcuts registers the window's keyboard shortcuts (Ctrl is Cmd on
// macOS): Ctrl+1…9 and Ctrl+Tab / Ctrl+Shift+Tab switch tabs, Ctrl+F
// goes to the filter, Ctrl+E exports, Ctrl+R (and F5) refreshes now,
// Ctrl+C copies the selected rows and
// Ctrl+A selects every shown row, all in the shown tab only, and none
// while a dialog is open; Escape closes the dialog on top. Entries pass the custom ones on (filterEntry).
func (u *UI) addShortcuts(c fyne.Canvas) {
	mod := fyne.KeyModifierShortcutDefault
	keys := append(slices.Clone(tabKeys), fyne.KeyF, fyne.KeyE, fyne.KeyR, fyne.KeyTab, fyne.KeyComma)
	for _, k := range keys {
		sc := &desktop.CustomShortcut{KeyName: k, Modifier: mod}
		c.AddShortcut(sc, func(s fyne.Shortcut) { u.shortcut(s) })
	}
	back := &desktop.CustomShortcut{KeyName: fyne.KeyTab, Modifier: mod | fyne.KeyModifierShift}
	c.AddShortcut(back, func(s fyne.Shortcut) { u.shortcut(s) })
	c.AddShortcut(&fyne.ShortcutCopy{}, func(fyne.Shortcut) {
		if len(dialogs) == 0 {
			u.shown().copySelection()
		}
	})
	c.AddShortcut(&fyne.ShortcutSelectAll{}, func(fyne.Shortcut) {
		if len(dialogs) == 0 {
			u.shown().selectAll()
		}
	})
	// Keys nothing focused took: Escape closes the dialog on top; the
	// others move in the shown table, as if it had the focus.
	c.SetOnTypedKey(func(e *fyne.KeyEvent) {
		switch {
		case e.Name == fyne.KeyEscape:
			dismissTop()
		case e.Name == fyne.KeyReturn || e.Name == fyne.KeyEnter:
			confirmTop()
		case e.Name == fyne.KeyF1 && len(dialogs) == 0:
			showGlossary(u.w, "")
		case len(dialogs) == 0:
			u.shown().typedKey(e)
		}
	})
}

// tabKeys are Ctrl+1…9's keys, the tabs' shortcuts.
var tabKeys = []fyne.KeyName{fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4, fyne.Key5, fyne.Key6, fyne.Key7, fyne.Key8, fyne.Key9}

// shortcut runs one of the window's custom shortcuts and reports whether
// it was one.
func (u *UI) shortcut(s fyne.Shortcut) bool {
	cs, ok := s.(*desktop.CustomShortcut)
	if !ok {
		return false
	}
	if len(dialogs) > 0 {
		return true // a dialog is open: the window behind it takes no keys
	}
	mod := fyne.KeyModifierShortcutDefault
	switch {
	case cs.Modifier == mod && cs.KeyName >= fyne.Key1 && cs.KeyName <= fyne.Key9:
		if i := int(cs.KeyName[0] - '1'); i < len(u.views) {
			u.tabs.SelectIndex(i)
		}
	case cs.Modifier == mod && cs.KeyName == fyne.KeyTab:
		u.tabs.SelectIndex((u.tabs.SelectedIndex() + 1) % len(u.views))
	case cs.Modifier == mod|fyne.KeyModifierShift && cs.KeyName == fyne.KeyTab:
		u.tabs.SelectIndex((u.tabs.SelectedIndex() + len(u.views) - 1) % len(u.views))
	case cs.Modifier == mod && cs.KeyName == fyne.KeyF:
		u.shown().focusFilter(u.w.Canvas())
	case cs.Modifier == mod && cs.KeyName == fyne.KeyE:
		u.shown().export()
	case cs.Modifier == mod && cs.KeyName == fyne.KeyR:
		u.refreshAll()
	case cs.Modifier == mod && cs.KeyName == fyne.KeyComma:
		u.showSettings()
	default:
		return false
	}
	return true
}
