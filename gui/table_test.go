package gui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// keysShown are the ports of the selected rows, in the order shown.
func selectedPorts(v *portsView) []uint16 {
	var out []uint16
	for _, r := range v.table.selectedRows() {
		out = append(out, r.sock.LocalPort)
	}
	return out
}

func TestTableSelection(t *testing.T) {
	v, _, _ := newTestView(t, fixture()...) // rows: 3000, 5353, 5432, 6379
	v.table.tap(0, 0)
	v.table.tap(2, fyne.KeyModifierShortcutDefault)
	if got := selectedPorts(v); !slices.Equal(got, []uint16{3000, 5432}) {
		t.Errorf("click, then Ctrl+click: selected %v, want 3000 and 5432", got)
	}
	if v.details.title.Text == "" || !strings.Contains(v.details.title.Text, ":5432") {
		t.Errorf("details show %q, want the row clicked last", v.details.title.Text)
	}
	v.table.tap(3, fyne.KeyModifierShift)
	if got := selectedPorts(v); !slices.Equal(got, []uint16{5432, 6379}) {
		t.Errorf("Shift+click: selected %v, want the range 5432…6379", got)
	}
	v.table.tap(2, fyne.KeyModifierShortcutDefault) // Ctrl+click a selected row unselects it
	if got := selectedPorts(v); !slices.Equal(got, []uint16{6379}) {
		t.Errorf("Ctrl+click on a selected row: selected %v, want only 6379", got)
	}

	v.table.selectAll()
	if !v.copySelection() {
		t.Fatal("copySelection with every row selected copied nothing")
	}
	got := v.a.Clipboard().Content()
	if lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n"); len(lines) != 4 || strings.Count(lines[0], "\t") != numPortCols-1 {
		t.Errorf("copied %q, want 4 tab-separated rows of %d cells", got, numPortCols)
	}
	v.copyAllShown()
	if got := v.a.Clipboard().Content(); !strings.HasPrefix(got, "Proto\tAddress\tPort\t") {
		t.Errorf("Copy all shown = %q, want a header row first", got)
	}
}

func TestTableKeys(t *testing.T) {
	v, _, _ := newTestView(t, fixture()...)
	var entered, deleted []uint16
	v.table.onEnter = func(r *portRow) { entered = append(entered, r.sock.LocalPort) }
	v.table.onDelete = func(r *portRow) { deleted = append(deleted, r.sock.LocalPort) }
	press := func(k fyne.KeyName) { v.table.widget.TypedKey(&fyne.KeyEvent{Name: k}) }
	current := func() uint16 { return v.table.currentRow().sock.LocalPort }

	press(fyne.KeyDown) // nothing selected yet: the first row
	if got := current(); got != 3000 {
		t.Fatalf("Down with nothing selected: current %d, want 3000", got)
	}
	press(fyne.KeyDown)
	press(fyne.KeyDown)
	if got := current(); got != 5432 {
		t.Errorf("Down twice more: current %d, want 5432", got)
	}
	press(fyne.KeyEnd)
	if got := current(); got != 6379 {
		t.Errorf("End: current %d, want 6379", got)
	}
	press(fyne.KeyUp)
	press(fyne.KeyHome)
	if got := current(); got != 3000 {
		t.Errorf("Home: current %d, want 3000", got)
	}
	press(fyne.KeyReturn)
	press(fyne.KeyDelete)
	if !slices.Equal(entered, []uint16{3000}) || !slices.Equal(deleted, []uint16{3000}) {
		t.Errorf("Enter went to %v, Delete to %v; want both on 3000", entered, deleted)
	}
	if got := selectedPorts(v); !slices.Equal(got, []uint16{3000}) {
		t.Errorf("after moving with the keys, selected %v, want only the current row", got)
	}
}

func TestTableEmptyState(t *testing.T) {
	v, _, _ := newTestView(t, fixture()...)
	if v.table.emptyBox.Visible() {
		t.Fatal("the empty state shows with rows in the table")
	}
	v.filter.SetText("nothing-like-this")
	if !v.table.emptyBox.Visible() || v.table.emptyText.Text != `No listening socket matches "nothing-like-this".` {
		t.Errorf("empty state visible %v, text %q", v.table.emptyBox.Visible(), v.table.emptyText.Text)
	}
	v.reach.SetSelected(reachNetwork)
	if want := `No listening socket reachable from other machines matches "nothing-like-this".`; v.table.emptyText.Text != want {
		t.Errorf("empty state %q, want %q", v.table.emptyText.Text, want)
	}
	v.table.onClear()
	if v.filter.Text != "" || v.reach.Selected != reachAny || len(v.table.rows) != 4 || v.table.emptyBox.Visible() {
		t.Errorf("Clear filter: filter %q, reach %q, %d rows", v.filter.Text, v.reach.Selected, len(v.table.rows))
	}
}

// TestTableFitsColumns: a narrow table drops Service, then Command, then
// PID (and at the narrowest Proto and User), never Process; a wide one
// stretches to its width.
func TestTableFitsColumns(t *testing.T) {
	v, _, _ := newTestView(t, fixture()...)
	titles := func() []string {
		var out []string
		for _, c := range v.table.vis {
			out = append(out, portColumns[c].title)
		}
		return out
	}
	v.table.fit(1400)
	if got := titles(); len(got) != numPortCols {
		t.Errorf("at 1400 the table shows %v, want every column", got)
	}
	v.table.fit(800)
	if got := titles(); slices.Contains(got, "Service") || slices.Contains(got, "Command") ||
		!slices.Contains(got, "Process") || !slices.Contains(got, "User") || !slices.Contains(got, "PID") {
		t.Errorf("at 800 the table shows %v, want Service and Command dropped, Process, User and PID kept", got)
	}
	v.table.fit(600)
	if got := titles(); slices.Contains(got, "PID") || !slices.Contains(got, "Process") || !slices.Contains(got, "Exposure") {
		t.Errorf("at 600 the table shows %v, want PID dropped too, Process and Exposure kept", got)
	}
}

// TestProcsNamesThePeerOfALoopbackConnection: both ends of a loopback
// connection are on this machine, so the other end's process is named.
func TestProcsNamesThePeerOfALoopbackConnection(t *testing.T) {
	v, _ := newProcsTestView(t, procFixture()...)
	v.table.tap(0, 0) // postgres
	refreshProcs(v)
	var remotes []string
	for _, r := range v.socks.rows {
		remotes = append(remotes, r.cells[scolRemote].text+" → "+r.cells[scolPeer].text)
	}
	if !slices.Contains(remotes, "127.0.0.1:40000 → curl (PID 950)") {
		t.Errorf("postgres's connections show remotes %q; want the one from curl's port named", remotes)
	}
}

func TestCommandSummary(t *testing.T) {
	tests := []struct{ in, want string }{
		{"python3 -m http.server 8765", "http.server 8765"},
		{"/usr/bin/python3 /srv/app/manage.py runserver", "manage.py runserver"},
		{"python3 -u server.py --port 80", "server.py --port 80"},
		{"node /home/me/app/index.js", "index.js"},
		{"nginx: master process /usr/sbin/nginx", "master process /usr/sbin/nginx"},
		{"redis-server", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := commandSummary(tt.in); got != tt.want {
			t.Errorf("commandSummary(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPortFilterTakesColonPort(t *testing.T) {
	v, _, _ := newTestView(t, fixture()...)
	for _, q := range []string{":5432", "5432"} {
		v.filter.SetText(q)
		if got := shownPorts(v); !slices.Equal(got, []uint16{5432}) {
			t.Errorf("filter %q shows %v, want 5432", q, got)
		}
	}
}

func TestExportRows(t *testing.T) {
	odd := sock("tcp", "127.0.0.1", 7000, 70, `a, "quoted" name`, "dev")
	v, _, _ := newTestView(t, append(fixture(), odd)...)
	rows := tableRows(v.table, v.table.rows)
	if len(rows) != 6 || rows[0][0] != "Proto" || len(rows[1]) != numPortCols {
		t.Fatalf("export rows %v, want a header and 5 rows of %d cells", rows, numPortCols)
	}
	csv := string(csvBytes(rows))
	if !strings.Contains(csv, `"a, ""quoted"" name"`) {
		t.Errorf("CSV does not quote a name with a comma and quotes:\n%s", csv)
	}
}

func TestPaceNote(t *testing.T) {
	p := &pace{every: func() time.Duration { return 2 * time.Second }}
	p.cost.Store(int64(10 * time.Millisecond))
	if got := p.note(); got != "" {
		t.Errorf("a cheap refresh: note %q, want none", got)
	}
	p.cost.Store(int64(100 * time.Millisecond))
	if got, want := p.note(), "refreshing every 5.0 s, as reading the sockets takes 100 ms"; got != want {
		t.Errorf("note %q, want %q", got, want)
	}
}

// A process named like a formula stays text in the CSV export and in a
// copy: spreadsheets run cells that start with = + - @.
func TestCopiesDoNotRunAsFormulas(t *testing.T) {
	got := string(csvBytes([][]string{{"=cmd|'/c calc'!A1", "+1", "@SUM(1)", "python3", "-x"}}))
	if got != "'=cmd|'/c calc'!A1,'+1,'@SUM(1),python3,'-x\n" {
		t.Errorf("CSV %q", got)
	}
}

// A port in the filter matches that port whole, however it is written:
// ":80" is not in 127.0.0.1:8080, and "port 8765" and "tcp.port==8765"
// (capture-filter and Wireshark habits) mean ":8765".
func TestFilterPortWords(t *testing.T) {
	text := "127.0.0.1:8080 → 127.0.0.1:40000 tcp"
	for q, want := range map[string]bool{":8080": true, ":80": false, ":4000": false, ":40000": true,
		"port 8080": true, "port 80": false, "tcp.port==40000": true, "8080": true, "tcp :8080": true, "udp :8080": false} {
		if got := matchesAll(text, filterWords(q)); got != want {
			t.Errorf("%q: %v, want %v", q, got, want)
		}
	}
}

// The glossary opens on the term asked for, and explains every state the
// sockets list shows.
func TestGlossary(t *testing.T) {
	sh := newTestShell(t, nil)
	uiLocked(func() {
		before := len(dialogs) // other tests' windows may leave theirs
		showGlossary(sh.w, "TIME_WAIT")
		if len(dialogs) != before+1 || dialogs[len(dialogs)-1].title != "Glossary" {
			t.Fatalf("dialogs %+v", dialogs)
		}
		dismissTop()
	})
	for _, state := range []string{"LISTEN", "ESTABLISHED", "TIME_WAIT", "CLOSE_WAIT", "UNCONN"} {
		if glossary[state] == "" {
			t.Errorf("the glossary does not explain %s", state)
		}
	}
}

// A filter box's hint shortens to fit the box rather than being cut
// mid-word, and grows back when the box does.
func TestFilterHintFitsItsBox(t *testing.T) {
	test.NewTempApp(t)
	e := newFilterEntry("Filter: port (:8080), address, process, command, user  (Ctrl+F)", nil, nil).
		orShorter("Filter: port (:8080), address, process  (Ctrl+F)", "Filter  (Ctrl+F)", "Filter")
	for _, c := range []struct {
		width float32
		want  string
	}{{900, "Filter: port (:8080), address, process, command, user  (Ctrl+F)"}, {330, "Filter: port (:8080), address, process  (Ctrl+F)"},
		{150, "Filter  (Ctrl+F)"}, {60, "Filter"}, {40, "Filter"}, {900, "Filter: port (:8080), address, process, command, user  (Ctrl+F)"}} {
		e.Resize(fyne.NewSize(c.width, 36))
		if e.PlaceHolder != c.want {
			t.Errorf("at %v wide the hint is %q, want %q", c.width, e.PlaceHolder, c.want)
		}
		avail := c.width - 2*theme.InnerPadding() - 2*theme.InputBorderSize()
		if w := fyne.MeasureText(e.PlaceHolder, theme.TextSize(), fyne.TextStyle{}).Width; w > avail && e.PlaceHolder != "Filter" {
			t.Errorf("at %v wide the hint %q is %v wide: cut", c.width, e.PlaceHolder, w)
		}
	}
}

// Every column is wide enough for its title with the sort arrow, in
// every table: a sorted Length read "Le… ▼".
func TestSortedTitlesFitTheirColumns(t *testing.T) {
	test.NewTempApp(t)
	check := func(name string, titles []column, width func(int) float32, header *sortHeader) {
		for c, col := range titles {
			header.spec.col, header.spec.desc = c, true
			b := header.create().(*headerButton)
			header.update(c, b)
			test.NewTempWindow(t, b)
			b.Resize(fyne.NewSize(width(c), 36))
			r := test.WidgetRenderer(b).(*headerRenderer)
			if r.text.Text != col.title {
				t.Errorf("%s: sorted by %s, its header reads %q at %v wide", name, col.title, r.text.Text, width(c))
			}
		}
	}
	pk := newPacketsView(newTestShell(t, nil))
	check("Packets", packetColumns, pk.table.columnWidth, pk.table.header)
	pv, _, _ := newTestView(t)
	check("Listening Ports", portColumns, pv.table.columnWidth, pv.table.header)
}
