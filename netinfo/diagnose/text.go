package diagnose

import (
	"fmt"
	"runtime"
	"strings"

	"github.com/loopscope/loopscope/internal/safetext"
	"github.com/loopscope/loopscope/netinfo"
)

// suggestions are the fixes that fit what was found.
func suggestions(r Report, all []netinfo.Socket) []Suggestion {
	p := fmt.Sprint(r.Port)
	var out []Suggestion
	if len(r.Owners) > 0 {
		out = append(out, Suggestion{Kind: "end", Text: "End the program that holds it (it is asked to exit first; force only if it will not).",
			Command: "loopscope free " + p})
	}
	if next := nextFree(r.Port, all); next != 0 {
		out = append(out, Suggestion{Kind: "other-port", Text: fmt.Sprintf("Use another port: %d is free.", next),
			Command: fmt.Sprintf("python3 -m http.server %d --bind 127.0.0.1", next)})
	}
	if len(r.Listening) == 0 {
		out = append(out, Suggestion{Kind: "serve", Text: "Start a local server on it, to see it listening.",
			Command: "loopscope serve echo --port " + p})
	}
	out = append(out, Suggestion{Kind: "watch", Text: "Watch its traffic.", Command: "loopscope capture -f 'port " + p + "'"})
	out = append(out, Suggestion{Kind: "commands", Text: "The same facts from this system's own tools.", Command: osCommands(r.Port)})
	return out
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
func osCommands(port uint16) string {
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
		out = append(out, fmt.Sprintf("Port %d is listening: %s.", p, listensText(r.Listening)))
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
		if f.To != "" {
			out = append(out, fmt.Sprintf("PID %d is a port forwarder (%s): what arrives goes on to %s.", f.PID, f.Tool, safetext.Line(f.To, 80)))
		} else {
			out = append(out, fmt.Sprintf("PID %d is a port forwarder (%s): what arrives goes on elsewhere.", f.PID, f.Tool))
		}
	}
	for _, s := range r.Listening {
		out = append(out, netinfo.ExposureWhy(s))
	}
	var got []string
	for _, c := range r.Reach {
		if c.Result == Connected {
			got = append(got, fmt.Sprintf("%s connected in %.1f ms (%s)", c.Target, c.MS, c.Address))
		} else {
			got = append(got, fmt.Sprintf("%s %s", c.Target, c.Result))
		}
	}
	out = append(out, "Connecting from this machine: "+strings.Join(got, "; ")+".")
	if trap := r.localhostTrap(); trap != "" {
		out = append(out, trap)
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
	if h := r.HTTP; h != nil {
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

// localhostTrap names the classic trap: localhost tried on one family
// first, while the server listens only on the other.
func (r Report) localhostTrap() string {
	res := map[string]string{}
	for _, c := range r.Reach {
		res[c.Target] = c.Result
	}
	if len(r.Localhost.Addresses) == 0 {
		return ""
	}
	first := r.Localhost.Addresses[0]
	if res[first] != "" && res[first] != Connected && (res["127.0.0.1"] == Connected || res["::1"] == Connected) {
		return fmt.Sprintf("Watch out: localhost resolves to %s first here, which the server does not listen on; a program that tries only the first address fails, even though 127.0.0.1 or ::1 works.", first)
	}
	return ""
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
