package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/loopscope/loopscope/netinfo"
)

// cmdPorts prints the machine's listening sockets, or with --all every socket.
func cmdPorts(args []string, stdout io.Writer) error {
	fs := newFlagSet("ports")
	all := fs.Bool("all", false, "list every socket, connections included")
	asJSON := fs.Bool("json", false, "print one JSON array")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	scope := netinfo.Listening
	if *all {
		scope = netinfo.AllSockets
	}
	snap, err := netinfo.NewScanner().Snapshot(context.Background(), scope)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(stdout, snap.Sockets)
	}
	return writeTable(stdout, snap.Sockets, *all)
}

// writeJSON prints sockets as one JSON array, an object per line; never null.
func writeJSON(w io.Writer, sockets []netinfo.Socket) error {
	_, err := w.Write(netinfo.AppendJSON(nil, sockets))
	return err
}

// writeTable prints sockets as aligned columns.
func writeTable(w io.Writer, sockets []netinfo.Socket, withRemote bool) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	if withRemote {
		fmt.Fprintln(tw, "PROTO\tLOCAL ADDRESS\tPORT\tREMOTE\tSTATE\tEXPOSURE\tSERVICE\tPID\tPROCESS\tUSER")
	} else {
		fmt.Fprintln(tw, "PROTO\tADDRESS\tPORT\tEXPOSURE\tSERVICE\tPID\tPROCESS\tUSER")
	}
	for _, s := range sockets {
		pid, proc := ownerColumns(s)
		exposure := string(s.Exposure)
		if s.Interface != "" {
			exposure += " (" + s.Interface + ")"
		}
		if withRemote {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", s.Proto, s.LocalIP, s.LocalPort,
				remote(s), s.State, exposure, dash(s.Service), pid, proc, dash(s.User))
		} else {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\n", s.Proto, s.LocalIP, s.LocalPort,
				exposure, dash(s.Service), pid, proc, dash(s.User))
		}
	}
	return tw.Flush()
}

// ownerColumns renders the PID and process columns, never "0" for a
// hidden owner.
func ownerColumns(s netinfo.Socket) (pid, proc string) {
	switch {
	case s.PID > 0:
		return strconv.Itoa(int(s.PID)), dash(s.Process)
	case s.OwnerHidden:
		return "-", "(hidden: run as root to see)"
	case s.State == "TIME_WAIT":
		return "-", "(none: closing)"
	}
	return "-", "(no process)"
}

func remote(s netinfo.Socket) string {
	if s.RemotePort == 0 {
		return "*"
	}
	return fmt.Sprintf("%s:%d", s.RemoteIP, s.RemotePort)
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// newFlagSet returns a flag set that reports errors to its caller rather
// than printing them, so that every usage error is one line.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// flagError turns a flag parse error into a usage error, or into a request
// for the help text for -h and --help.
func flagError(fs *flag.FlagSet, err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return errHelp
	}
	return usagef("%s: %v; run 'loopscope --help'", fs.Name(), err)
}

// parseInterspersed parses flags given before, between or after the
// positional arguments, and returns the positional ones.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for rest := args; ; {
		if err := fs.Parse(rest); err != nil {
			return nil, flagError(fs, err)
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		rest = fs.Args()[1:]
	}
}

// parseFlags parses args and refuses stray positional arguments.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return flagError(fs, err)
	}
	if fs.NArg() > 0 {
		return usagef("%s: unexpected argument %q; run 'loopscope --help'", fs.Name(), fs.Arg(0))
	}
	return nil
}
