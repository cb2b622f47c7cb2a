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

// portKey is a listening port: a protocol and a number.
type portKey struct {
	proto Proto
	port  uint16
}

// addrKey is a listening address: who can reach it does not depend on
// which process holds it, so a restarted server is not a new exposure.
type addrKey struct {
	proto Proto
	ip    netip.Addr
	port  uint16
}

// Changes compares two snapshots' listening sockets (prev older than cur)
// and reports, in order of protocol and port, the watched ports that
// started or stopped listening, and the sockets that became reachable from
// other machines. UDP sockets on ephemeral ports are left out of the
// latter: clients (DNS lookups, browsers) open them by the dozen, and
// nobody connects to them.
func Changes(prev, cur []Socket, watched []uint16) []Change {
	before, after := byPort(prev), byPort(cur)
	var out []Change
	for _, port := range watched {
		for _, proto := range []Proto{TCP, UDP} {
			k := portKey{proto, port}
			switch b, a := before[k], after[k]; {
			case len(b) == 0 && len(a) > 0:
				out = append(out, Change{Kind: PortStarted, Proto: proto, Port: port, Sockets: a})
			case len(b) > 0 && len(a) == 0:
				out = append(out, Change{Kind: PortStopped, Proto: proto, Port: port, Sockets: b})
			}
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
		return cmp.Compare(a.Kind, b.Kind)
	})
	return out
}

// exposedListener reports whether s listens where other machines can
// reach it, on a port a server would use.
func exposedListener(s Socket) bool {
	return s.Listening() && s.ReachableFromNetwork() && !(s.Proto == UDP && s.Ephemeral)
}

// byPort groups the listening sockets by protocol and port.
func byPort(sockets []Socket) map[portKey][]Socket {
	m := map[portKey][]Socket{}
	for _, s := range sockets {
		if s.Listening() {
			k := portKey{s.Proto, s.LocalPort}
			m[k] = append(m[k], s)
		}
	}
	return m
}
