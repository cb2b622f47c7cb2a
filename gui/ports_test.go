package gui

import (
	"context"
	"errors"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/loopscope/loopscope/netinfo"
)

// fakeSource is a SnapshotSource whose sockets and error the test sets
// between refreshes.
type fakeSource struct {
	mu       sync.Mutex
	sockets  []netinfo.Socket
	err      error
	degraded error
}

// taken is the fixed time every fake snapshot claims to be from.
var taken = time.Date(2025, 3, 4, 10, 11, 12, 0, time.UTC)

func (f *fakeSource) Snapshot(ctx context.Context, _ netinfo.Scope) (netinfo.Snapshot, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return netinfo.Snapshot{}, f.err
	}
	return netinfo.Snapshot{Taken: taken, Sockets: slices.Clone(f.sockets), Degraded: f.degraded}, ctx.Err()
}

func (f *fakeSource) degrade(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.degraded = err
}

func (f *fakeSource) set(sockets ...netinfo.Socket) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sockets = sockets
}

func (f *fakeSource) fail(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.err = err
}

// newTestView builds the tab on the test driver in a fixed-size window and
// applies one refresh of sockets.
func newTestView(t *testing.T, sockets ...netinfo.Socket) (*portsView, *fakeSource, fyne.CanvasObject) {
	t.Helper()
	src := &fakeSource{sockets: sockets}
	sh := newTestShell(t, src)
	v := newPortsView(sh)
	c := v.content()
	sh.w.SetContent(c)
	sh.w.Resize(fyne.NewSize(1180, 720))
	refresh(v)
	return v, src, c
}

// newTestShell is what the views share, on the test driver.
func newTestShell(t testing.TB, src SnapshotSource) *shell {
	t.Helper()
	a := test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	return &shell{a: a, w: w, src: src, prefs: prefs{a.Preferences()}, openURL: func(*url.URL) {}, shortcut: func(fyne.Shortcut) bool { return false }}
}

func refresh(v *portsView) { v.apply(v.fetch(context.Background())) }

func shownPorts(v *portsView) []uint16 {
	var ports []uint16
	for _, r := range v.table.rows {
		ports = append(ports, r.sock.LocalPort)
	}
	return ports
}

func rowOf(t *testing.T, v *portsView, port uint16) int {
	t.Helper()
	for i, r := range v.table.rows {
		if r.sock.LocalPort == port {
			return i
		}
	}
	t.Fatalf("no row for port %d; rows show ports %v", port, shownPorts(v))
	return -1
}

func assertStatus(t *testing.T, v *portsView, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(v.statusL.Text, w) {
			t.Errorf("status = %q, want it to contain %q", v.statusL.Text, w)
		}
	}
}

func TestPortsFilter(t *testing.T) {
	tests := []struct {
		name  string
		query string
		reach string
		want  []uint16
		shown string
	}{
		{"process", "postgres", reachAny, []uint16{5432}, "showing 1 of 4"},
		{"port", "5432", reachAny, []uint16{5432}, "showing 1 of 4"},
		{"address", "::1", reachAny, []uint16{3000}, "showing 1 of 4"},
		{"user", "alice", reachAny, []uint16{3000}, "showing 1 of 4"},
		{"case-insensitive", "REDIS", reachAny, []uint16{6379}, "showing 1 of 4"},
		{"exposure words", "machine", reachAny, []uint16{3000, 6379}, "showing 2 of 4"},
		{"words AND together", "tcp 127", reachAny, []uint16{6379}, "showing 1 of 4"},
		{"words that match different rows", "udp redis", reachAny, nil, "showing 0 of 4"},
		{"shown text of a hidden owner", "hidden", reachAny, []uint16{5353}, "showing 1 of 4"},
		{"reachable only", "", reachNetwork, []uint16{5353, 5432}, "showing 2 of 4"},
		{"this machine only", "", reachLocal, []uint16{3000, 6379}, "showing 2 of 4"},
		{"filter and reach", "tcp", reachNetwork, []uint16{5432}, "showing 1 of 4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, _, _ := newTestView(t, fixture()...)
			if strings.Contains(v.statusL.Text, "showing") {
				t.Fatalf("unfiltered status = %q, should not say how many are shown", v.statusL.Text)
			}
			test.Type(v.filter, tt.query)
			v.reach.SetSelected(tt.reach)
			if got := shownPorts(v); !slices.Equal(got, tt.want) {
				t.Errorf("rows show ports %v, want %v", got, tt.want)
			}
			if rows, _ := v.table.widget.Length(); rows != len(tt.want) {
				t.Errorf("table has %d rows, want %d", rows, len(tt.want))
			}
			assertStatus(t, v, tt.shown)
		})
	}
}

func TestPortsSort(t *testing.T) {
	tests := []struct {
		name  string
		sorts []int // columns sorted by, in order
		want  []uint16
	}{
		{"default is port ascending", nil, []uint16{3000, 5353, 5432, 6379}},
		{"port again is descending", []int{colPort}, []uint16{6379, 5432, 5353, 3000}},
		{"process: no process last", []int{colProcess}, []uint16{3000, 5432, 6379, 5353}}, // node, postgres, redis-server, hidden
		{"process twice reverses, no process still last", []int{colProcess, colProcess}, []uint16{6379, 5432, 3000, 5353}},
		{"exposure: most reachable first", []int{colExposure}, []uint16{5432, 5353, 3000, 6379}},
		{"address: IPv4 before IPv6", []int{colAddress}, []uint16{5432, 6379, 5353, 3000}},
		{"pid: hidden owner last", []int{colPID}, []uint16{5432, 6379, 3000, 5353}},
		{"another column starts ascending", []int{colPID, colPID, colUser}, []uint16{3000, 5432, 6379, 5353}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, _, _ := newTestView(t, fixture()...)
			for _, col := range tt.sorts {
				v.table.sortBy(col)
			}
			if got := shownPorts(v); !slices.Equal(got, tt.want) {
				t.Errorf("rows show ports %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPortsHeaderTapSorts(t *testing.T) {
	v, _, _ := newTestView(t, fixture()...)
	b := v.table.header.create().(*headerButton)
	v.table.header.update(colProcess, b)
	if b.Text != "Process" || b.Icon != nil {
		t.Fatalf("header = %q with icon %v, want \"Process\" without a sort arrow", b.Text, b.Icon)
	}
	test.Tap(b)
	if v.table.sort != (sortSpec{col: colProcess}) {
		t.Fatalf("after tapping Process, sort = %+v", v.table.sort)
	}
	v.table.header.update(colProcess, b)
	if b.Icon != theme.MenuDropUpIcon() {
		t.Errorf("ascending column's icon = %v, want the up arrow (▲), as file managers show it", b.Icon)
	}
	test.Tap(b)
	v.table.header.update(colProcess, b)
	if !v.table.sort.desc || b.Icon != theme.MenuDropDownIcon() {
		t.Errorf("after a second tap sort = %+v, icon %v; want descending with the down arrow", v.table.sort, b.Icon)
	}
	// Hidden owners sort after every named process, whichever way.
	if got, want := shownPorts(v), []uint16{6379, 5432, 3000, 5353}; !slices.Equal(got, want) {
		t.Errorf("rows show ports %v, want %v", got, want)
	}
}

func states(v *portsView) map[uint16]rowState {
	m := map[uint16]rowState{}
	for _, r := range v.table.rows {
		m[r.sock.LocalPort] = r.state
	}
	return m
}

func TestPortsNewAndGoneRows(t *testing.T) {
	v, src, _ := newTestView(t, fixture()...)
	clock := time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC)
	v.now = func() time.Time { return clock }
	for port, st := range states(v) {
		if st != rowSteady {
			t.Errorf("first refresh: port %d has state %d, want steady", port, st)
		}
	}

	web := sock("tcp", "0.0.0.0", 8080, 5150, "caddy", "www")
	src.set(append(fixture(), web)...)
	refresh(v)
	if st := states(v); st[8080] != rowNew || st[5432] != rowSteady {
		t.Errorf("after 8080 appeared, states = %v; want 8080 new and the rest steady", st)
	}

	src.set(fixture()[0], fixture()[2], fixture()[3], web) // redis (6379) went away
	clock = clock.Add(2 * time.Second)
	refresh(v)
	if st, ok := states(v)[6379]; !ok || st != rowGone {
		t.Fatalf("refresh after 6379 closed: rows %v, want 6379 shown as closed", shownPorts(v))
	}
	assertStatus(t, v, "4 listening")
	test.Type(v.filter, "redis")
	assertStatus(t, v, "showing 0 of 4") // a closed row is shown but not counted
	v.filter.SetText("")

	clock = clock.Add(2 * time.Second)
	refresh(v)
	if st := states(v); st[6379] != rowGone || st[8080] != rowNew {
		t.Errorf("2 s later: states %v; want 6379 still shown as closed and 8080 still new", st)
	}
	clock = clock.Add(4 * time.Second) // past goneLinger and newHighlight
	refresh(v)
	if _, ok := states(v)[6379]; ok {
		t.Errorf("6 s after 6379 closed it is still shown: %v", shownPorts(v))
	}
	if st := states(v); st[8080] != rowSteady || len(v.table.rows) != 4 {
		t.Errorf("states %v, want 4 rows, 8080 no longer new", st)
	}
}

func TestPortsStatusCounts(t *testing.T) {
	v, _, _ := newTestView(t, fixture()...)
	assertStatus(t, v, "4 listening", "2 reachable from other machines",
		"1 owners hidden (run with administrator rights to see them)")
	if strings.Contains(v.statusL.Text, "Refresh failed") {
		t.Errorf("status = %q after a good refresh", v.statusL.Text)
	}

	v, _, _ = newTestView(t, fixture()[:3]...)
	if strings.Contains(v.statusL.Text, "hidden") {
		t.Errorf("status = %q, should not mention hidden owners when there are none", v.statusL.Text)
	}
}

func TestPortsErrorKeepsLastGoodRows(t *testing.T) {
	v, src, _ := newTestView(t, fixture()...)
	before := shownPorts(v)

	src.set() // must not show: the refresh fails
	src.fail(errors.New("socket table unreadable"))
	refresh(v)
	if got := shownPorts(v); !slices.Equal(got, before) {
		t.Errorf("after a failed refresh rows show %v, want the last good %v", got, before)
	}
	assertStatus(t, v, "Refresh failed: socket table unreadable", "4 listening", "(as of 10:11:12)")

	src.fail(nil)
	src.set(fixture()[0])
	refresh(v)
	if got := shownPorts(v); !slices.Equal(got, []uint16{3000, 5353, 5432, 6379}) {
		t.Errorf("rows after recovering = %v, want 5432 plus the three just gone", got)
	}
	if strings.Contains(v.statusL.Text, "Refresh failed") {
		t.Errorf("status = %q after a good refresh, still reports the failure", v.statusL.Text)
	}
}

// cellText is what the table draws in a cell of a row.
func cellText(v *portsView, row, col int) string {
	c := newTableCell(nil, nil)
	v.table.updateCell(widget.TableCellID{Row: row, Col: col}, c)
	if col == colExposure {
		return c.badgeText.Text
	}
	return c.text.Text
}

func TestPortsRowTextAndDetails(t *testing.T) {
	tests := []struct {
		port          uint16
		exposure, why string
		pid, process  string
		title, note   string
		openInBrowser bool
	}{
		{5432, "Network · all interfaces", "Reachable from other machines: bound to 0.0.0.0, every IPv4 interface.",
			"812", "postgres", "TCP 0.0.0.0:5432 — postgres (PID 812)", "", false}, // PostgreSQL does not speak HTTP
		{6379, "This machine only", "Only this machine can connect: bound to 127.0.0.1, a loopback address that never leaves the machine.",
			"901", "redis-server", "TCP 127.0.0.1:6379 — redis-server (PID 901)", "", false},
		{5353, "Network · one address", "Reachable from the network that 192.168.1.20 is on: bound to that one address.",
			"—", "hidden", "UDP 192.168.1.20:5353 — owner hidden", hiddenNote, false},
	}
	for _, tt := range tests {
		t.Run(tt.process, func(t *testing.T) {
			v, _, _ := newTestView(t, fixture()...)
			i := rowOf(t, v, tt.port)
			for col, want := range map[int]string{colExposure: tt.exposure, colPID: tt.pid, colProcess: tt.process} {
				if got := cellText(v, i, col); got != want {
					t.Errorf("%s cell = %q, want %q", portColumns[col].title, got, want)
				}
			}
			if !v.details.body.Hidden || v.details.hint.Hidden {
				t.Fatal("details show a socket before any row was selected")
			}
			v.table.tap(i, 0)
			d := v.details
			if d.body.Hidden || !d.hint.Hidden {
				t.Fatal("selecting a row did not show its details")
			}
			if d.title.Text != tt.title || d.lead.Text != tt.why {
				t.Errorf("details title %q, why %q; want %q, %q", d.title.Text, d.lead.Text, tt.title, tt.why)
			}
			owner := d.fields["Owner"].Text
			if !strings.HasPrefix(owner, tt.process) || strings.Contains(owner, "PID "+tt.pid) == (tt.pid == "—") {
				t.Errorf("details owner %q; want it to start with %q and name PID %s", owner, tt.process, tt.pid)
			}
			if d.note.Text != tt.note || d.note.Hidden != (tt.note == "") {
				t.Errorf("note %q (hidden %v), want %q", d.note.Text, d.note.Hidden, tt.note)
			}
			if d.openBtn.Disabled() == tt.openInBrowser {
				t.Errorf("Open in browser enabled = %v, want %v", !d.openBtn.Disabled(), tt.openInBrowser)
			}
		})
	}
}

func TestPortsSelectionFollowsSocket(t *testing.T) {
	v, src, _ := newTestView(t, fixture()...)
	i := rowOf(t, v, 6379)
	v.table.tap(i, 0)
	const redis = "TCP 127.0.0.1:6379 — redis-server (PID 901)"

	// Two sockets on lower ports push redis down the table.
	src.set(append(fixture(), sock("tcp", "0.0.0.0", 22, 1, "sshd", "root"), sock("udp", "0.0.0.0", 53, 77, "dnsmasq", "nobody"))...)
	refresh(v)
	if j := rowOf(t, v, 6379); j == i {
		t.Fatalf("redis stayed on row %d; the refresh should have moved it", i)
	}
	if v.details.title.Text != redis || v.details.body.Hidden {
		t.Errorf("after reordering, details show %q (hidden %v), want %q", v.details.title.Text, v.details.body.Hidden, redis)
	}
	if j := rowOf(t, v, 6379); v.table.indexOf(v.table.current) != j {
		t.Errorf("table highlight on row %d, want it moved with redis to row %d", v.table.indexOf(v.table.current), j)
	}

	src.set(fixture()[0], fixture()[2], fixture()[3])
	refresh(v)
	if want := redis + " (closed)"; v.details.title.Text != want {
		t.Errorf("after redis closed, details title = %q, want %q", v.details.title.Text, want)
	}
	v.now = func() time.Time { return time.Now().Add(goneLinger) }
	refresh(v)
	if !v.details.body.Hidden || v.details.hint.Hidden {
		t.Error("details still show redis after its row dropped")
	}
}

func TestPortsFilterDropsHiddenSelection(t *testing.T) {
	v, _, _ := newTestView(t, fixture()...)
	v.table.tap(rowOf(t, v, 6379), 0)
	test.Type(v.filter, "postgres")
	if !v.details.body.Hidden || v.table.current != "" {
		t.Errorf("redis filtered out but details still show %q", v.details.title.Text)
	}
}

func TestUISelectTab(t *testing.T) {
	tests := []struct {
		name    string
		wantErr bool
	}{
		{"Ports", false}, {"ports", false}, {"Listening Ports", false}, {"Nope", true},
	}
	a := test.NewTempApp(t)
	ui := New(a, test.NewTempWindow(t, nil), &fakeSource{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ui.SelectTab(tt.name)
			if (err != nil) != tt.wantErr {
				t.Errorf("SelectTab(%q) = %v, want error %v", tt.name, err, tt.wantErr)
			}
			if err != nil && !strings.Contains(err.Error(), "Ports") {
				t.Errorf("error %q does not list the tabs there are", err)
			}
		})
	}
}

func TestUIStartReadyStop(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"good snapshot", nil, "4 listening"},
		{"failing source still gets ready", errors.New("no access"), "Refresh failed: no access"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := test.NewTempApp(t)
			src := &fakeSource{sockets: fixture(), err: tt.err}
			ui := New(a, test.NewTempWindow(t, nil), src)
			if err := ui.SelectTab("Ports"); err != nil {
				t.Fatal(err)
			}
			ui.Start()
			select {
			case <-ui.Ready():
			case <-time.After(10 * time.Second): // a guard against hanging, not a speed test
				ui.Stop()
				t.Fatal("Ready never closed")
			}
			ui.Stop() // must return: the poll goroutine ends
			if !strings.Contains(ui.ports.statusL.Text, tt.want) {
				t.Errorf("status = %q, want it to contain %q", ui.ports.statusL.Text, tt.want)
			}
		})
	}
}

func TestPortsTabMarkup(t *testing.T) {
	_, _, c := newTestView(t, fixture()...)
	test.AssertObjectRendersToMarkup(t, "ports_tab.xml", c)
}

// TestSharedAndHostileOwners: a socket held by several processes shows
// the first and "+N more" in the table and every holder in the details;
// names from outside are shown escaped in cells, details and the copied row.
func TestSharedAndHostileOwners(t *testing.T) {
	master := netinfo.Owner{PID: 10, Process: "nginx", User: "root", Started: time.Now()}
	worker := netinfo.Owner{PID: 11, Process: "nginx", User: "www-data", Started: time.Now()}
	shared := sock("tcp", "0.0.0.0", 80, 10, "nginx", "root")
	shared.Holders = []netinfo.Owner{master, worker, {PID: 12, Process: "nginx", User: "www-data"}}
	evil := withOwner(sock("tcp", "127.0.0.1", 9999, 66, "", ""), netinfo.Owner{PID: 66,
		Process: "x\ntcp 0.0.0.0 22\x1b[2J", User: "ro\tot", Cmdline: "run\x00\xff", Started: time.Now()})
	v, _, _ := newTestView(t, shared, evil)

	i := rowOf(t, v, 80)
	if got := cellText(v, i, colProcess); got != "nginx +2 more" {
		t.Errorf("process cell %q, want %q", got, "nginx +2 more")
	}
	v.table.tap(i, 0)
	held := v.details.fields["Held by"].Text
	for _, want := range []string{"PID 10", "PID 11", "PID 12", "user www-data"} {
		if !strings.Contains(held, want) {
			t.Errorf("held by %q lacks %q", held, want)
		}
	}

	j := rowOf(t, v, 9999)
	if got := cellText(v, j, colProcess); got != `x\ntcp 0.0.0.0 22\x1b[2J` {
		t.Errorf("process cell %q, want it escaped", got)
	}
	if got := cellText(v, j, colUser); got != `ro\tot` {
		t.Errorf("user cell %q, want it escaped", got)
	}
	v.table.tap(j, 0)
	shown := []string{v.details.title.Text, v.details.fields["Owner"].Text, v.details.fields["Command line"].Text, rowSummary(v.details.sock)}
	for _, s := range shown {
		if strings.ContainsAny(s, "\n\t\x1b\x00\xff") {
			t.Errorf("shown raw: %q", s)
		}
	}
	if got := v.details.fields["Command line"].Text; got != `run\x00\xff` {
		t.Errorf("command line %q, want it escaped", got)
	}
}

func TestNewExposuresAndDegradedWarning(t *testing.T) {
	mcast := sock("udp", "239.255.77.1", 5000, 5, "app", "dev")
	mcast.Exposure = netinfo.ExposureMulticast
	gone := sock("tcp", "198.51.100.7", 6000, 6, "keepalived", "root")
	gone.Exposure = netinfo.ExposureNotLocal
	lo := sock("tcp", "0.0.0.0", 7000, 7, "app", "dev")
	lo.Device, lo.Exposure = "lo", netinfo.ExposureLoopback
	dual := sock("tcp", "::", 8000, 8, "app", "dev")
	yes := true
	dual.AcceptsIPv4 = &yes
	v, src, _ := newTestView(t, mcast, gone, lo, dual)
	for port, want := range map[uint16][2]string{
		5000: {"239.255.77.1", "Network · multicast group"},
		6000: {"198.51.100.7", "Address not on this machine"},
		7000: {"0.0.0.0%lo", "This machine only"},
		8000: {":: (+IPv4)", "Network · all interfaces"},
	} {
		i := rowOf(t, v, port)
		if got := [2]string{cellText(v, i, colAddress), cellText(v, i, colExposure)}; got != want {
			t.Errorf("port %d: address and exposure %q, want %q", port, got, want)
		}
	}
	src.degrade(errors.New("netlink sock_diag failed (permission denied)"))
	refresh(v)
	if !strings.Contains(v.statusL.Text, "netlink sock_diag failed") {
		t.Errorf("status %q does not warn that the slow path answered", v.statusL.Text)
	}
}

// "Works on localhost, but from my phone?": a 0.0.0.0 listener names the
// LAN address to use, a dual-stack :: both families, a loopback one what
// to change.
func TestFromAnotherDevice(t *testing.T) {
	addrs := []netip.Addr{netip.MustParseAddr("192.168.1.20"), netip.MustParseAddr("fd00::2")}
	lanAddrs.Store(&addrs)
	defer lanAddrs.Store(nil)
	yes := true
	for _, c := range []struct {
		s         netinfo.Socket
		want, not string
	}{
		{netinfo.Socket{Family: netinfo.IPv4, LocalIP: netip.MustParseAddr("0.0.0.0"), LocalPort: 8081, Exposure: netinfo.ExposureAll}, "Use 192.168.1.20:8081 (", "fd00"},
		{netinfo.Socket{Family: netinfo.IPv6, LocalIP: netip.MustParseAddr("::"), LocalPort: 8081, Exposure: netinfo.ExposureAll, AcceptsIPv4: &yes}, "192.168.1.20:8081 or [fd00::2]:8081", "cannot"},
		{netinfo.Socket{Family: netinfo.IPv4, LocalIP: netip.MustParseAddr("127.0.0.1"), LocalPort: 8000, Exposure: netinfo.ExposureLoopback,
			Owner: netinfo.Owner{Cmdline: "python3 -m http.server 8000 --bind 127.0.0.1"}}, "http.server 8000 --bind 0.0.0.0", "Use "},
		// Any other program (a UDP one too) is not told to run http.server.
		{netinfo.Socket{Proto: netinfo.UDP, Family: netinfo.IPv4, LocalIP: netip.MustParseAddr("127.0.0.1"), LocalPort: 5353,
			Exposure: netinfo.ExposureLoopback, Owner: netinfo.Owner{Cmdline: "/usr/sbin/dnsmasq -k"}}, "--bind or --host option", "http.server"},
	} {
		got := fromAnotherDevice(c.s)
		if !strings.Contains(got, c.want) || strings.Contains(got, c.not) {
			t.Errorf("%s: %q; want %q, not %q", c.s.LocalIP, got, c.want, c.not)
		}
	}
}
