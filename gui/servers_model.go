package gui

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2/widget"

	"github.com/loopscope/loopscope/internal/safetext"
	"github.com/loopscope/loopscope/netinfo"
	"github.com/loopscope/loopscope/netinfo/serve"
)

// The columns of the servers table.
const (
	vcolKind = iota
	vcolURL
	vcolReach
	vcolState
	vcolServed
	numSrvCols
)

var serverColumns = []column{
	vcolKind:   {title: "Kind", width: 120},
	vcolURL:    {title: "URL", width: 200, grow: 2},
	vcolReach:  {title: "Reachable from", width: 150, drop: 1},
	vcolState:  {title: "State", width: 90},
	vcolServed: {title: "Requests", width: 84, numeric: true},
}

// serverRow is one server, formatted off the UI goroutine.
type serverRow struct {
	srv    *serve.Server
	id     int
	key    string
	state  serve.State
	err    error
	served int64
	cells  [numSrvCols]cellView
	lower  [numSrvCols]string
	search string
}

func makeServerRow(s *serve.Server, id int) serverRow {
	st, err := s.State()
	r := serverRow{srv: s, id: id, key: strconv.Itoa(id), state: st, err: err, served: s.Served()}
	reach, tone := "This machine only", widget.SuccessImportance
	if s.Exposed() {
		reach, tone = "Other devices too", widget.DangerImportance
	}
	r.cells = [numSrvCols]cellView{
		vcolKind:   {text: s.Kind().Title()},
		vcolURL:    {text: s.URL(), dim: st != serve.Running},
		vcolReach:  {text: reach, badge: true, tone: tone},
		vcolState:  {text: stateText(st), dim: st == serve.Stopped},
		vcolServed: {text: strconv.FormatInt(r.served, 10)},
	}
	if st != serve.Running {
		r.cells[vcolReach] = cellView{text: "—", dim: true}
	}
	for i, c := range r.cells {
		r.lower[i] = strings.ToLower(c.text)
	}
	r.search = strings.Join(r.lower[:], " ") + " :" + strconv.Itoa(s.Port())
	return r
}

func stateText(st serve.State) string {
	switch st {
	case serve.Running:
		return "Running"
	case serve.Stopping:
		return "Stopping…"
	case serve.Failed:
		return "Failed"
	}
	return "Stopped"
}

func compareServers(a, b *serverRow, col int) int {
	switch col {
	case vcolServed:
		return int(a.served - b.served)
	case vcolURL:
		return a.srv.Port() - b.srv.Port()
	}
	return strings.Compare(a.lower[col], b.lower[col])
}

// ownLabel names a socket of one of Loopscope's servers as the Ports tab
// shows it: "Loopscope · file server on 127.0.0.1:8000".
func ownLabel(s *serve.Server) string {
	return fmt.Sprintf("Loopscope · %s on port %d", s.Kind().Noun(), s.Port())
}

// ownServers finds the Loopscope server a socket belongs to: one held by
// this process, on a running server's protocol and port.
type ownServers struct {
	mgr *serve.Manager
	pid int32
}

// server returns the server behind s, or nil.
func (o ownServers) server(s netinfo.Socket) *serve.Server {
	if o.mgr == nil || !s.HeldBy(o.pid) {
		return nil
	}
	return o.mgr.Listening(string(s.Proto), int(s.LocalPort))
}

// label is ownLabel of the server behind s, or "".
func (o ownServers) label(s netinfo.Socket) string {
	if srv := o.server(s); srv != nil {
		return ownLabel(srv)
	}
	return ""
}

// The columns of a server's request log.
const (
	lcolTime = iota
	lcolClient
	lcolMethod
	lcolPath
	lcolStatus
	lcolBytes
	lcolDuration
	lcolNote
	numLogCols
)

var logColumns = []column{
	lcolTime:     {title: "Time", width: 104},
	lcolClient:   {title: "Client", width: 140, drop: 2},
	lcolMethod:   {title: "Method", width: 76},
	lcolPath:     {title: "Path", width: 160, grow: 3},
	lcolStatus:   {title: "Status", width: 76},
	lcolBytes:    {title: "Bytes", width: 80, numeric: true, drop: 1},
	lcolDuration: {title: "Duration", width: 84, numeric: true, drop: 3},
	lcolNote:     {title: "Note", width: 120, grow: 1, drop: 4},
}

// logRow is one entry of a request log, formatted off the UI goroutine.
type logRow struct {
	e      serve.Entry
	key    string
	cells  [numLogCols]cellView
	lower  [numLogCols]string
	search string
}

func makeLogRow(e serve.Entry) logRow {
	r := logRow{e: e, key: strconv.FormatUint(e.Seq, 10)}
	path := safetext.Line(e.Path, 300)
	if len(e.Preview) > 0 {
		path += "  “" + safetext.Line(string(e.Preview), 64) + "”"
	}
	r.cells = [numLogCols]cellView{
		lcolTime:     {text: e.Time.Format("15:04:05.000")},
		lcolClient:   {text: clientText(e.Client)},
		lcolMethod:   {text: safetext.Line(e.Method, 16)},
		lcolPath:     {text: path},
		lcolStatus:   statusCell(e.Status),
		lcolBytes:    {text: serve.Size(e.Bytes)},
		lcolDuration: {text: serve.Duration(e.Duration)},
		lcolNote:     {text: safetext.Line(e.Note, 200)}, // "no route", "outside the folder": worth reading
	}
	if e.Status == 0 {
		r.cells[lcolBytes].dim = e.Bytes == 0
	}
	for i, c := range r.cells {
		r.lower[i] = strings.ToLower(c.text)
	}
	r.search = strings.Join(r.lower[:], " ")
	return r
}

// clientText is the client's address and port; ::1 and 127.0.0.1 are
// this machine, which is what a learner wants to see.
func clientText(addr string) string {
	ap, err := netip.ParseAddrPort(addr)
	if err != nil {
		return safetext.Line(addr, 60)
	}
	return ap.String()
}

// statusCell shows an HTTP status as a badge: green for success, amber
// for a client's mistake, red for a server's.
func statusCell(code int) cellView {
	if code == 0 {
		return cellView{text: "—", dim: true}
	}
	tone := widget.SuccessImportance
	switch {
	case code >= 500:
		tone = widget.DangerImportance
	case code >= 400:
		tone = widget.WarningImportance
	case code >= 300:
		tone = widget.MediumImportance
	}
	return cellView{text: strconv.Itoa(code), badge: true, tone: tone}
}

func compareLog(a, b *logRow, col int) int {
	switch col {
	case lcolTime: // when the request came; the log is in the order answers left
		if c := a.e.Time.Compare(b.e.Time); c != 0 {
			return c
		}
		return int(int64(a.e.Seq) - int64(b.e.Seq))
	case lcolStatus:
		return a.e.Status - b.e.Status
	case lcolBytes:
		return int(a.e.Bytes - b.e.Bytes)
	case lcolDuration:
		return int(a.e.Duration - b.e.Duration)
	}
	return strings.Compare(a.lower[col], b.lower[col])
}

// serversStatus is the tab's status line.
func serversStatus(rows []serverRow) string {
	running, served := 0, int64(0)
	for _, r := range rows {
		if r.state == serve.Running {
			running++
		}
		served += r.served
	}
	if len(rows) == 0 {
		return "No local server yet: choose a kind and press Start."
	}
	head := counted(running, "server", "servers") + " running"
	if running < len(rows) {
		head = fmt.Sprintf("%d of %d servers running", running, len(rows))
	}
	return head + " · " + counted(int(served), "request", "requests") + " answered"
}

// startedText is "started 14:02:11 (3 min ago)".
func serverStarted(t time.Time, now time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return startedText(t, now)
}

// labelled is a snapshot source that names Loopscope's own servers: their
// sockets show "Loopscope · file server on 127.0.0.1:8000" as their
// process, in the Ports tab, and Loopscope's row in Processes says what
// it serves.
type labelled struct {
	src SnapshotSource
	own ownServers
}

func (l labelled) Snapshot(ctx context.Context, scope netinfo.Scope) (netinfo.Snapshot, error) {
	snap, err := l.src.Snapshot(ctx, scope)
	if err != nil || len(l.own.mgr.Servers()) == 0 {
		return snap, err
	}
	var names []string
	for i := range snap.Sockets {
		s := &snap.Sockets[i]
		if label := l.own.label(*s); label != "" {
			s.Process = label
			s.Service = netinfo.ServiceLoopscope // not the port's usual service: we know what it is
			if !slices.Contains(names, label) {
				names = append(names, label)
			}
		}
	}
	if len(names) == 0 {
		return snap, nil
	}
	self := names[0]
	if len(names) > 1 {
		self = fmt.Sprintf("Loopscope · %d local servers", len(names))
	}
	for i := range snap.Sockets {
		s := &snap.Sockets[i]
		if !s.HeldBy(l.own.pid) {
			continue
		}
		s.Holders = slices.Clone(s.Holders) // the scanner may share them between sockets
		for j := range s.Holders {
			if s.Holders[j].PID == l.own.pid {
				s.Holders[j].Process = self
			}
		}
	}
	return snap, nil
}
