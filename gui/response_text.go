package gui

import (
	"image/color"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// textView is a read-only monospace view of a long text (a body, the raw
// bytes). It wraps lines at its width and draws only the rows in sight —
// it is a widget.List of lines — so a 256 KB body costs about what a
// screenful does. Fyne 2.7's TextGrid would be the obvious choice, but it
// leaves the rows it adds when it grows unplaced until the next scroll.
type textView struct {
	widget.BaseWidget
	lines   []string
	heading map[int]bool // lines drawn in the primary colour
	rows    []textRow    // the lines wrapped at cols
	cols    int
	list    *widget.List
	obj     fyne.CanvasObject
}

// textRow is one drawn row: bytes start to end of a line.
type textRow struct{ line, start, end int }

func newTextView() *textView {
	v := &textView{heading: map[int]bool{}}
	v.list = widget.NewList(func() int { return len(v.rows) }, v.createRow, v.updateRow)
	v.list.HideSeparators = true
	v.list.OnSelected = func(id widget.ListItemID) { v.list.Unselect(id) } // text, not a choice
	v.obj = container.NewPadded(container.NewThemeOverride(v.list, compactTheme{}))
	v.ExtendBaseWidget(v)
	return v
}

func (v *textView) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(v.obj) }

func (v *textView) createRow() fyne.CanvasObject {
	t := canvas.NewText("", theme.Color(theme.ColorNameForeground))
	t.TextStyle = fyne.TextStyle{Monospace: true}
	return t
}

func (v *textView) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	t := o.(*canvas.Text)
	r := v.rows[id]
	t.Text = v.lines[r.line][r.start:r.end]
	t.Color = theme.Color(theme.ColorNameForeground)
	if v.heading[r.line] {
		t.Color = theme.Color(theme.ColorNamePrimary)
	}
	t.Refresh()
}

// SetText shows s, escaped already, from its first line; the lines
// numbered in headings are drawn in the primary colour.
func (v *textView) SetText(s string, headings ...int) {
	v.lines = strings.Split(s, "\n")
	clear(v.heading)
	for _, h := range headings {
		v.heading[h] = true
	}
	v.rows = wrapRows(v.lines, v.cols)
	v.list.ScrollToTop()
	v.list.Refresh()
}

// Text is the text shown, for the tests.
func (v *textView) Text() string { return strings.Join(v.lines, "\n") }

// Resize wraps the lines again when the number of columns that fit
// changed.
func (v *textView) Resize(size fyne.Size) {
	v.BaseWidget.Resize(size)
	cell := fyne.MeasureText("M", theme.TextSize(), fyne.TextStyle{Monospace: true}).Width
	cols := int((size.Width - 2*theme.Padding() - theme.ScrollBarSize()) / cell)
	if cols = max(cols, 20); cols != v.cols {
		v.cols = cols
		v.rows = wrapRows(v.lines, cols)
		v.list.Refresh()
	}
}

// wrapRows cuts every line into rows of at most cols characters; cols 0
// cuts nothing.
func wrapRows(lines []string, cols int) []textRow {
	rows := make([]textRow, 0, len(lines))
	for i, l := range lines {
		if cols <= 0 || len(l) <= cols || utf8.RuneCountInString(l) <= cols {
			rows = append(rows, textRow{i, 0, len(l)})
			continue
		}
		start, n := 0, 0
		for j := range l {
			if n == cols {
				rows = append(rows, textRow{i, start, j})
				start, n = j, 0
			}
			n++
		}
		rows = append(rows, textRow{i, start, len(l)})
	}
	return rows
}

// compactTheme packs a text view's lines as tightly as an editor's: no
// padding between the rows of its list.
type compactTheme struct{}

func (compactTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	return appTheme().Color(n, v)
}
func (compactTheme) Font(s fyne.TextStyle) fyne.Resource     { return appTheme().Font(s) }
func (compactTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return appTheme().Icon(n) }
func (compactTheme) Size(n fyne.ThemeSizeName) float32 {
	if n == theme.SizeNamePadding {
		return 1
	}
	return appTheme().Size(n)
}

func appTheme() fyne.Theme { return fyne.CurrentApp().Settings().Theme() }
