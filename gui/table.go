package gui

import (
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// column describes one column of a data table.
type column struct {
	title   string
	width   float32 // the width it needs
	numeric bool    // right-aligned
	grow    float32 // its share of the width left over
	drop    int     // 0: always shown; a narrow window drops the highest first
}

// tableSpec is what a tab tells its table about its rows.
type tableSpec[R any] struct {
	noun    string // "socket", for "No socket matches …"
	columns []column
	key     func(*R) string        // a row's identity across refreshes
	cell    func(*R, int) cellView // precomputed: drawing must not format
	search  func(*R) string        // lower-case text the filter matches
	compare func(a, b *R, col int) int
	last    func(*R, int) bool // rows that sort last in a column, whichever way
	tie     []int              // columns that break ties, in order
	state   func(*R) rowState  // nil: every row is steady
	// plainSort leaves out the rule that empty cells ("—") sort last:
	// for rows whose cells are made when drawn, checking it would make
	// every cell of every row while sorting.
	plainSort bool
}

// dataTable is the table every tab shows: a sort header, cells that select
// on a left click (Ctrl and Shift add to the selection) and open the row's
// menu on a right click, arrow keys that move the selection, a filter over
// the text the cells show, the selection kept by key across refreshes, an
// empty state that says why nothing shows, and columns that fit the width.
type dataTable[R any] struct {
	spec   tableSpec[R]
	widget *keyTable
	header *sortHeader
	sort   sortSpec

	// The rows stay in the arrays setRows and appendRows were given; the
	// table orders and filters pointers to them.
	all       []*R // in the order they came
	sorted    []*R // all, in the order of sort
	rows      []*R // what the table shows: sorted, filtered
	allFront  []*R // the arrays appendRows keeps all and rows in (see roomFor)
	rowsFront []*R
	query     string
	keep      func(*R) bool // a second filter (the exposure drop-down); nil keeps all
	keepWords string        // what keep keeps, for the empty state

	selected map[string]bool
	current  string // the row the details show; "" for none
	vis      []int  // the columns shown, by index into spec.columns
	width    float32
	endRows  int  // how many rows the last scrollToEnd scrolled past
	spare    []*R // an empty array for the next appendRows to grow all into, made off the UI goroutine

	emptyText *widget.Label
	emptyBox  *fyne.Container
	obj       fyne.CanvasObject

	shownCells map[int]*tableCell // the first column's cell of each row shown

	onCurrent func(r *R) // the row the details show changed; nil for none
	onMenu    func(r *R, at fyne.Position)
	onEnter   func(r *R)
	onDelete  func(r *R)
	onClear   func() // the empty state's Clear filter button
	onRefresh func() // F5
	onTap     func() // a click chose a row (before it is chosen)
}

func newDataTable[R any](spec tableSpec[R]) *dataTable[R] {
	t := &dataTable[R]{spec: spec, selected: map[string]bool{}}
	titles := make([]string, len(spec.columns))
	for i, c := range spec.columns {
		titles[i] = c.title
	}
	t.header = &sortHeader{titles: titles, spec: &t.sort, onSort: func() { t.resort(); t.refilter(false) }}
	t.vis = make([]int, len(spec.columns))
	for i := range t.vis {
		t.vis[i] = i
	}
	t.widget = newKeyTable(t.key)
	t.widget.Length = func() (int, int) { return len(t.rows), len(t.vis) }
	t.widget.CreateCell = func() fyne.CanvasObject { return newTableCell(t.tap, t.menu) }
	t.widget.UpdateCell = t.updateCell
	t.widget.CreateHeader = t.header.create
	t.widget.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(t.vis) {
			t.header.update(t.vis[id.Col], o)
		}
	}
	for i, c := range spec.columns {
		t.widget.SetColumnWidth(i, c.width)
	}
	t.emptyText = widget.NewLabel("")
	t.emptyText.Alignment = fyne.TextAlignCenter
	t.emptyText.Truncation = fyne.TextTruncateEllipsis
	clear := widget.NewButton("Clear filter", func() {
		if t.onClear != nil {
			t.onClear()
		}
	})
	msg := container.NewVBox(t.emptyText, container.NewCenter(clear))
	t.emptyBox = container.NewCenter(newMessageCard(container.New(&minWidth{w: 420}, msg)))
	t.emptyBox.Hide()
	fit := container.New(&fitLayout{onWidth: t.fit, onResize: t.keepCurrent}, t.widget)
	t.obj = container.NewStack(fit, t.emptyBox)
	return t
}

// object is the table with its empty state, for a tab's layout.
func (t *dataTable[R]) object() fyne.CanvasObject { return t.obj }

// setRows shows a refresh's rows, keeping the selection on the same keys.
func (t *dataTable[R]) setRows(all []R) {
	t.all = appendPointers(make([]*R, 0, len(all)), all)
	t.allFront, t.rowsFront = nil, nil // appendRows' arrays held the old rows
	t.resort()
	t.refilter(false)
}

// resort orders every row by the sort column. Empty cells ("—") and
// whatever the spec says sorts last stay at the bottom either way, as in
// a spreadsheet.
func (t *dataTable[R]) resort() {
	last := func(r *R, col int) bool {
		if t.spec.plainSort {
			return t.spec.last != nil && t.spec.last(r, col)
		}
		return t.spec.cell(r, col).text == "—" || t.spec.last != nil && t.spec.last(r, col)
	}
	t.sorted = sortedRows(t.all, t.sort, t.spec.compare, last, t.spec.tie, t.spec.key)
}

// setFilter sets the filter text and the second filter; the table goes
// back to its top, so a short result is never scrolled out of sight.
func (t *dataTable[R]) setFilter(query string, keep func(*R) bool, keepWords string) {
	t.query, t.keep, t.keepWords = query, keep, keepWords
	t.refilter(true)
}

// filtered reports whether a filter hides some rows.
func (t *dataTable[R]) filtered() bool { return strings.TrimSpace(t.query) != "" || t.keep != nil }

// refilter recomputes the rows shown and keeps the selection on rows that
// are still shown.
func (t *dataTable[R]) refilter(toTop bool) {
	rows := filterSorted(t.sorted, t.query, t.spec.search)
	if t.keep != nil {
		rows = slices.DeleteFunc(rows, func(r *R) bool { return !t.keep(r) })
	}
	if len(rows) != len(t.rows) {
		defer settleLayout(t.widget)
	}
	t.rows, t.rowsFront = rows, nil
	shown := make(map[string]bool, len(rows))
	for _, r := range rows {
		shown[t.spec.key(r)] = true
	}
	for k := range t.selected {
		if !shown[k] {
			delete(t.selected, k)
		}
	}
	t.widget.Refresh()
	if toTop {
		t.widget.ScrollToTop()
	}
	t.showEmpty()
	if t.current != "" && !shown[t.current] {
		t.current = ""
	}
	if t.onCurrent != nil {
		t.onCurrent(t.currentRow())
	}
}

// showEmpty says why the table is empty, when a filter hides everything.
func (t *dataTable[R]) showEmpty() {
	if len(t.rows) > 0 || len(t.all) == 0 {
		t.emptyBox.Hide()
		return
	}
	what := "No " + t.spec.noun
	if t.keepWords != "" {
		what += " " + t.keepWords
	}
	if q := strings.TrimSpace(t.query); q != "" {
		what += fmt.Sprintf(" matches %q", q)
	}
	t.emptyText.SetText(what + ".")
	t.emptyBox.Show()
}

// currentRow is the row the details show, or nil.
func (t *dataTable[R]) currentRow() *R {
	if i := t.indexOf(t.current); i >= 0 {
		return t.rows[i]
	}
	return nil
}

func (t *dataTable[R]) indexOf(key string) int {
	if key == "" {
		return -1
	}
	for i, r := range t.rows {
		if t.spec.key(r) == key {
			return i
		}
	}
	return -1
}

// selectedRows are the selected rows, in the order shown.
func (t *dataTable[R]) selectedRows() []*R {
	var out []*R
	for _, r := range t.rows {
		if t.selected[t.spec.key(r)] {
			out = append(out, r)
		}
	}
	return out
}

// sortBy sorts by col, or reverses when already sorted by it.
func (t *dataTable[R]) sortBy(col int) { t.header.sortBy(col) }

// selectKey selects the row with key alone and shows it; false if no
// shown row has it.
func (t *dataTable[R]) selectKey(key string) bool {
	i := t.indexOf(key)
	if i < 0 {
		return false
	}
	t.choose(i, 0)
	return true
}

// selectAll selects every shown row.
func (t *dataTable[R]) selectAll() {
	for _, r := range t.rows {
		t.selected[t.spec.key(r)] = true
	}
	t.widget.Refresh()
}

func (t *dataTable[R]) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	if id.Row < 0 || id.Row >= len(t.rows) || id.Col < 0 || id.Col >= len(t.vis) {
		return
	}
	r := t.rows[id.Row]
	col := t.vis[id.Col]
	state := rowSteady
	if t.spec.state != nil {
		state = t.spec.state(r)
	}
	cell := o.(*tableCell)
	if t.shownCells[cell.row] == cell { // the cell moves on: forget where it was
		delete(t.shownCells, cell.row)
	}
	cell.reserve = 0
	if id.Col == len(t.vis)-1 { // the last column reaches under the vertical scroll bar
		cell.reserve = theme.ScrollBarSize()
	}
	cell.show(id.Row, t.spec.cell(r, col), t.spec.columns[col].numeric, state, t.selected[t.spec.key(r)])
	if id.Col == 0 {
		if t.shownCells == nil {
			t.shownCells = map[int]*tableCell{}
		}
		t.shownCells[id.Row] = cell
	}
}

// tap selects the tapped row: alone, or with Ctrl (Cmd on macOS) added to
// the selection, or with Shift the range from the current row.
func (t *dataTable[R]) tap(row int, mods fyne.KeyModifier) {
	if row < 0 || row >= len(t.rows) {
		return
	}
	if c := fyne.CurrentApp().Driver().CanvasForObject(t.widget); c != nil {
		c.Focus(t.widget) // so the arrow keys move from here
	}
	if t.onTap != nil {
		t.onTap()
	}
	t.choose(row, mods)
}

// choose makes row the current one, changing the selection as mods say.
func (t *dataTable[R]) choose(row int, mods fyne.KeyModifier) {
	key := t.spec.key(t.rows[row])
	from := t.indexOf(t.current)
	switch {
	case mods&fyne.KeyModifierShortcutDefault != 0:
		if t.selected[key] {
			delete(t.selected, key)
		} else {
			t.selected[key] = true
		}
	case mods&fyne.KeyModifierShift != 0 && from >= 0:
		clear(t.selected)
		for i := min(from, row); i <= max(from, row); i++ {
			t.selected[t.spec.key(t.rows[i])] = true
		}
	default:
		clear(t.selected)
		t.selected[key] = true
	}
	t.current = key
	t.widget.Refresh()
	if t.onCurrent != nil {
		t.onCurrent(t.rows[row])
	}
	t.reveal(row)
}

// reveal scrolls row into view, unless it shows whole already: a row
// clicked, or one a key moved to within view, leaves the table still.
func (t *dataTable[R]) reveal(row int) {
	if t.rowInView(row) {
		return
	}
	// Bring the row into view. Fyne's ScrollTo counts the header row
	// twice scrolling up, which leaves the row half under the header, so
	// it scrolls up without it (Select, as the header hidden, scrolls);
	// scrolling down it needs the header, or the row stops half under the
	// panel below. Both moved a row that was in view already: a click on
	// a row near the end of the list scrolled it four rows down.
	id := widget.TableCellID{Row: row, Col: 0}
	t.widget.ShowHeaderRow = false
	t.widget.Select(id)
	t.widget.ShowHeaderRow = true
	t.widget.ScrollTo(id)
	t.widget.Unselect(id)
}

// rowInView reports whether row shows whole: below the header, above the
// table's bottom edge.
func (t *dataTable[R]) rowInView(row int) bool {
	c := t.shownCells[row]
	if c == nil || c.row != row || !c.Visible() {
		return false
	}
	d := fyne.CurrentApp().Driver()
	table, cell := d.AbsolutePositionForObject(t.widget), d.AbsolutePositionForObject(c)
	top, bottom := table.Y+cellHeight(), table.Y+t.widget.Size().Height
	return cell.Y >= top-1 && cell.Y+c.Size().Height <= bottom+1
}

func (t *dataTable[R]) menu(row int, at fyne.Position) {
	if row < 0 || row >= len(t.rows) || t.onMenu == nil {
		return
	}
	if !t.selected[t.spec.key(t.rows[row])] {
		t.choose(row, 0) // a right click on an unselected row selects it first
	}
	t.onMenu(t.rows[row], at)
}

// key moves the selection with the arrow keys, Page Up/Down, Home and
// End; Enter and Delete act on the current row; F5 refreshes. It reports
// whether it used the key.
func (t *dataTable[R]) key(e *fyne.KeyEvent) bool {
	if e.Name == fyne.KeyF5 && t.onRefresh != nil {
		t.onRefresh()
		return true
	}
	if len(t.rows) == 0 {
		return false
	}
	cur := max(t.indexOf(t.current), 0)
	page := max(t.visibleRows()-1, 1)
	to := -1
	switch e.Name {
	case fyne.KeyUp:
		to = max(cur-1, 0)
	case fyne.KeyDown:
		to = min(cur+1, len(t.rows)-1)
		if t.current == "" {
			to = 0
		}
	case fyne.KeyPageUp:
		to = max(cur-page, 0)
	case fyne.KeyPageDown:
		to = min(cur+page, len(t.rows)-1)
	case fyne.KeyHome:
		to = 0
	case fyne.KeyEnd:
		to = len(t.rows) - 1
	case fyne.KeyReturn, fyne.KeyEnter:
		if r := t.currentRow(); r != nil && t.onEnter != nil {
			t.onEnter(r)
		}
		return true
	case fyne.KeyDelete:
		if r := t.currentRow(); r != nil && t.onDelete != nil {
			t.onDelete(r)
		}
		return true
	case fyne.KeyF5:
		if t.onRefresh != nil {
			t.onRefresh()
		}
		return true
	default:
		return false
	}
	t.choose(to, 0)
	return true
}

// visibleRows is about how many rows fit in the table's height.
func (t *dataTable[R]) visibleRows() int {
	h := rowHeight()
	return int(t.widget.Size().Height / h)
}

// tsv is rows as tab-separated values, for a spreadsheet or a chat;
// every column, not only those a narrow window shows.
func (t *dataTable[R]) tsv(rows []*R, header bool) string {
	var b strings.Builder
	if header {
		b.WriteString(strings.Join(t.header.titles, "\t"))
		b.WriteByte('\n')
	}
	for _, r := range rows {
		for col := range t.spec.columns {
			if col > 0 {
				b.WriteByte('\t')
			}
			if text := t.spec.cell(r, col).text; text != "—" { // empty, as in the CSV export
				b.WriteString(spreadsheetSafe(text))
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// minWidth lays out one object at least w wide.
type minWidth struct{ w float32 }

func (l *minWidth) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objects {
		o.Resize(size)
	}
}

func (l *minWidth) MinSize(objects []fyne.CanvasObject) fyne.Size {
	m := objects[0].MinSize()
	return fyne.NewSize(max(m.Width, l.w), m.Height)
}
