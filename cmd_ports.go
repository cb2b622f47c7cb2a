package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"strconv"

	"github.com/loopscope/loopscope/internal/cli"
	"github.com/loopscope/loopscope/internal/safetext"
	"github.com/loopscope/loopscope/internal/texttable"
	"github.com/loopscope/loopscope/netinfo"
)

// Column caps of the text table: outside text (process and user names,
// device names) is cut to these many characters unless --wide is given.
const (
	capProcess = 24
	capUser    = 16
	capAddress = 48
	capCmdline = 120
)

// tableOptions are how the text table prints.
type tableOptions struct {
	withRemote bool // --all: a REMOTE and a STATE column
	wide       bool // --wide: names whole, still escaped
}

func setupPorts(fs *flag.FlagSet) cli.Run {
	all := fs.Bool("all", false, "list every socket, connections included")
	asJSON := fs.Bool("json", false, "print one JSON array")
	wide := fs.Bool("wide", false, "print long names whole")
	return func(inv *cli.Invocation) error {
		scope := netinfo.Listening
		if *all {
			scope = netinfo.AllSockets
		}
		snap, err := netinfo.NewScanner().Snapshot(context.Background(), scope)
		if err != nil {
			return err
		}
		warnDegraded(inv.Stderr, snap)
		if *asJSON {
			return writeJSON(inv.Stdout, snap.Sockets)
		}
		return writeTable(inv.Stdout, snap.Sockets, tableOptions{withRemote: *all, wide: *wide})
	}
}

// warnDegraded says, in one line on stderr, that the fast way to read
// sockets failed this time.
func warnDegraded(stderr io.Writer, snap netinfo.Snapshot) {
	if snap.Degraded != nil {
		fmt.Fprintf(stderr, "loopscope: warning: %v\n", snap.Degraded)
	}
}

// writeJSON prints sockets as one JSON array, an object per line; never null.
func writeJSON(w io.Writer, sockets []netinfo.Socket) error {
	_, err := w.Write(netinfo.AppendJSON(nil, sockets))
	return err
}

// writeTable prints sockets as aligned columns. Every name from outside is
// escaped, so it cannot break a line, and capped unless opt.wide; columns
// are aligned by how wide they show on a terminal.
func writeTable(w io.Writer, sockets []netinfo.Socket, opt tableOptions) error {
	rows := make([][]string, 0, len(sockets)+1)
	if opt.withRemote {
		rows = append(rows, []string{"PROTO", "LOCAL ADDRESS", "PORT", "REMOTE", "STATE", "EXPOSURE", "SERVICE", "PID", "PROCESS", "USER"})
	} else {
		rows = append(rows, []string{"PROTO", "ADDRESS", "PORT", "EXPOSURE", "SERVICE", "PID", "PROCESS", "USER"})
	}
	for _, s := range sockets {
		pid, proc := ownerColumns(s, opt)
		addr := opt.cell(netinfo.AddressLabel(s), capAddress)
		exposure := string(s.Exposure)
		if s.Interface != "" {
			exposure += " (" + opt.cell(s.Interface, capAddress) + ")"
		}
		user := opt.cell(dash(s.User), capUser)
		port := strconv.Itoa(int(s.LocalPort))
		if opt.withRemote {
			rows = append(rows, []string{string(s.Proto), addr, port, remote(s), s.State, exposure, dash(s.Service), pid, proc, user})
		} else {
			rows = append(rows, []string{string(s.Proto), addr, port, exposure, dash(s.Service), pid, proc, user})
		}
	}
	return texttable.Write(w, rows)
}

// cell makes outside text safe for one table cell: escaped, and capped at
// n characters unless the table is wide.
func (opt tableOptions) cell(s string, n int) string {
	if opt.wide {
		return safetext.Escape(s)
	}
	return safetext.Line(s, n)
}

// ownerColumns renders the PID and process columns: the first holder and
// "+N more", or why no process is shown (never "0").
func ownerColumns(s netinfo.Socket, opt tableOptions) (pid, proc string) {
	if len(s.Holders) > 0 {
		proc = opt.cell(dash(s.Process), capProcess)
		if n := len(s.Holders) - 1; n > 0 {
			proc += fmt.Sprintf(" +%d more", n)
		}
		return strconv.Itoa(int(s.PID)), proc
	}
	if ph := s.PossibleHolders; s.NoProcess == netinfo.NoProcessHidden && len(ph) > 0 {
		// A process that changed user after binding: its files are closed
		// to us, but it is seen, so it is named, as a guess.
		more := ""
		if len(ph) > 1 {
			more = fmt.Sprintf(" +%d more", len(ph)-1)
		}
		return "-", fmt.Sprintf("(hidden: maybe %s, PID %d%s)", opt.cell(ph[0].Process, capProcess), ph[0].PID, more)
	}
	return "-", noProcessText(s)
}

// noProcessText says in a few words why no process is shown.
func noProcessText(s netinfo.Socket) string {
	switch s.NoProcess {
	case netinfo.NoProcessHidden:
		return "(hidden: run as root to see)"
	case netinfo.NoProcessQueued, netinfo.NoProcessHandshake, netinfo.NoProcessClosing:
		return "(none: " + s.NoProcess.Label() + ")"
	}
	return "(" + s.NoProcess.Label() + ")"
}

// remote is the other end, "[fd00::2]:40978" for IPv6.
func remote(s netinfo.Socket) string {
	if s.RemotePort == 0 {
		return "*"
	}
	return netip.AddrPortFrom(s.RemoteIP, s.RemotePort).String()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
