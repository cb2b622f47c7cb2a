package gui

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// view is one tab of the window: what the window needs to show it, feed
// it, and send it the keyboard's commands. The window sends commands to
// the shown view only.
type view interface {
	title() string // the tab's title: "Listening Ports"
	name() string  // its short name, which --tab takes: "Ports"
	icon() fyne.Resource
	content() fyne.CanvasObject
	status() fyne.CanvasObject // its status line, shown under the tabs

	// run refreshes the view until ctx is done: at once, every every()
	// (0: paused), and when kick fires; only while active reports true.
	run(ctx context.Context, every func() time.Duration, kick <-chan struct{}, active func() bool)

	focusFilter(c fyne.Canvas)
	focusTable(c fyne.Canvas)
	typedKey(e *fyne.KeyEvent) // a key nothing focused took: it moves in the view's table
	copySelection() bool       // false when nothing is selected
	copyAllShown()
	selectAll()
	selectPort(port uint16) bool
	export()
}

// shell is what every view shares from the window.
type shell struct {
	a         fyne.App
	w         fyne.Window
	src       SnapshotSource
	prefs     prefs
	end       *ender
	openURL   func(*url.URL)                   // opens a URL, saying so in the window when it cannot
	shortcut  func(fyne.Shortcut) bool         // the window's own shortcuts
	ready     func()                           // the view has shown its first data, or why there is none
	watchPort func(port uint16, loopback bool) // opens the Packets tab on port's traffic
	// watching and setWatched read and change the watched ports; nil
	// where nothing can tell of them (no tray, no notifications).
	watching   func(port uint16) bool
	setWatched func(port uint16, on bool)
	diagnoseE  *filterEntry // the "Diagnose port…" field, and its button
	diagnoseB  *widget.Button
}

// watchItem is a row menu's item that watches port, or stops watching it;
// nil where watching tells nothing.
func (s *shell) watchItem(port uint16) *fyne.MenuItem {
	if s.setWatched == nil {
		return nil
	}
	if s.watching(port) {
		return fyne.NewMenuItem(fmt.Sprintf("Stop notifying about port %d", port), func() { s.setWatched(port, false) })
	}
	return fyne.NewMenuItem(fmt.Sprintf("Notify me when port %d starts or stops listening", port), func() { s.setWatched(port, true) })
}

// copy puts text on the clipboard.
func (s *shell) copy(text string) { s.a.Clipboard().SetContent(text) }

// filterEntry is a filter box. A plain Entry with the focus takes every
// shortcut, so Ctrl+1…9, Ctrl+Tab or Ctrl+F would do nothing while the
// user types a filter; this one passes the window's own on. Escape
// clears it. Its hint shortens to fit a narrow window (orShorter).
type filterEntry struct {
	widget.Entry
	window func(fyne.Shortcut) bool
	hints  []string // the placeholder, then shorter ones, longest first
}

// orShorter gives the box shorter hints, longest first, for when the
// whole one does not fit: a hint cut mid-word reads as a mistake.
func (e *filterEntry) orShorter(hints ...string) *filterEntry {
	e.hints = append([]string{e.PlaceHolder}, hints...)
	return e
}

// Resize shows the longest hint that fits the new width.
func (e *filterEntry) Resize(size fyne.Size) {
	if len(e.hints) > 0 && size.Width > 0 {
		avail := size.Width - 2*theme.InnerPadding() - 2*theme.InputBorderSize()
		hint := e.hints[len(e.hints)-1]
		for _, h := range e.hints {
			if fitsIn(h, avail, theme.TextSize(), fyne.TextStyle{}) {
				hint = h
				break
			}
		}
		if hint != e.PlaceHolder {
			e.SetPlaceHolder(hint)
		}
	}
	e.Entry.Resize(size)
}

func newFilterEntry(placeholder string, window func(fyne.Shortcut) bool, onChanged func(string)) *filterEntry {
	e := &filterEntry{window: window}
	e.ExtendBaseWidget(e)
	e.SetPlaceHolder(placeholder)
	e.OnChanged = onChanged
	return e
}

// TypedShortcut gives the window its shortcuts, and the Entry the rest
// (copy, paste, select all).
func (e *filterEntry) TypedShortcut(s fyne.Shortcut) {
	if _, ok := s.(*desktop.CustomShortcut); ok && e.window != nil && e.window(s) {
		return
	}
	e.Entry.TypedShortcut(s)
}

// TypedKey clears the filter on Escape.
func (e *filterEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && e.Text != "" {
		e.SetText("")
		return
	}
	e.Entry.TypedKey(k)
}

// listView is what every tab with a filter box over a table has in
// common: the window's commands on its table.
type listView[R any] struct {
	*shell
	table  *dataTable[R]
	filter *filterEntry
}

func (l *listView[R]) focusFilter(c fyne.Canvas) { c.Focus(l.filter) }
func (l *listView[R]) focusTable(c fyne.Canvas)  { c.Focus(l.table.widget) }
func (l *listView[R]) typedKey(e *fyne.KeyEvent) { l.table.key(e) }
func (l *listView[R]) selectAll()                { l.table.selectAll() }

// copySelection copies the selected rows as tab-separated values.
func (l *listView[R]) copySelection() bool {
	rows := l.table.selectedRows()
	if len(rows) == 0 {
		return false
	}
	l.copy(l.table.tsv(rows, false))
	return true
}

// copyAllShown copies every shown row, with the column titles first.
func (l *listView[R]) copyAllShown() { l.copy(l.table.tsv(l.table.rows, true)) }
