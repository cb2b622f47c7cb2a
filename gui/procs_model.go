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
	pcolCommand
	pcolListening
	pcolConnections
	pcolStarted
	numProcCols
)

var procColumns = []column{
	pcolProcess:     {title: "Process", width: 140, grow: 2},
	pcolPID:         {title: "PID", width: 64, numeric: true},
	pcolUser:        {title: "User", width: 88, grow: 0.5},
	pcolCommand:     {title: "Command", width: 160, grow: 3, drop: 1},
	pcolListening:   {title: "Listening", width: 84, numeric: true},
	pcolConnections: {title: "Connections", width: 104, numeric: true, drop: 2},
	pcolStarted:     {title: "Started", width: 156, drop: 3},
}

// procRow is one process holding sockets, formatted off the UI goroutine.
type procRow struct {
	owner       netinfo.Owner
	key         string
	listening   int
	connections int
	ports       []uint16 // the ports it listens on
	peers       []uint16 // the ports its connections go to, for the filter
	cells       [numProcCols]cellView
	lower       [numProcCols]string
	search      string
}

// The columns of a process's sockets list.
const (
	scolProto = iota
	scolLocal
	scolRemote
	scolPeer
	scolState
	scolMeaning
	numSockCols
)

var sockColumns = []column{
	scolProto:   {title: "Proto", width: 72},
	scolLocal:   {title: "Local", width: 130, grow: 0.5},
	scolRemote:  {title: "Remote", width: 150, grow: 0.5, drop: 2},
	scolPeer:    {title: "Other end", width: 170, grow: 1.5, drop: 1},
	scolState:   {title: "State", width: 112},
	scolMeaning: {title: "What it means", width: 150, grow: 3},
}

// sockRow is one line of a process's sockets list.
type sockRow struct {
	sock  netinfo.Socket
	key   string
	cells [numSockCols]cellView
	lower [numSockCols]string
}

// procSnapshot is the processes view of one refresh.
type procSnapshot struct {
	rows      []procRow
	hidden    int  // sockets no visible process holds
	withConns bool // rows include processes that only have connections
	pid       int32
	sockets   []sockRow // every socket pid holds, connections included
	warning   string    // set when the sockets were read the slow way

	// listening and connections count the sockets the rows hold, each
	// once however many processes share it.
	listening, connections int
}

// groupProcs turns sockets into one row per process. Without withConns
// only processes that listen appear. Only pid's sockets are formatted:
// with 18,000 sockets, formatting them all every refresh would cost more
// than the snapshot itself.
func groupProcs(sockets []netinfo.Socket, withConns bool, pid int32) procSnapshot {
	snap := procSnapshot{withConns: withConns, pid: pid}
	byPID := map[int32]*procRow{}
	var order []int32
	var mine []netinfo.Socket
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
				if s.RemotePort != 0 && len(r.peers) < 64 && !slices.Contains(r.peers, s.RemotePort) {
					r.peers = append(r.peers, s.RemotePort)
				}
			}
			if h.PID == pid {
				mine = append(mine, *s)
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
	snap.sockets = sockRows(mine, sockets)
	return snap
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

func (r *procRow) format() {
	o := r.owner
	r.key = strconv.Itoa(int(o.PID))
	started := "—"
	if !o.Started.IsZero() {
		started = o.Started.Format("2006-01-02 15:04:05")
	}
	cmd := commandSummary(o.Cmdline)
	r.cells = [numProcCols]cellView{
		pcolProcess: {text: safe(o.Process)}, pcolPID: {text: r.key}, pcolUser: {text: safe(o.User)},
		pcolCommand:   {text: safe(cmd), dim: cmd == ""},
		pcolListening: {text: strconv.Itoa(r.listening)}, pcolConnections: {text: strconv.Itoa(r.connections)},
		pcolStarted: {text: started},
	}
	for i, c := range r.cells {
		r.lower[i] = strings.ToLower(c.text)
	}
	r.search = strings.Join(r.lower[:], " ") + " " + strings.ToLower(safetext.Escape(o.Cmdline))
	for _, p := range r.ports {
		r.search += " :" + strconv.Itoa(int(p)) // ":8080" finds the process that listens there
	}
	for _, p := range r.peers {
		r.search += " →:" + strconv.Itoa(int(p)) // and, with connections shown, the ones connected to it
	}
}

// sockRows formats a process's sockets. For a connection whose other end
// is on this machine, it names the process there too: both ends are here,
// so both owners are known.
func sockRows(mine, all []netinfo.Socket) []sockRow {
	var ends map[endpoints]*netinfo.Socket
	out := make([]sockRow, 0, len(mine))
	for _, s := range mine {
		r := sockRow{sock: s, key: fmt.Sprintf("%s|%s|%s|%d", s.Proto, hostPort(s), s.RemoteIP, s.RemotePort)}
		r.cells = [numSockCols]cellView{scolProto: {text: protoLabel(s)}, scolLocal: {text: hostPort(s)},
			scolRemote: {text: "*", dim: true}, scolPeer: {text: "—", dim: true},
			scolState: {text: s.State}, scolMeaning: {text: netinfo.StateMeaning(s)}}
		if s.RemotePort != 0 {
			r.cells[scolRemote] = cellView{text: netip.AddrPortFrom(s.RemoteIP, s.RemotePort).String()}
			if ends == nil {
				ends = indexEnds(all)
			}
			if peer := ends[endpoints{s.Proto, s.RemoteIP.Unmap(), s.RemotePort, s.LocalIP.Unmap(), s.LocalPort}]; peer != nil {
				r.cells[scolPeer] = cellView{text: peerText(*peer)}
			} else if s.RemoteIP.Unmap().IsLoopback() {
				r.cells[scolPeer] = cellView{text: "not seen (closed, or another user's)", dim: true}
			} else {
				r.cells[scolPeer] = cellView{text: "another machine, or not seen", dim: true}
			}
		}
		if len(s.Holders) > 1 {
			r.cells[scolMeaning].text += fmt.Sprintf(" Shared by %d processes: %s.", len(s.Holders), holderPIDs(s.Holders))
		}
		for i, c := range r.cells {
			r.lower[i] = strings.ToLower(c.text)
		}
		out = append(out, r)
	}
	return out
}

// endpoints identifies a connection from one end.
type endpoints struct {
	proto  netinfo.Proto
	local  netip.Addr
	lport  uint16
	remote netip.Addr
	rport  uint16
}

func indexEnds(all []netinfo.Socket) map[endpoints]*netinfo.Socket {
	m := make(map[endpoints]*netinfo.Socket, len(all))
	for i := range all {
		s := &all[i]
		if s.RemotePort != 0 {
			m[endpoints{s.Proto, s.LocalIP.Unmap(), s.LocalPort, s.RemoteIP.Unmap(), s.RemotePort}] = s
		}
	}
	return m
}

// peerText names the process at the other end: "python3 (PID 25398) client.py".
func peerText(s netinfo.Socket) string {
	if len(s.Holders) == 0 {
		return processText(s)
	}
	// The PID before the arguments: in a narrow column they are cut first.
	text := fmt.Sprintf("%s (PID %d)", safe(s.Process), s.PID)
	if cmd := commandSummary(s.Cmdline); cmd != "" {
		text += " " + safetext.Line(cmd, 60)
	}
	return text
}

func compareProcs(a, b *procRow, col int) int {
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

func compareSocks(a, b *sockRow, col int) int {
	switch col {
	case scolLocal:
		return cmp.Or(a.sock.LocalIP.Compare(b.sock.LocalIP), cmp.Compare(a.sock.LocalPort, b.sock.LocalPort))
	case scolRemote:
		return cmp.Or(a.sock.RemoteIP.Compare(b.sock.RemoteIP), cmp.Compare(a.sock.RemotePort, b.sock.RemotePort))
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

// counted is "1 process" or "3 processes".
func counted(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
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
