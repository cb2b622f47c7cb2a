package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"slices"

	"github.com/loopscope/loopscope/internal/cli"
	"github.com/loopscope/loopscope/netinfo"
)

// portArg parses the PORT argument of who and free.
func portArg(cmd, arg string) (uint16, error) {
	port, err := netinfo.ParsePort(arg)
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
		}
		if err == nil && len(held) == 0 {
			err = cli.ErrFailedQuietly
		}
		return err
	}
}

// writeHolders lists every process that holds the sockets, with its
// command line, and says why a socket shows none.
func writeHolders(w io.Writer, sockets []netinfo.Socket, opt tableOptions) error {
	var seen []int32
	var notes []string
	fmt.Fprintln(w, "\nHeld by:")
	for _, s := range sockets {
		for _, h := range s.Holders {
			if slices.Contains(seen, h.PID) {
				continue
			}
			seen = append(seen, h.PID)
			fmt.Fprintf(w, "  %s (PID %d, user %s, started %s)\n      %s\n", opt.cell(dash(h.Process), capProcess*2), h.PID,
				opt.cell(dash(h.User), capUser*2), h.Started.Format("2006-01-02 15:04:05"), opt.cell(dash(h.Cmdline), capCmdline))
		}
		if len(s.Holders) == 0 && !slices.Contains(notes, s.OwnerNote) {
			notes = append(notes, s.OwnerNote)
		}
	}
	for _, n := range notes {
		if _, err := fmt.Fprintf(w, "  %s\n", opt.cell(n, 1000)); err != nil {
			return err
		}
	}
	return nil
}
