package gui

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/loopscope/loopscope/internal/safetext"
	"github.com/loopscope/loopscope/netinfo"
)

// The columns of the processes table.
const (
	pcolProcess = iota
	pcolPID
	pcolUser
	pcolListening
	pcolConnections
	pcolStarted
	numProcCols
)

var procColumns = [numProcCols]struct {
	title string
	width float32
}{
	{"Process", 300}, {"PID", 80}, {"User", 160}, {"Listening", 96}, {"Connections", 110}, {"Started", 200},
}

// procRow is one process holding sockets, formatted off the UI goroutine.
type procRow struct {
	owner       netinfo.Owner
	listening   int
	connections int
	ports       []uint16 // the ports it listens on
	cells       [numProcCols]string
	lower       [numProcCols]string
	search      string
}

// sockRow is one line of a process's sockets list.
type sockRow struct {
	sock  netinfo.Socket
	cells [numSockCols]string
}

const (
	scolProto = iota
	scolLocal
	scolRemote
	scolState
	scolMeaning
	numSockCols
)

var sockColumns = [numSockCols]struct {
	title string
	width float32
}{{"Proto", 56}, {"Local", 150}, {"Remote", 150}, {"State", 104}, {"What it means", 560}}

// procSnapshot is the processes view of one refresh.
type procSnapshot struct {
	rows      []procRow
	hidden    int  // sockets no visible process holds
	withConns bool // rows include processes that only have connections
	pid       int32
	sockets   []sockRow // the sockets of pid, for the sockets list
	warning   string    // set when the sockets were read the slow way

	// listening and connections count the sockets the rows hold, each
	// once however many processes share it.
	listening, connections int
}

// countSockets counts the sockets held by a shown process.
func (snap *procSnapshot) countSockets(sockets []netinfo.Socket, shown map[int32]bool) {
	for i := range sockets {
		s := &sockets[i]
		if !slices.ContainsFunc(s.Holders, func(h netinfo.Owner) bool { return shown[h.PID] }) {
			continue
		}
		if s.Listening() {
			snap.listening++
		} else {
			snap.connections++
		}
	}
}

// groupProcs turns sockets into one row per process. Without withConns
// only processes that listen appear, and the list for pid shows only its
// listening sockets. Only pid's sockets are formatted: with 18,000
// sockets, formatting them all every refresh would cost more than the
// snapshot itself.
func groupProcs(sockets []netinfo.Socket, withConns bool, pid int32) procSnapshot {
	snap := procSnapshot{withConns: withConns, pid: pid}
	byPID := map[int32]*procRow{}
	var order []int32
	for i := range sockets {
		s := &sockets[i]
		if len(s.Holders) == 0 {
			if s.OwnerHidden {
				snap.hidden++
			}
			continue
		}
		// A shared socket counts for each process that holds it.
		for _, h := range s.Holders {
			r, ok := byPID[h.PID]
			if !ok {
				r = &procRow{owner: h}
				byPID[h.PID] = r
				order = append(order, h.PID)
			}
			if s.Listening() {
				r.listening++
				if !slices.Contains(r.ports, s.LocalPort) {
					r.ports = append(r.ports, s.LocalPort)
				}
			} else {
				r.connections++
			}
			if h.PID == pid && (withConns || s.Listening()) {
				snap.sockets = append(snap.sockets, makeSockRow(*s))
			}
		}
	}
	shown := make(map[int32]bool, len(order))
	for _, p := range order {
		r := byPID[p]
		if r.listening == 0 && !withConns {
			continue
		}
		r.format()
		snap.rows = append(snap.rows, *r)
		shown[p] = true
	}
	snap.countSockets(sockets, shown)
	return snap
}

func (r *procRow) format() {
	o := r.owner
	started := "—"
	if !o.Started.IsZero() {
		started = o.Started.Format("2006-01-02 15:04:05")
	}
	r.cells = [numProcCols]string{
		pcolProcess: safe(o.Process), pcolPID: strconv.Itoa(int(o.PID)), pcolUser: safe(o.User),
		pcolListening: strconv.Itoa(r.listening), pcolConnections: strconv.Itoa(r.connections), pcolStarted: started,
	}
	for i, c := range r.cells {
		r.lower[i] = strings.ToLower(c)
	}
	r.search = strings.Join(r.lower[:], " ") + " " + strings.ToLower(safetext.Escape(o.Cmdline))
}

func makeSockRow(s netinfo.Socket) sockRow {
	r := sockRow{sock: s}
	r.cells = [numSockCols]string{scolProto: protoLabel(s), scolLocal: hostPort(s), scolRemote: "*",
		scolState: s.State, scolMeaning: netinfo.StateMeaning(s)}
	if len(s.Holders) > 1 {
		r.cells[scolMeaning] += fmt.Sprintf(" Shared by %d processes: %s.", len(s.Holders), holderPIDs(s.Holders))
	}
	if s.RemotePort != 0 {
		r.cells[scolRemote] = netip.AddrPortFrom(s.RemoteIP, s.RemotePort).String()
	}
	return r
}

// filterProcs keeps the rows matching every word of query, sorted by spec.
func filterProcs(rows []procRow, query string, spec sortSpec) []procRow {
	return filterRows(rows, query, func(r *procRow) string { return r.search }, spec,
		compareProcCol,
		pcolProcess, pcolPID)
}

func compareProcCol(a, b procRow, col int) int {
	switch col {
	case pcolPID:
		return cmp.Compare(a.owner.PID, b.owner.PID)
	case pcolListening:
		return cmp.Compare(a.listening, b.listening)
	case pcolConnections:
		return cmp.Compare(a.connections, b.connections)
	case pcolStarted:
		return a.owner.Started.Compare(b.owner.Started)
	}
	return cmp.Compare(a.lower[col], b.lower[col])
}

// procStatus is the Processes tab's status line.
func procStatus(snap procSnapshot, shown int, filtered bool) string {
	parts := []string{counted(len(snap.rows), "process", "processes") + " · " +
		counted(snap.listening, "listening socket", "listening sockets") + " · " +
		counted(snap.connections, "connection", "connections")}
	if snap.hidden > 0 {
		parts = append(parts, fmt.Sprintf("%d sockets with hidden owners (run with administrator rights to see them)", snap.hidden))
	}
	if filtered {
		parts = append(parts, fmt.Sprintf("showing %d of %d", shown, len(snap.rows)))
	}
	if snap.warning != "" {
		parts = append(parts, snap.warning)
	}
	return strings.Join(parts, " · ")
}

// holderPIDs is "PID 10, PID 11 and 2 more".
func holderPIDs(hs []netinfo.Owner) string {
	parts := make([]string, 0, 4)
	for _, h := range hs[:min(len(hs), 3)] {
		parts = append(parts, "PID "+strconv.Itoa(int(h.PID)))
	}
	text := strings.Join(parts, ", ")
	if len(hs) > 3 {
		text += fmt.Sprintf(" and %d more", len(hs)-3)
	}
	return text
}

// counted is "1 process" or "3 processes".
func counted(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
