package gui

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/loopscope/loopscope/netinfo"
	"github.com/loopscope/loopscope/netinfo/diagnose"
	"github.com/loopscope/loopscope/netinfo/serve"
)

// The check's answers in the exposure lesson.
const (
	onlyLoopback = "Only the one on 127.0.0.1"
	onlyAll      = "Only the one on 0.0.0.0"
	bothServers  = "Both"
	neither      = "Neither"
)

// lessonExposure: the same server on 127.0.0.1 and on 0.0.0.0.
func lessonExposure(l *lab) *lesson {
	var local, open *serve.Server
	var answer string
	return &lesson{
		title: "Exposure: who can reach a server",
		goal: "Run the same server on 127.0.0.1 and on 0.0.0.0, and try both the way another device on your network would. " +
			"The address a server binds decides who can reach it.",
		steps: []step{{
			text:   "Start an HTTP echo server on 127.0.0.1, the safe default.",
			button: "Start it on 127.0.0.1",
			run: func(context.Context) (stepResult, error) {
				s, err := l.serve(serve.Echo, "127.0.0.1", lessonPort)
				if err != nil {
					return stepResult{}, err
				}
				local = s
				return stepResult{text: "Listening on 127.0.0.1:" + strconv.Itoa(s.Port()) + ": loopback only." + portNote(s)}, nil
			},
		}, {
			text: "Start the same server on 0.0.0.0, every IPv4 address of this machine. Other devices on your network " +
				"can reach this one until you stop it in the last step or leave the lesson.",
			button: "Start it on 0.0.0.0",
			run: func(context.Context) (stepResult, error) {
				s, err := l.serve(serve.Echo, "0.0.0.0", local.Port()+1)
				if err != nil {
					return stepResult{}, err
				}
				open = s
				return stepResult{text: "Listening on 0.0.0.0:" + strconv.Itoa(s.Port()) + ": every IPv4 address of this machine, so every network it is on.",
					looks: []lessonLink{{label: "Compare the two in Listening Ports", tab: "Ports", filter: "loopscope"}}}, nil
			},
		}, {
			text:   "Connect to both through this machine's network addresses, as a phone or another computer would, and through 127.0.0.1.",
			button: "Try both from the network",
			run: func(ctx context.Context) (stepResult, error) {
				lan := serve.LANAddrs()
				reachLocal, reachOpen := false, false
				var lines []string
				for _, s := range []*serve.Server{local, open} {
					lines = append(lines, fmt.Sprintf("The server on %s:", s.Addr()))
					targets := []string{"127.0.0.1"}
					for _, a := range lan {
						targets = append(targets, a.String())
					}
					for i, t := range targets {
						r := diagnose.Dial(ctx, t, uint16(s.Port()))
						lines = append(lines, "  "+reachLine(r))
						if i > 0 && r.Result == diagnose.Connected {
							reachLocal, reachOpen = reachLocal || s == local, reachOpen || s == open
						}
					}
				}
				answer = onlyAll // what the addresses say, when there is no network to try
				if len(lan) == 0 {
					lines = append(lines, "This machine has no network address but loopback right now, so nothing else could reach either; "+
						"on a network, the one on 0.0.0.0 would take connections there, and the one on 127.0.0.1 never would.")
				} else {
					answer = map[[2]bool]string{{false, true}: onlyAll, {true, true}: bothServers, {true, false}: onlyLoopback, {false, false}: neither}[[2]bool{reachLocal, reachOpen}]
					for _, a := range lan {
						if a.Is6() {
							lines = append(lines, "0.0.0.0 is IPv4's \"every address\": a client that comes over IPv6 ("+a.String()+") is refused. "+
								"A server that binds :: takes both (dual-stack).")
							break
						}
					}
					lines = append(lines, "A host firewall can still block what 0.0.0.0 allows: Diagnose reads it.")
				}
				return stepResult{text: strings.Join(lines, "\n"), looks: []lessonLink{
					{label: fmt.Sprintf("Diagnose port %d", open.Port()), port: uint16(open.Port()), diag: true},
				}}, nil
			},
		}, {
			text:   "Stop the server on 0.0.0.0, so nothing outside can reach it any more.",
			button: "Stop the exposed server",
			run: func(context.Context) (stepResult, error) {
				l.stopServer(open)
				return stepResult{text: fmt.Sprintf("Stopped; port %d is closed again.", open.Port())}, nil
			},
		}},
		check: check{
			question: "Which of the two servers could another device on your network reach?",
			choices:  []string{onlyLoopback, onlyAll, bothServers, neither},
			answer:   func() string { return answer },
			right: func(string) string {
				return "A server bound to 127.0.0.1 takes only connections made on this machine. One bound to 0.0.0.0 (or ::) " +
					"takes them on every address, so other machines can reach it: that is how \"it works on localhost but not from my phone\" is fixed, " +
					"and why a server should bind 127.0.0.1 unless others need it."
			},
			hint: "Look at the lines for this machine's network address under the third step.",
		},
		recap: "Exposure is decided by the address a socket binds: 127.0.0.1 or ::1 is this machine only; 0.0.0.0 or :: is every network " +
			"it is on; one LAN address is that network only. Listening Ports shows it for every socket, and Diagnose tries each way in.",
		terms: []string{"exposure", "loopback", "dual-stack"},
	}
}

// lessonConflict: a second server on a taken port.
func lessonConflict(l *lab) *lesson {
	var first *serve.Server
	var holder string // the PID that held the port when the second failed
	return &lesson{
		title: "Port conflicts",
		goal: "See \"address already in use\" happen, find who holds the port, and free it — " +
			"the everyday trouble of a developer whose server will not start.",
		steps: []step{{
			text:   fmt.Sprintf("Start a TCP echo server on 127.0.0.1:%d.", lessonPort),
			button: "Start the first server",
			run: func(context.Context) (stepResult, error) {
				s, err := l.serve(serve.TCPEcho, "127.0.0.1", lessonPort)
				if err != nil {
					return stepResult{}, err
				}
				first = s
				return stepResult{text: fmt.Sprintf("Listening on 127.0.0.1:%d.", s.Port()) + portNote(s)}, nil
			},
		}, {
			text:   "Start a second server on the very same address and port.",
			button: "Start a second one on the same port",
			run: func(ctx context.Context) (stepResult, error) {
				port := first.Port()
				s, err := l.mgr.Start(serve.Config{Kind: serve.TCPEcho, Port: port, Bind: "127.0.0.1"})
				if err == nil {
					l.keep(s)
					return stepResult{text: "The second server started: this system let both share the port."}, nil
				}
				text := "The second server did not start: the kernel said the address is already in use. " +
					"One socket listens on an address and port; a second one there is refused (unless both asked to share it)."
				if owners := holdersOf(ctx, l.src, uint16(port)); owners != nil {
					holder = strconv.Itoa(int(owners[0].PID))
					text += fmt.Sprintf("\nThe port is held by %s (PID %d), user %s.", safe(owners[0].Process), owners[0].PID, safe(owners[0].User))
				}
				if err != nil && !errors.Is(err, serve.ErrPortInUse) {
					text += "\nThe error: " + safeLong(err.Error())
				}
				return stepResult{text: text, looks: []lessonLink{
					{label: "Who holds it: Listening Ports", tab: "Ports", filter: fmt.Sprintf(":%d", port)},
					{label: fmt.Sprintf("Diagnose port %d", port), port: uint16(port), diag: true},
				}}, nil
			},
		}, {
			text:   "Free the port by stopping the first server, and start the second again.",
			button: "Free the port and retry",
			run: func(context.Context) (stepResult, error) {
				port := first.Port()
				l.stopServer(first)
				s, err := l.mgr.Start(serve.Config{Kind: serve.TCPEcho, Port: port, Bind: "127.0.0.1"})
				if err != nil {
					return stepResult{}, err
				}
				l.keep(s)
				return stepResult{text: fmt.Sprintf("With the first one gone, the second server listens on 127.0.0.1:%d.", port)}, nil
			},
		}},
		check: check{
			question: "Which process (its PID) held the port when the second server failed?",
			answer:   func() string { return holder },
			right: func(pid string) string {
				return "PID " + pid + " is Loopscope itself: the lesson's first server. When it is someone else's program, " +
					"Listening Ports or the command loopscope who PORT names it, and End process frees the port — after asking."
			},
			hint: "Look at the last line of the second step, or open Listening Ports with its link.",
		},
		recap: "\"Address already in use\" means a socket already listens on that address and port. Find its owner " +
			"(Listening Ports, Diagnose, or the command loopscope who PORT), then stop it or pick another port. " +
			"A port can also stay busy for up to a minute after its server stopped, while old connections sit in TIME_WAIT.",
		terms: []string{"port", "socket", "LISTEN", "TIME_WAIT"},
	}
}

// holdersOf are the processes listening on port, nil when none is known.
func holdersOf(ctx context.Context, src SnapshotSource, port uint16) []netinfo.Owner {
	if src == nil {
		return nil
	}
	snap, err := src.Snapshot(ctx, netinfo.AllSockets)
	if err != nil {
		return nil
	}
	for _, s := range netinfo.ListenersOn(snap.Sockets, port) {
		if len(s.Holders) > 0 {
			return s.Holders
		}
	}
	return nil
}
