package diagnose

import (
	"fmt"
	"net/netip"
	"runtime"
	"strings"

	"github.com/loopscope/loopscope/internal/safetext"
	"github.com/loopscope/loopscope/netinfo"
)

// suggestions are the fixes that fit what was found.
func suggestions(r Report, all []netinfo.Socket) []Suggestion {
	p := fmt.Sprint(r.Port)
	var out []Suggestion
	own := ownedByLoopscope(r.Listening)
	switch {
	case r.Exposure == netinfo.ExposureLoopback && tcpListens(r.Listening) && own:
		out = append(out, Suggestion{Kind: "expose", Text: "To reach it from a phone or another machine, stop it in Local Servers " +
			"and start it again with \"Reachable from other devices\" on; a firewall may still have to let the port in."})
	case r.Exposure == netinfo.ExposureLoopback && tcpListens(r.Listening) && heldByPython(r.Owners):
		out = append(out, Suggestion{Kind: "expose", Text: "To reach it from a phone or another machine, start the program " +
			"listening on 0.0.0.0 (every interface) or on this machine's network address instead of 127.0.0.1 — " +
			"for a Python server, --bind 0.0.0.0 — then use this machine's address; a firewall may still have to let the port in.",
			Command: "python3 -m http.server " + p + " --bind 0.0.0.0"})
	case r.Exposure == netinfo.ExposureLoopback && tcpListens(r.Listening):
		out = append(out, Suggestion{Kind: "expose", Text: "To reach it from a phone or another machine, start the program " +
			"listening on 0.0.0.0 (every interface) or on this machine's network address instead of 127.0.0.1 " +
			"(many servers take --host 0.0.0.0 or --bind 0.0.0.0), then use this machine's address; a firewall may still have to let the port in."})
	case r.Exposure == netinfo.ExposureAll || r.Exposure == netinfo.ExposureSpecific:
		out = append(out, Suggestion{Kind: "restrict", Text: "If only this machine should reach it, start it on 127.0.0.1 instead " +
			"(many servers take --host 127.0.0.1 or --bind 127.0.0.1): other machines then cannot connect at all."})
	}
	switch {
	case own:
		out = append(out, Suggestion{Kind: "stop", Text: "Loopscope itself holds it: stop the server in Local Servers (or leave the lesson that started it)."})
	case len(r.Owners) > 0:
		out = append(out, Suggestion{Kind: "end", Text: "End the program that holds it (it is asked to exit first; force only if it will not)" +
			forwarderHint(r) + ".", Command: "loopscope free " + p})
	}
	if len(r.Listening) > 0 {
		if next := nextFree(max(r.Port, 1023), all); next != 0 {
			out = append(out, Suggestion{Kind: "other-port", Text: fmt.Sprintf("Or start your program on another port: %d is free.", next)})
		}
	} else {
		out = append(out, Suggestion{Kind: "serve", Text: "Start a local server on it, to see it listening.",
			Command: "loopscope serve echo --port " + p})
	}
	out = append(out, Suggestion{Kind: "watch", Text: "Watch its traffic.", Command: "loopscope capture -f 'port " + p + "'"})
	out = append(out, Suggestion{Kind: "commands", Text: "The same facts from this system's own tools.", Command: osCommands(r.Port, tcpListens(r.Listening) || len(r.Listening) == 0)})
	return out
}

// ownedByLoopscope reports whether the sockets are all Loopscope's own
// local servers, which the window names so.
func ownedByLoopscope(socks []netinfo.Socket) bool {
	for _, s := range socks {
		if s.Service != netinfo.ServiceLoopscope {
			return false
		}
	}
	return len(socks) > 0
}

func heldByPython(owners []netinfo.Owner) bool {
	for _, o := range owners {
		if strings.HasPrefix(o.Process, "python") {
			return true
		}
	}
	return false
}

// forwarderHint points a forwarder's port at its container or tunnel:
// ending docker-proxy is not how a container's port is given back.
func forwarderHint(r Report) string {
	for _, f := range r.Forwards {
		switch f.Tool {
		case "docker-proxy":
			return "; for a container's port, stop the container instead (docker stop NAME)"
		case "ssh -L", "kubectl port-forward":
			return "; it is a tunnel: ending it closes the tunnel"
		}
	}
	return ""
}

// nextFree is the first port above port no socket uses, 0 if none.
func nextFree(port uint16, all []netinfo.Socket) uint16 {
	used := map[uint16]bool{}
	for _, s := range all {
		used[s.LocalPort] = true
	}
	for p := uint32(port) + 1; p <= 65535; p++ {
		if !used[uint16(p)] {
			return uint16(p)
		}
	}
	return 0
}

// osCommands show what Loopscope shows, the command-line way.
func osCommands(port uint16, tcp bool) string {
	if !tcp && runtime.GOOS != "windows" {
		return fmt.Sprintf("ss -lunp 'sport = :%d' ; lsof -nP -iUDP:%d", port, port)
	}
	switch runtime.GOOS {
	case "windows":
		return fmt.Sprintf("netstat -ano | findstr :%d ; Get-NetTCPConnection -LocalPort %d", port, port)
	case "darwin":
		return fmt.Sprintf("lsof -nP -iTCP:%d -sTCP:LISTEN ; netstat -an | grep '\\.%d '", port, port)
	}
	return fmt.Sprintf("ss -ltnup 'sport = :%d' ; lsof -nP -iTCP:%d -sTCP:LISTEN", port, port)
}

// Sentences are the report in plain words, each with its evidence, in
// the order a person asks: is anything there, who, who can reach it,
// what connecting gives, and the rest.
func (r Report) Sentences() []string {
	p := r.Port
	var out []string
	if len(r.Listening) == 0 {
		out = append(out, fmt.Sprintf("Nothing listens on port %d: a program connecting to it is refused.", p))
	} else {
		if tcpListens(r.Listening) {
			out = append(out, fmt.Sprintf("Port %d is listening: %s.", p, listensText(r.Listening)))
		} else {
			out = append(out, fmt.Sprintf("Port %d is open: %s. UDP has no listening state: the socket takes datagrams from anyone who can reach it.",
				p, listensText(r.Listening)))
		}
	}
	for _, o := range r.Owners {
		line := fmt.Sprintf("Held by %s (PID %d, user %s): %s.", safetext.Line(o.Process, 60), o.PID, safetext.Line(o.User, 40),
			safetext.Line(orDash(o.Cmdline), 200))
		if o.Manager != "" {
			line += " Run by " + safetext.Line(o.Manager, 80) + "."
		}
		out = append(out, line)
	}
	for _, f := range r.Forwards {
		if f.To != "" && f.Tool == "ssh -L" {
			out = append(out, fmt.Sprintf("PID %d is an SSH tunnel (ssh -L): what arrives goes through it to %s, as the machine at its far end sees that address.", f.PID, safetext.Line(f.To, 80)))
		} else if f.To != "" && f.Container != "" {
			out = append(out, fmt.Sprintf("PID %d is a port forwarder (%s): what arrives goes on to %s, the %s.", f.PID, f.Tool,
				safetext.Line(f.To, 80), safetext.Line(f.Container, 120)))
		} else if f.To != "" {
			out = append(out, fmt.Sprintf("PID %d is a port forwarder (%s): what arrives goes on to %s.", f.PID, f.Tool, safetext.Line(f.To, 80)))
		} else {
			out = append(out, fmt.Sprintf("PID %d is a port forwarder (%s): what arrives goes on elsewhere.", f.PID, f.Tool))
		}
	}
	if len(r.Owners) == 0 {
		for _, s := range r.Listening {
			if s.OwnerHidden || s.NoProcess != "" {
				note := s.OwnerNote
				if note == "" {
					note = "The OS does not say which process holds it; run with administrator rights to see."
				}
				out = append(out, "No process is shown: "+safetext.Line(note, 400))
				break
			}
		}
	}
	for _, s := range r.Listening {
		out = append(out, sockText(s)+": "+netinfo.ExposureWhy(s))
	}
	var got []string
	for _, c := range r.Reach {
		if c.Result == Connected {
			got = append(got, fmt.Sprintf("%s connected in %.1f ms (%s)", c.Target, c.MS, c.Address))
		} else {
			got = append(got, fmt.Sprintf("%s %s", c.Target, c.Result))
		}
	}
	out = append(out, "Connecting over TCP from this machine: "+strings.Join(got, "; ")+".")
	if len(r.Listening) > 0 && !tcpListens(r.Listening) {
		out = append(out, "It is open on UDP only, so those TCP connections are refused; UDP has no connection to test, so a UDP program is reached only by what answers its datagrams.")
	}
	if trap := r.localhostTrap(); trap != "" {
		out = append(out, trap)
	}
	if only := r.onlyThrough(); only != "" {
		out = append(out, only)
	}
	lh := "localhost resolves here to " + strings.Join(r.Localhost.Addresses, ", ")
	if len(r.Localhost.Hosts) > 0 {
		lh += " (hosts file: " + strings.Join(r.Localhost.Hosts, "; ") + ")"
	}
	if r.Localhost.Order != "" {
		lh += "; resolver order: " + r.Localhost.Order
	}
	out = append(out, lh+".")
	class := fmt.Sprintf("Port %d is in the %s range (%s)", p, r.Class, classRange[r.Class])
	if r.Ephemeral.Contains {
		class += fmt.Sprintf(", in this system's ephemeral range (%d–%d): a port like this is usually picked by the OS for a client, or by a developer's tool", r.Ephemeral.First, r.Ephemeral.Last)
	}
	if svc := netinfo.ServiceName("tcp", p); svc != "" {
		class += fmt.Sprintf("; it is where %s usually listens", svc)
	}
	out = append(out, class+".")
	if h := r.HTTP; h != nil && h.Error != "" {
		out = append(out, fmt.Sprintf("GET %s did not get an HTTP answer: %s.", h.URL, h.Error))
	} else if h != nil {
		line := fmt.Sprintf("It speaks HTTP: GET %s answered %s", h.URL, h.Status)
		if h.Server != "" {
			line += ", Server: " + h.Server
		}
		if h.Title != "" {
			line += fmt.Sprintf(", title %q", h.Title)
		}
		out = append(out, line+".")
	}
	fw := "Firewall: " + r.Firewall.Note
	if len(r.Firewall.Rules) > 0 {
		fw += " " + strings.Join(r.Firewall.Rules, " | ")
	}
	return append(out, fw)
}

// localhostTrap names the classic trap: the name localhost means one
// family here (or that one first), while the server listens only on the
// other.
func (r Report) localhostTrap() string {
	res := map[string]string{}
	for _, c := range r.Reach {
		res[c.Target] = c.Result
	}
	addrs := r.Localhost.Addresses
	if len(addrs) == 0 || (res["127.0.0.1"] != Connected && res["::1"] != Connected) {
		return ""
	}
	works := "127.0.0.1"
	if res["127.0.0.1"] != Connected {
		works = "::1"
	}
	if res["localhost"] != Connected {
		return fmt.Sprintf("Watch out: localhost means %s here, which the server does not listen on; it answers on %s only. "+
			"Connect to %s, have the server listen on both 127.0.0.1 and ::1, or add the missing line to the hosts file (\"::1 localhost\" or \"127.0.0.1 localhost\").",
			strings.Join(addrs, " and "), works, netip.AddrPortFrom(netip.MustParseAddr(works), r.Port))
	}
	if res[addrs[0]] != "" && res[addrs[0]] != Connected {
		return fmt.Sprintf("Watch out: localhost resolves to %s first here, which the server does not listen on; "+
			"programs that try the next address (browsers, Go, curl) connect, but one that tries only the first fails.", addrs[0])
	}
	return ""
}

// onlyThrough says when the port is reached from this machine through
// none of the loopback ways, only through a network address (a server
// bound to one address): localhost is refused, and that is why.
func (r Report) onlyThrough() string {
	var via []string
	loop := false
	for _, c := range r.Reach {
		if c.Result != Connected {
			continue
		}
		switch c.Target {
		case "127.0.0.1", "::1", "localhost":
			loop = true
		default:
			via = append(via, c.Target)
		}
	}
	if loop || len(via) == 0 {
		return ""
	}
	return fmt.Sprintf("It listens on %s only, so 127.0.0.1, ::1 and localhost are refused: from this machine too, connect to %s.",
		strings.Join(via, ", "), strings.Join(via, " or "))
}

// classRange says what each IANA range is.
var classRange = map[netinfo.PortClass]string{
	netinfo.WellKnown:  "0–1023: system services; listening on one needs administrator rights on Unix",
	netinfo.Registered: "1024–49151: ports IANA assigns to applications",
	netinfo.Dynamic:    "49152–65535: for private or temporary use",
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
