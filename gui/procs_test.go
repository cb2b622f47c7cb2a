package gui

import (
	"context"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/loopscope/loopscope/netinfo"
)

// conn is an established connection held by pid.
func conn(local string, lport uint16, remote string, rport uint16, pid int32, process, state string) netinfo.Socket {
	s := sock("tcp", local, lport, pid, process, "dev")
	s.RemoteIP, s.RemotePort, s.State = netip.MustParseAddr(remote), rport, state
	return s
}

// procFixture: postgres listens and has two connections; curl only
// connects; one socket's owner is hidden.
func procFixture() []netinfo.Socket {
	pg := sock("tcp", "0.0.0.0", 5432, 812, "postgres", "postgres")
	pg.Started = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	pg.Parent, pg.Manager = 1, "systemd unit postgresql.service"
	pg = withOwner(pg, pg.Owner)
	return []netinfo.Socket{
		pg,
		withOwner(conn("127.0.0.1", 5432, "127.0.0.1", 40000, 812, "postgres", "ESTABLISHED"), pg.Owner),
		withOwner(conn("127.0.0.1", 5432, "127.0.0.1", 40002, 812, "postgres", "CLOSE_WAIT"), pg.Owner),
		conn("127.0.0.1", 40000, "127.0.0.1", 5432, 950, "curl", "ESTABLISHED"),
		sock("tcp", "127.0.0.1", 6379, 901, "redis-server", "redis"),
		hiddenSock("udp", "0.0.0.0", 5353),
	}
}

func newProcsTestView(t *testing.T, sockets ...netinfo.Socket) (*procsView, *fakeSource) {
	t.Helper()
	src := &fakeSource{sockets: sockets}
	sh := newTestShell(t, src)
	v := newProcsView(sh)
	sh.w.SetContent(v.content())
	sh.w.Resize(fyne.NewSize(1180, 720))
	refreshProcs(v)
	return v, src
}

func refreshProcs(v *procsView) { v.apply(v.fetch(context.Background())) }

func procNames(v *procsView) []string {
	var out []string
	for _, r := range v.table.rows {
		out = append(out, r.owner.Process)
	}
	return out
}

func TestProcsListenersAndConnections(t *testing.T) {
	v, _ := newProcsTestView(t, procFixture()...)
	if got, want := procNames(v), []string{"postgres", "redis-server"}; !slices.Equal(got, want) {
		t.Fatalf("listening processes = %v, want %v", got, want)
	}
	v.table.tap(0, 0) // postgres
	if got := len(v.socks.rows); got != 0 {
		t.Errorf("sockets listed before the refresh for the selection: %d", got)
	}
	refreshProcs(v)
	// Its socket list shows its connections too, as its Connections count
	// says, whether or not programs that only connect are listed.
	if pg := v.table.rows[0]; pg.listening != 1 || pg.connections != 2 || len(v.socks.rows) != 3 {
		t.Errorf("postgres: %d listening, %d connections, %d sockets listed; want 1, 2, 3", pg.listening, pg.connections, len(v.socks.rows))
	}
	if !strings.Contains(v.statusL.Text, "2 processes · 2 listening sockets · 2 connections") ||
		!strings.Contains(v.statusL.Text, "1 sockets with hidden owners") {
		t.Errorf("status = %q", v.statusL.Text)
	}

	v.conns.SetChecked(true)
	refreshProcs(v)
	if got, want := procNames(v), []string{"curl", "postgres", "redis-server"}; !slices.Equal(got, want) {
		t.Fatalf("with connections = %v, want %v", got, want)
	}
	if got := len(v.socks.rows); got != 3 {
		t.Errorf("postgres lists %d sockets with connections shown, want 3", got)
	}
}

func TestProcsFilterAndSort(t *testing.T) {
	v, _ := newProcsTestView(t, procFixture()...)
	test.Type(v.filter, "redis")
	if got := procNames(v); !slices.Equal(got, []string{"redis-server"}) {
		t.Errorf("filter redis = %v", got)
	}
	if !strings.Contains(v.statusL.Text, "showing 1 of 2") {
		t.Errorf("status = %q, want it to say showing 1 of 2", v.statusL.Text)
	}
	v.filter.SetText("")
	v.table.sortBy(pcolPID)
	v.table.sortBy(pcolPID)
	if got := procNames(v); !slices.Equal(got, []string{"redis-server", "postgres"}) {
		t.Errorf("PID descending = %v", got)
	}
}

func TestProcsDetailsAndSockets(t *testing.T) {
	v, _ := newProcsTestView(t, procFixture()...)
	v.conns.SetChecked(true)
	refreshProcs(v)
	v.table.tap(1, 0) // postgres
	refreshProcs(v)
	if v.details.body.Hidden || v.details.title.Text != "postgres (PID 812)" {
		t.Fatalf("details: hidden %v, title %q", v.details.body.Hidden, v.details.title.Text)
	}
	for name, want := range map[string]string{"Parent": "PID 1", "Managed by": "systemd unit postgresql.service", "User": "postgres"} {
		if got := v.details.fields[name].Text; got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if rows := len(v.socks.rows); rows != 3 {
		t.Fatalf("sockets list has %d rows, want 3", rows)
	}
	var meanings []string
	for _, s := range v.socks.rows {
		meanings = append(meanings, s.cells[scolState].text+": "+s.cells[scolMeaning].text)
	}
	joined := strings.Join(meanings, "\n")
	for _, want := range []string{"LISTEN: Waiting", "CLOSE_WAIT: The other side closed; this program has not closed its side yet."} {
		if !strings.Contains(joined, want) {
			t.Errorf("socket meanings %q lack %q", joined, want)
		}
	}
}

// fakeTerm plans with the real Terminator and records the signals the
// ender would send instead of sending them.
type fakeTerm struct {
	*netinfo.Terminator
	mu       sync.Mutex
	signals  []bool // force flags, in order
	exitWhen int    // the process exits after this many signals
}

func newFakeTerm(exitWhen int) *fakeTerm {
	return &fakeTerm{Terminator: netinfo.NewTerminator(nil), exitWhen: exitWhen}
}

func (f *fakeTerm) End(_ context.Context, owners []netinfo.Owner, force bool, _ netinfo.Progress) netinfo.EndOutcome {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.signals = append(f.signals, force)
	if len(f.signals) >= f.exitWhen {
		return netinfo.EndOutcome{Exited: owners}
	}
	return netinfo.EndOutcome{Running: owners}
}

// stubborn is a process that holds port 8080 in the fake source.
var stubborn = netinfo.Owner{PID: 4321, Process: "stubborn", User: "dev", Started: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}

func TestEnderRefusalSendsNothing(t *testing.T) {
	test.NewTempApp(t)
	w := test.NewTempWindow(t, widget.NewLabel(""))
	term := newFakeTerm(1)
	init := netinfo.Owner{PID: 1, Process: "init", Started: stubborn.Started}
	src := &fakeSource{sockets: []netinfo.Socket{withOwner(sock("tcp", "0.0.0.0", 22, 1, "init", "root"), init)}}
	asked, refused := make(chan string, 1), make(chan error, 1)
	e := &ender{w: w, term: term, src: src, ctx: context.Background(),
		ask:     func(title, _, _, _ string, _ func(bool)) { asked <- title },
		tellErr: func(err error) { refused <- err }}
	e.startSockets(src.sockets[0])
	select {
	case err := <-refused:
		if !strings.Contains(err.Error(), "PID 1 starts and keeps the whole system running") {
			t.Errorf("refusal %q does not say why", err)
		}
	case q := <-asked:
		t.Errorf("asked %q about PID 1; it must be refused without a question", q)
	case <-time.After(10 * time.Second): // a guard against a hang, not a speed test
		t.Fatal("neither refused nor asked")
	}
	if len(term.sent()) != 0 {
		t.Errorf("a refused process got signals %v", term.sent())
	}
}

func TestEnderPlanNamesEverything(t *testing.T) {
	all := procFixture()
	plan, err := netinfo.NewTerminator(nil).PlanProcess(all, all[0].Owner)
	if err != nil {
		t.Fatal(err)
	}
	text := plan.Confirmation()
	for _, want := range []string{"postgres · PID 812 · user postgres · started 2025-01-02 03:04:05", "Listens on TCP 0.0.0.0:5432.", "This also closes 2 other connections."} {
		if !strings.Contains(text, want) {
			t.Errorf("confirmation %q lacks %q", text, want)
		}
	}
}

// sent returns the force flags of the signals sent so far.
func (f *fakeTerm) sent() []bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.signals)
}

// answeringEnder is an ender whose user answers every question with yes
// (or no); questions and the final message arrive on channels.
func answeringEnder(t *testing.T, term *fakeTerm, yes bool) (*ender, chan string, chan string) {
	test.NewTempApp(t)
	w := test.NewTempWindow(t, widget.NewLabel(""))
	asked, told := make(chan string, 4), make(chan string, 1)
	src := &fakeSource{sockets: []netinfo.Socket{withOwner(sock("tcp", "127.0.0.1", 8080, 4321, "stubborn", "dev"), stubborn)}}
	e := &ender{w: w, term: term, src: src, ctx: context.Background(),
		ask: func(title, confirm, _, _ string, answer func(bool)) {
			asked <- title + " [" + confirm + "]"
			answer(yes)
		},
		tell: func(_, text string) { told <- text },
	}
	return e, asked, told
}

// freeAfterwards makes the fake source show port 8080 free from now on.
func freeAfterwards(e *ender) { e.src.(*fakeSource).set() }

// next waits for a message; the timeout only guards against a hang.
func next(t *testing.T, ch chan string) string {
	t.Helper()
	select {
	case s := <-ch:
		return s
	case <-time.After(10 * time.Second):
		t.Fatal("the flow stopped before this step")
		return ""
	}
}

func TestEnderOffersForceAndEndsOnlyAfterIt(t *testing.T) {
	term := newFakeTerm(2) // ignores SIGTERM, dies on SIGKILL
	e, asked, told := answeringEnder(t, term, true)
	e.startSockets(e.src.(*fakeSource).sockets[0])
	if q := next(t, asked); q != "End stubborn (PID 4321)? [End process]" {
		t.Errorf("first question = %q", q)
	}
	freeAfterwards(e)
	if q := next(t, asked); q != "Force stubborn (PID 4321) to end? [Force (SIGKILL)]" {
		t.Errorf("second question = %q", q)
	}
	if msg := next(t, told); !strings.Contains(msg, "Port 8080 is free now.") {
		t.Errorf("final message = %q", msg)
	}
	if got := term.sent(); !slices.Equal(got, []bool{false, true}) {
		t.Errorf("signals (force flags) = %v, want SIGTERM then SIGKILL", got)
	}
}

func TestEnderDeclinedForceSendsOnlySIGTERM(t *testing.T) {
	term := newFakeTerm(2)
	e, asked, told := answeringEnder(t, term, false)
	plan, err := term.PlanSockets(e.src.(*fakeSource).sockets, e.src.(*fakeSource).sockets[:1])
	if err != nil {
		t.Fatal(err)
	}
	e.signal(plan, plan.Owners(), false, nil) // the user said yes to SIGTERM
	if q := next(t, asked); !strings.HasPrefix(q, "Force stubborn") {
		t.Errorf("question = %q, want the force offer", q)
	}
	if got := term.sent(); !slices.Equal(got, []bool{false}) {
		t.Errorf("signals = %v, want only SIGTERM after the user declined", got)
	}
	select {
	case msg := <-told:
		t.Errorf("told %q although the process still runs", msg)
	default:
	}
}

// TestSharedSocketInProcesses: a socket held by a master and a worker
// gives each its row, is counted once, and says who shares it.
func TestSharedSocketInProcesses(t *testing.T) {
	master := netinfo.Owner{PID: 10, Process: "nginx", User: "root", Started: time.Now()}
	worker := netinfo.Owner{PID: 11, Process: "nginx", User: "www-data", Started: time.Now()}
	shared := withOwner(sock("tcp", "0.0.0.0", 80, 10, "nginx", "root"), master)
	shared.Holders = []netinfo.Owner{master, worker}
	snap := groupProcs([]netinfo.Socket{shared}, false, 11)
	if len(snap.rows) != 2 || snap.listening != 1 {
		t.Fatalf("%d rows, %d listening sockets; want 2 rows and the socket counted once", len(snap.rows), snap.listening)
	}
	if !strings.Contains(procStatus(snap, 2, false), "2 processes · 1 listening socket · 0 connections") {
		t.Errorf("status %q", procStatus(snap, 2, false))
	}
	if len(snap.sockets) != 1 || !strings.Contains(snap.sockets[0].cells[scolMeaning].text, "Shared by 2 processes: PID 10, PID 11.") {
		t.Errorf("the worker's socket list %+v does not say it is shared", snap.sockets)
	}
}

// TestEnderRefusalShowsADialog runs the ender as the window does, with no
// test hooks: a refusal must show an error dialog (it once called itself
// until the stack overflowed).
func TestEnderRefusalShowsADialog(t *testing.T) {
	test.NewTempApp(t)
	w := test.NewTempWindow(t, widget.NewLabel(""))
	init := netinfo.Owner{PID: 1, Process: "init", Started: stubborn.Started}
	src := &fakeSource{sockets: []netinfo.Socket{withOwner(sock("tcp", "0.0.0.0", 22, 1, "init", "root"), init)}}
	e := &ender{w: w, term: newFakeTerm(1), src: src, ctx: context.Background()}
	uiLocked(func() { e.startSockets(src.sockets[0]) })
	text := waitDialog(t, "an error dialog for the refusal", "PID 1")
	if !strings.Contains(text, "PID 1 starts and keeps the whole system running") {
		t.Fatalf("no error dialog for a refusal; top dialog says %q", text)
	}
	uiLocked(dismissTop)
}

// With connections shown, ":5432" finds the program that listens on 5432
// and the one connected to it; ":543" finds neither.
func TestProcsFilterFindsClientsOfAPort(t *testing.T) {
	v, _ := newProcsTestView(t, procFixture()...)
	v.conns.SetChecked(true)
	refreshProcs(v)
	v.filter.SetText(":5432")
	if got := procNames(v); !slices.Equal(got, []string{"curl", "postgres"}) {
		t.Errorf(":5432 finds %v, want curl and postgres", got)
	}
	v.filter.SetText(":543")
	if got := procNames(v); len(got) != 0 {
		t.Errorf(":543 finds %v, want nothing", got)
	}
}
