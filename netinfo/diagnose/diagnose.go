// Package diagnose answers "why can't I reach my port?" with evidence:
// what listens on a port and who holds it, who can reach it, what each
// way of connecting from this machine gives, what localhost is here, the
// port's class, an HTTP probe, the host firewall, and what to do. The
// window and `loopscope diagnose` show the same Report. No Fyne.
package diagnose

import (
	"context"
	"net/netip"
	"strings"
	"time"

	"github.com/loopscope/loopscope/netinfo"
)

// probeTimeout bounds each probe; they run side by side, so a whole
// diagnosis takes well under 2 s, and an address that does not answer
// is a result, not a hang.
const probeTimeout = 500 * time.Millisecond

// Report is everything a diagnosis found. Its JSON keys are what
// `diagnose --json` prints.
type Report struct {
	Port      uint16            `json:"port"`
	Listening []netinfo.Socket  `json:"listening"` // the sockets listening on it, as ports --json has them
	Owners    []netinfo.Owner   `json:"owners"`    // every process holding them, once each
	Exposure  netinfo.Exposure  `json:"exposure"`  // the widest of the listeners'; "" when none
	Forwards  []Forward         `json:"forwards"`
	Reach     []Reach           `json:"reachability"`
	Localhost Localhost         `json:"localhost_resolves_to"`
	Class     netinfo.PortClass `json:"port_class"`
	Ephemeral EphemeralRange    `json:"ephemeral_range"`
	HTTP      *HTTPProbe        `json:"http"` // nil when the port did not answer HTTP
	Firewall  Firewall          `json:"firewall"`
	Fixes     []Suggestion      `json:"suggestions"`
}

// EphemeralRange is this OS's range for outgoing ports, and whether the
// port lies in it.
type EphemeralRange struct {
	First    uint16 `json:"first"`
	Last     uint16 `json:"last"`
	Contains bool   `json:"contains_port"`
}

// Suggestion is a fix: what to do, and the command that does it or shows
// the same facts.
type Suggestion struct {
	Kind    string `json:"kind"` // "end", "other-port", "serve", "watch", "commands"
	Text    string `json:"text"`
	Command string `json:"command,omitempty"`
}

// Snapshotter reads the sockets: netinfo's Scanner, or a test's.
type Snapshotter interface {
	Snapshot(ctx context.Context, scope netinfo.Scope) (netinfo.Snapshot, error)
}

// Run diagnoses port. The probes run side by side.
func Run(ctx context.Context, sc Snapshotter, port uint16) (Report, error) {
	snap, err := sc.Snapshot(ctx, netinfo.AllSockets)
	if err != nil {
		return Report{}, err
	}
	r := Report{Port: port, Class: netinfo.ClassifyPort(port), Listening: netinfo.ListenersOn(snap.Sockets, port)}
	if r.Listening == nil {
		r.Listening = []netinfo.Socket{}
	}
	eph := netinfo.EphemeralRange()
	r.Ephemeral = EphemeralRange{eph.First, eph.Last, eph.Contains(port)}
	r.Owners, r.Exposure = owners(r.Listening), widest(r.Listening)
	r.Forwards = forwards(r.Owners, port)
	if r.Forwards == nil {
		r.Forwards = []Forward{}
	}

	parallel(
		func() { nameContainers(ctx, r.Forwards) },
		func() { r.Reach = reachability(ctx, port) },
		func() { r.Localhost = ResolveLocalhost(ctx) },
		func() { r.Firewall = readFirewall(ctx, port) },
	)
	if tcpListens(r.Listening) {
		r.HTTP = probeHTTP(ctx, r.Reach, port)
	}
	r.Fixes = suggestions(r, snap.Sockets)
	return r, nil
}

// owners are the holders of the sockets, each process once.
func owners(socks []netinfo.Socket) []netinfo.Owner {
	seen := map[int32]bool{}
	out := []netinfo.Owner{}
	for _, s := range socks {
		for _, o := range s.Holders {
			if !seen[o.PID] {
				seen[o.PID] = true
				out = append(out, o)
			}
		}
	}
	return out
}

// widest is the exposure that reaches furthest among socks.
func widest(socks []netinfo.Socket) netinfo.Exposure {
	rank := map[netinfo.Exposure]int{netinfo.ExposureLoopback: 1, netinfo.ExposureNotLocal: 2, netinfo.ExposureMulticast: 3,
		netinfo.ExposureBroadcast: 3, netinfo.ExposureSpecific: 4, netinfo.ExposureAll: 5}
	var best netinfo.Exposure
	for _, s := range socks {
		if rank[s.Exposure] > rank[best] {
			best = s.Exposure
		}
	}
	return best
}

func tcpListens(socks []netinfo.Socket) bool {
	for _, s := range socks {
		if s.Proto == netinfo.TCP {
			return true
		}
	}
	return false
}

// listensText is "TCP 127.0.0.1:8080 and TCP [::1]:8080".
func listensText(socks []netinfo.Socket) string {
	parts := make([]string, len(socks))
	for i, s := range socks {
		parts[i] = sockText(s)
	}
	return strings.Join(parts, " and ")
}

// sockText is "TCP [::]:8080 (+IPv4)": the protocol, and the address as
// a URL writes it.
func sockText(s netinfo.Socket) string {
	text := strings.ToUpper(string(s.Proto)) + " " + netip.AddrPortFrom(s.LocalIP, s.LocalPort).String()
	if s.Device != "" {
		text += " (tied to " + s.Device + ")"
	}
	if s.AcceptsIPv4 != nil && *s.AcceptsIPv4 {
		text += " (+IPv4)"
	}
	return text
}
