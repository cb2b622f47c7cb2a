package gui

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/loopscope/loopscope/internal/safetext"
	"github.com/loopscope/loopscope/netinfo"
)

// watcher reads the listening sockets at the refresh interval for as long
// as Loopscope runs, its window shown or hidden in the tray: for the
// tray's counts, and for the notifications when a watched port starts or
// stops listening or a socket becomes reachable from other machines.
type watcher struct {
	src    SnapshotSource
	prefs  prefs
	self   int32                    // Loopscope's PID: its own servers were exposed by the user
	notify func(title, body string) // nil: notifications are off or missing; called off the UI goroutine

	prev []netinfo.Socket
	have bool            // prev holds a snapshot: the first one tells nothing
	told map[string]bool // the exposures notified this run, by program and address
}

// watchState is what one scan found, for the tray.
type watchState struct {
	reading bool // no scan yet
	counts  portCounts
	watched []watchedPort
	err     error
}

// watchedPort is a watched port and the program listening on it, "" when none.
type watchedPort struct {
	port    uint16
	program string
}

// scan reads the listening sockets, sends the notifications their changes
// call for, and returns what the tray shows.
func (w *watcher) scan(ctx context.Context) watchState {
	snap, err := w.src.Snapshot(ctx, netinfo.Listening)
	if err != nil {
		return watchState{err: err} // the next scan compares with the last good one
	}
	ports := w.prefs.watchedPorts()
	if w.have && w.notify != nil {
		for _, n := range w.notes(netinfo.Changes(w.prev, snap.Sockets, ports)) {
			w.notify(n[0], n[1])
		}
	}
	w.prev, w.have = snap.Sockets, true
	st := watchState{counts: countPorts(snap.Sockets)}
	for _, p := range ports {
		st.watched = append(st.watched, watchedPort{port: p, program: listenerOn(snap.Sockets, p)})
	}
	return st
}

// notes turns changes into notifications' titles and bodies. A watched
// port that starts where others can reach it says so in one notification;
// an exposure is told once a run per program and address (a dev server
// that restarts on every save would tell it again and again), and never
// for Loopscope's own servers, which the user just chose to expose.
func (w *watcher) notes(changes []netinfo.Change) [][2]string {
	if w.told == nil {
		w.told = map[string]bool{}
	}
	var out [][2]string
	type protoPort struct {
		proto netinfo.Proto
		port  uint16
	}
	started := map[protoPort]bool{}
	watched, exposed := w.prefs.notifyOn(), w.prefs.notifyExposed()
	for _, c := range changes {
		switch c.Kind {
		case netinfo.PortStarted:
			if !watched {
				continue
			}
			started[protoPort{c.Proto, c.Port}] = true
			out = append(out, startedNote(c))
		case netinfo.PortStopped:
			if !watched {
				continue
			}
			out = append(out, [2]string{fmt.Sprintf("%s port %d stopped listening", protoName(c.Proto), c.Port),
				fmt.Sprintf("%s no longer listens on %s port %d.", program(c.Sockets[0]), protoName(c.Proto), c.Port)})
		case netinfo.SocketExposed:
			s := c.Sockets[0]
			key := s.Process + " " + string(s.Proto) + " " + hostPort(s)
			if w.told[key] || s.HeldBy(w.self) || !exposed {
				continue
			}
			w.told[key] = true
			if started[protoPort{c.Proto, c.Port}] {
				continue // the watched port's own notification says it
			}
			out = append(out, [2]string{fmt.Sprintf("%s port %d is reachable from other machines", protoName(c.Proto), c.Port),
				fmt.Sprintf("%s started listening on %s: other machines can reach it.", program(s), hostPort(s))})
		}
	}
	return out
}

// startedNote tells that a watched port started listening, where, and who can reach it.
func startedNote(c netinfo.Change) [2]string {
	var addrs []string
	reach := "only this machine can reach it"
	for _, s := range c.Sockets {
		addrs = append(addrs, hostPort(s))
		if s.ReachableFromNetwork() {
			reach = "other machines can reach it"
		}
	}
	return [2]string{fmt.Sprintf("%s port %d is listening", protoName(c.Proto), c.Port),
		fmt.Sprintf("%s started listening on %s: %s.", program(c.Sockets[0]), strings.Join(addrs, " and "), reach)}
}

// program names a socket's holder for a notification, escaped and short.
func program(s netinfo.Socket) string {
	switch {
	case s.OwnerHidden:
		return "A program whose name is hidden from this user"
	case s.PID == 0 || s.Process == "":
		return "A program"
	}
	return fmt.Sprintf("%s (PID %d)", safetext.Line(s.Process, 60), s.PID)
}

func protoName(p netinfo.Proto) string { return strings.ToUpper(string(p)) }

// listenerOn names the programs listening on port, "" when none does.
func listenerOn(sockets []netinfo.Socket, port uint16) string {
	var names []string
	for _, s := range sockets {
		if s.LocalPort != port || !s.Listening() {
			continue
		}
		name := "no process"
		switch {
		case s.OwnerHidden:
			name = "a hidden program"
		case s.Process != "":
			name = safetext.Line(s.Process, 60)
		}
		if !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	return strings.Join(names, ", ")
}

// watchedNone lists ports as watched with nobody known to listen yet.
func watchedNone(ports []uint16) []watchedPort {
	out := make([]watchedPort, len(ports))
	for i, p := range ports {
		out[i] = watchedPort{port: p}
	}
	return out
}

// parsePorts reads a list of ports such as "3000, 5432 62893", sorted
// and without repeats.
func parsePorts(text string) ([]uint16, error) {
	var ports []uint16
	for _, f := range strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		n, err := strconv.Atoi(strings.TrimPrefix(f, ":"))
		if err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("%q is not a port: use numbers from 1 to 65535, separated by commas or spaces", f)
		}
		ports = append(ports, uint16(n))
	}
	slices.Sort(ports)
	return slices.Compact(ports), nil
}

// portsText writes ports as parsePorts reads them.
func portsText(ports []uint16) string {
	parts := make([]string, len(ports))
	for i, p := range ports {
		parts[i] = strconv.Itoa(int(p))
	}
	return strings.Join(parts, ", ")
}
