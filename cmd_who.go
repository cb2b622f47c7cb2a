package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/loopscope/loopscope/internal/cli"
	"github.com/loopscope/loopscope/netinfo"
)

// portArg parses the PORT argument of who and free.
func portArg(cmd, arg string) (uint16, error) {
	// ":8080", as URLs and ss write it, is port 8080 too.
	port, err := netinfo.ParsePort(strings.TrimPrefix(strings.TrimSpace(arg), ":"))
	if err != nil {
		return 0, cli.Usagef("%s: %v", cmd, err)
	}
	return port, nil
}

// setupWho: the sockets listening on a port and every process holding
// them; exit 1 when nothing listens there.
func setupWho(fs *flag.FlagSet) cli.Run {
	asJSON := fs.Bool("json", false, "print one JSON array")
	wide := fs.Bool("wide", false, "print long names whole")
	return func(inv *cli.Invocation) error {
		port, err := portArg("who", inv.Args[0])
		if err != nil {
			return err
		}
		snap, err := netinfo.NewScanner().Snapshot(context.Background(), netinfo.Listening)
		if err != nil {
			return err
		}
		warnDegraded(inv.Stderr, snap)
		held := netinfo.ListenersOn(snap.Sockets, port)
		switch {
		case *asJSON:
			err = writeJSON(inv.Stdout, held)
		case len(held) > 0:
			opt := tableOptions{wide: *wide}
			if err = writeTable(inv.Stdout, held, opt); err == nil {
				err = writeHolders(inv.Stdout, held, opt)
			}
		default:
			_, err = fmt.Fprintf(inv.Stdout, "nothing listens on port %d\n", port)
			if all, serr := netinfo.NewScanner().Snapshot(context.Background(), netinfo.AllSockets); serr == nil && err == nil {
				if note := netinfo.Lingering(all.Sockets, port); note != "" {
					_, err = fmt.Fprintln(inv.Stdout, note)
				}
			}
		}
		if err == nil && len(held) == 0 {
			err = cli.ErrFailedQuietly
		}
		return err
	}
}

// writeHolders lists every process that holds the sockets, with its
// executable, command line and the sockets it holds, and says why a
// socket shows none.
func writeHolders(w io.Writer, sockets []netinfo.Socket, opt tableOptions) error {
	type held struct {
		owner   netinfo.Owner
		sockets []string
	}
	var holders []*held
	var notes []string
	for _, s := range sockets {
		name := fmt.Sprintf("%s %s", s.Proto, netinfo.AddressLabel(s))
		for _, h := range s.Holders {
			i := slices.IndexFunc(holders, func(x *held) bool { return x.owner.PID == h.PID })
			if i < 0 {
				holders = append(holders, &held{owner: h})
				i = len(holders) - 1
			}
			holders[i].sockets = append(holders[i].sockets, name)
		}
		if len(s.Holders) == 0 && !slices.Contains(notes, s.OwnerNote) {
			notes = append(notes, s.OwnerNote)
		}
	}
	slices.SortFunc(holders, func(a, b *held) int { return int(a.owner.PID - b.owner.PID) })
	fmt.Fprintln(w, "\nHeld by:")
	for _, h := range holders {
		o := h.owner
		fmt.Fprintf(w, "  %s (PID %d, user %s, started %s) on %s\n", opt.cell(dash(o.Process), capProcess*2), o.PID,
			opt.cell(dash(o.User), capUser*2), o.Started.Format("2006-01-02 15:04:05"), opt.cell(strings.Join(h.sockets, ", "), capCmdline))
		fmt.Fprintf(w, "      executable: %s\n      command:    %s\n", opt.cell(dash(o.Exe), capCmdline), opt.cell(dash(o.Cmdline), capCmdline))
	}
	for _, n := range notes {
		if _, err := fmt.Fprintf(w, "  %s\n", opt.cell(n, 1000)); err != nil {
			return err
		}
	}
	return nil
}
