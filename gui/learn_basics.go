package gui

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"runtime"
	"strconv"
	"strings"

	"github.com/loopscope/loopscope/netinfo"
	"github.com/loopscope/loopscope/netinfo/diagnose"
	"github.com/loopscope/loopscope/netinfo/serve"
)

// lessonLoopback: 127.0.0.0/8, ::1, and what localhost is here.
func lessonLoopback(l *lab) *lesson {
	var port uint16
	var v6 string // what connecting over ::1 gave
	return &lesson{
		title: "Loopback and localhost",
		goal: "See the addresses that never leave this machine, what the name localhost turns into here, " +
			"and why a server on 127.0.0.1 is not reached through ::1.",
		steps: []step{{
			text:   "List this machine's loopback interface and its addresses.",
			button: "Show the loopback addresses",
			run: func(context.Context) (stepResult, error) {
				return stepResult{text: loopbackAddrs()}, nil
			},
		}, {
			text:   "Ask the resolver what localhost is, as every program on this machine does.",
			button: "Resolve localhost",
			run: func(ctx context.Context) (stepResult, error) {
				return stepResult{text: localhostText(diagnose.ResolveLocalhost(ctx))}, nil
			},
		}, {
			text: "Start a TCP echo server on 127.0.0.1 only, then connect to it three ways: " +
				"by 127.0.0.1, by ::1, and by the name localhost.",
			button: "Start it and connect three ways",
			run: func(ctx context.Context) (stepResult, error) {
				s, err := l.serve(serve.TCPEcho, "127.0.0.1", lessonPort)
				if err != nil {
					return stepResult{}, err
				}
				port = uint16(s.Port())
				var lines []string
				for _, target := range []string{"127.0.0.1", "::1", "localhost"} {
					r := diagnose.Dial(ctx, target, port)
					if target == "::1" {
						v6 = r.Result
					}
					lines = append(lines, reachLine(r))
				}
				text := fmt.Sprintf("The server listens on 127.0.0.1:%d.%s\n%s", port, portNote(s), strings.Join(lines, "\n"))
				return stepResult{text: text, looks: []lessonLink{
					{label: "See it in Listening Ports", tab: "Ports", filter: fmt.Sprintf(":%d", port)},
					{label: fmt.Sprintf("Diagnose port %d", port), port: port, diag: true},
				}}, nil
			},
		}},
		check: check{
			question: "The server listens on 127.0.0.1 only. What happened when the client tried ::1?",
			choices:  []string{"It connected", "It was refused", "It timed out", "It could not even try"},
			answer: func() string {
				return map[string]string{diagnose.Connected: "It connected", diagnose.Refused: "It was refused",
					diagnose.Timeout: "It timed out", diagnose.Unreachable: "It could not even try"}[v6]
			},
			right: func(string) string {
				return "127.0.0.1 and ::1 are both this machine, but they are different addresses in different families (IPv4 and IPv6). " +
					"A socket bound to one does not take connections to the other, so the kernel refuses them."
			},
			hint: "Look at the line for ::1 under the last step.",
		},
		recap: "Loopback is the network inside this machine: 127.0.0.0/8 for IPv4 and ::1 for IPv6; nothing sent there leaves it. " +
			"localhost is only a name, and the hosts file decides whether it means 127.0.0.1, ::1 or both, and in which order. " +
			"A server on 127.0.0.1 alone refuses a client that comes over ::1 (as localhost may mean here): some clients then try 127.0.0.1, some give up. " +
			"Bind both, or bind the one the client uses.",
		terms: []string{"loopback", "localhost", "dual-stack", "socket"},
	}
}

// loopbackAddrs lists the loopback interfaces and their addresses.
func loopbackAddrs() string {
	ifs, err := net.Interfaces()
	if err != nil {
		return "The interfaces could not be read: " + err.Error()
	}
	var b strings.Builder
	for _, i := range ifs {
		if i.Flags&net.FlagLoopback == 0 {
			continue
		}
		addrs, _ := i.Addrs()
		var list []string
		for _, a := range addrs {
			list = append(list, a.String())
		}
		fmt.Fprintf(&b, "Interface %s: %s\n", safe(i.Name), strings.Join(list, ", "))
	}
	if runtime.GOOS == "linux" {
		b.WriteString("On Linux every address from 127.0.0.1 to 127.255.255.254 is this machine: 127.0.0.1/8 is the whole block. ")
	} else {
		b.WriteString("127.0.0.1/8 is the whole block reserved for loopback; this system answers on the addresses listed above. ")
	}
	b.WriteString("::1 is IPv6's single loopback address.")
	return b.String()
}

// localhostText says what localhost resolved to, and from where.
func localhostText(h diagnose.Localhost) string {
	var b strings.Builder
	if h.Error != "" {
		fmt.Fprintf(&b, "localhost did not resolve: %s\n", safe(h.Error))
	} else if len(h.Addresses) == 1 {
		fmt.Fprintf(&b, "localhost is %s here, and only that.\n", safe(h.Addresses[0]))
	} else {
		fmt.Fprintf(&b, "localhost is %s, in the order programs try them.\n", strings.Join(h.Addresses, ", then "))
	}
	for _, line := range h.Hosts {
		fmt.Fprintf(&b, "The hosts file says: %s\n", safe(line))
	}
	if h.Order != "" {
		fmt.Fprintf(&b, "The resolver looks in this order: %s", safe(h.Order))
	}
	return strings.TrimSpace(b.String())
}

// portNote says when a lesson's server could not have its port, and
// which it took: "" when it has lessonPort.
func portNote(s *serve.Server) string {
	if s.Port() == lessonPort {
		return ""
	}
	return fmt.Sprintf(" (%d is taken here by another program, so the lesson uses %d.)", lessonPort, s.Port())
}

// reachLine is one connection attempt as a sentence.
func reachLine(r diagnose.Reach) string {
	switch r.Result {
	case diagnose.Connected:
		return fmt.Sprintf("%s → %s: connected in %.1f ms.", r.Target, r.Address, r.MS)
	case diagnose.Refused:
		return fmt.Sprintf("%s → %s: refused (nothing listens there).", r.Target, r.Address)
	case diagnose.Timeout:
		return fmt.Sprintf("%s → %s: no answer within half a second.", r.Target, r.Address)
	}
	return fmt.Sprintf("%s → %s: could not even try (no route to that address here).", r.Target, r.Address)
}

// lessonPorts: a server's port, and the ephemeral port the OS gives its client.
func lessonPorts(l *lab) *lesson {
	var srv *serve.Server
	var client netip.AddrPort
	return &lesson{
		title: "Ports and sockets",
		goal: "Start a server, connect to it, and find both ends of the connection in the window: " +
			"the server's port that you chose, and the client's port that the OS picked.",
		steps: []step{{
			text:   fmt.Sprintf("Start a TCP echo server on 127.0.0.1:%d. It answers every line with the same line.", lessonPort),
			button: "Start the echo server",
			run: func(context.Context) (stepResult, error) {
				s, err := l.serve(serve.TCPEcho, "127.0.0.1", lessonPort)
				if err != nil {
					return stepResult{}, err
				}
				srv = s
				text := fmt.Sprintf("A socket listens on 127.0.0.1:%d, held by Loopscope itself.", s.Port()) + portNote(s)
				return stepResult{text: text, looks: []lessonLink{
					{label: "See the listener in Listening Ports", tab: "Ports", filter: fmt.Sprintf(":%d", s.Port())},
					{label: "See it in Local Servers", tab: "Servers", port: uint16(s.Port())},
				}}, nil
			},
		}, {
			text:   "Connect to it as a client, send hello, and keep the connection open.",
			button: "Connect and send hello",
			run: func(ctx context.Context) (stepResult, error) {
				c, err := l.dial(ctx, net.JoinHostPort("127.0.0.1", strconv.Itoa(srv.Port())))
				if err != nil {
					return stepResult{}, err
				}
				back, err := echo(c, "hello\n")
				if err != nil {
					return stepResult{}, fmt.Errorf("the server did not answer: %w", err)
				}
				client, _ = netip.ParseAddrPort(c.LocalAddr().String())
				eph := netinfo.EphemeralRange()
				text := fmt.Sprintf("Connected; the server answered %q. The connection is open now, and two sockets carry it: "+
					"the server's end on port %d, and the client's end on a port the OS picked from its ephemeral range (%d–%d). "+
					"Find the client's port: in Processes, choose Loopscope; among its sockets, the ESTABLISHED one whose Remote is 127.0.0.1:%d is the client's end, and its Local port is the answer.",
					strings.TrimSpace(back), srv.Port(), eph.First, eph.Last, srv.Port())
				return stepResult{text: text, looks: []lessonLink{
					{label: "Find the client in Processes", tab: "Processes", filter: fmt.Sprintf(":%d", srv.Port()), conns: true},
				}}, nil
			},
		}},
		check: check{
			question: "Which port did the OS give the client?",
			answer: func() string {
				if !client.IsValid() {
					return ""
				}
				return strconv.Itoa(int(client.Port()))
			},
			right: func(p string) string {
				return fmt.Sprintf("The client is 127.0.0.1:%s. Nobody chose it: the OS took a free one from its ephemeral range "+
					"when the client connected, and gives it back when the connection is gone.", p)
			},
			hint: "In Processes, choose Loopscope and look at its sockets: the ESTABLISHED one whose Remote is the server's address has the client's port in Local.",
			port: true,
		},
		recap: "A socket is one end of a conversation: protocol, address and port. A server picks its port and LISTENs; " +
			"each client gets an ephemeral port from the OS, and the pair of addresses names the connection. " +
			"When the client closes first, its end waits in TIME_WAIT for up to a minute.",
		terms: []string{"socket", "port", "ephemeral port", "LISTEN", "ESTABLISHED", "TIME_WAIT"},
	}
}
