package netinfo

import (
	"cmp"
	"net/netip"
	"slices"
)

// ChangeKind is what happened to a port between two snapshots.
type ChangeKind int

// The changes Changes reports.
const (
	// PortStarted: a watched port listens now and did not before.
	PortStarted ChangeKind = iota
	// PortStopped: a watched port listened before and does not now.
	PortStopped
	// SocketExposed: a socket other machines can reach, which they could
	// not reach at that address before.
	SocketExposed
)

// Change is one thing that happened between two listening snapshots.
type Change struct {
	Kind  ChangeKind
	Proto Proto
	Port  uint16
	// Sockets are the port's listening sockets: in the newer snapshot for
	// PortStarted and SocketExposed (for the latter only the exposed one),
	// in the older one for PortStopped.
	Sockets []Socket
}

// portKey is a program listening on a port: a protocol, a number, and
// the holder's PID (0 when none is known), so that two programs on one
// port, each on its own address, are told apart.
type portKey struct {
	proto Proto
	port  uint16
	pid   int32
}

// addrKey is a listening address: who can reach it does not depend on
// which process holds it, so a restarted server is not a new exposure.
type addrKey struct {
	proto Proto
	ip    netip.Addr
	port  uint16
}

// Changes compares two snapshots' listening sockets (prev older than cur)
// and reports, in order of protocol and port, the programs that started
// or stopped listening on a watched port (one change per program: a
// restarted server stops and starts), and the sockets that became
// reachable from other machines. UDP sockets on ephemeral ports are left out of the
// latter: clients (DNS lookups, browsers) open them by the dozen, and
// nobody connects to them.
func Changes(prev, cur []Socket, watched []uint16) []Change {
	before, after := byPort(prev, watched), byPort(cur, watched)
	var out []Change
	for k, a := range after {
		if len(before[k]) == 0 {
			out = append(out, Change{Kind: PortStarted, Proto: k.proto, Port: k.port, Sockets: a})
		}
	}
	for k, b := range before {
		if len(after[k]) == 0 {
			out = append(out, Change{Kind: PortStopped, Proto: k.proto, Port: k.port, Sockets: b})
		}
	}
	reachable := map[addrKey]bool{}
	for _, s := range prev {
		if exposedListener(s) {
			reachable[addrKey{s.Proto, s.LocalIP, s.LocalPort}] = true
		}
	}
	for _, s := range cur {
		k := addrKey{s.Proto, s.LocalIP, s.LocalPort}
		if exposedListener(s) && !reachable[k] {
			reachable[k] = true // a socket shared by two processes is listed twice
			out = append(out, Change{Kind: SocketExposed, Proto: s.Proto, Port: s.LocalPort, Sockets: []Socket{s}})
		}
	}
	slices.SortStableFunc(out, func(a, b Change) int {
		if c := cmp.Compare(rawKey(a.Proto, a.Port), rawKey(b.Proto, b.Port)); c != 0 {
			return c
		}
		if c := cmp.Compare(rank[a.Kind], rank[b.Kind]); c != 0 {
			return c
		}
		return cmp.Compare(a.Sockets[0].PID, b.Sockets[0].PID)
	})
	return out
}

// rank orders a port's changes as they happened: a restarted server
// stops before it starts again, and is listening before it is exposed.
var rank = map[ChangeKind]int{PortStopped: 0, PortStarted: 1, SocketExposed: 2}

// exposedListener reports whether s listens where other machines can
// reach it, on a port a server would use.
func exposedListener(s Socket) bool {
	return s.Listening() && s.ReachableFromNetwork() && !(s.Proto == UDP && s.Ephemeral)
}

// byPort groups the listening sockets on the watched ports by protocol,
// port and holder.
func byPort(sockets []Socket, watched []uint16) map[portKey][]Socket {
	m := map[portKey][]Socket{}
	for _, s := range sockets {
		if s.Listening() && slices.Contains(watched, s.LocalPort) {
			k := portKey{s.Proto, s.LocalPort, s.PID}
			m[k] = append(m[k], s)
		}
	}
	return m
}
