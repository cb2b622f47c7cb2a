package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/loopscope/loopscope/netinfo"
)

// portArg parses the single PORT argument of who and free.
func portArg(cmd string, pos []string) (uint16, error) {
	if len(pos) != 1 {
		return 0, usagef("%s: give exactly one PORT (got %d); run 'loopscope --help'", cmd, len(pos))
	}
	port, err := netinfo.ParsePort(pos[0])
	if err != nil {
		return 0, usagef("%s: %v", cmd, err)
	}
	return port, nil
}

// cmdWho prints the sockets listening on a port and their owners; it
// exits 1 when nothing listens there.
func cmdWho(args []string, stdout io.Writer) error {
	fs := newFlagSet("who")
	asJSON := fs.Bool("json", false, "print one JSON array")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	port, err := portArg("who", pos)
	if err != nil {
		return err
	}
	snap, err := netinfo.NewScanner().Snapshot(context.Background(), netinfo.Listening)
	if err != nil {
		return err
	}
	held := netinfo.ListenersOn(snap.Sockets, port)
	if *asJSON {
		if err := writeJSON(stdout, held); err != nil {
			return err
		}
	} else if len(held) > 0 {
		if err := writeTable(stdout, held, false); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(stdout, "nothing listens on port %d\n", port)
	}
	if len(held) == 0 {
		return errNothingFound
	}
	return nil
}

// freeOptions are free's flags and where it talks to the user.
type freeOptions struct {
	force, yes bool
	in         io.Reader
	out        io.Writer
	terminal   bool // in is a terminal, so questions can be asked
}

// cmdFree ends the processes listening on a port, after the same checks
// and confirmation as the window, and exits 0 when the port is free.
func cmdFree(args []string, stdout io.Writer) error {
	fs := newFlagSet("free")
	force := fs.Bool("force", false, "end it with SIGKILL if SIGTERM is not enough")
	yes := fs.Bool("yes", false, "do not ask for confirmation")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	port, err := portArg("free", pos)
	if err != nil {
		return err
	}
	opt := freeOptions{force: *force, yes: *yes, in: os.Stdin, out: stdout, terminal: isTerminal(os.Stdin)}
	return freePort(context.Background(), netinfo.NewScanner(), netinfo.NewTerminator(nil), port, opt)
}

func freePort(ctx context.Context, sc *netinfo.Scanner, term *netinfo.Terminator, port uint16, opt freeOptions) error {
	snap, err := sc.Snapshot(ctx, netinfo.AllSockets)
	if err != nil {
		return err
	}
	owners := ownersOf(netinfo.ListenersOn(snap.Sockets, port))
	if len(owners) == 0 {
		fmt.Fprintf(opt.out, "port %d is free: nothing listens on it\n", port)
		return nil
	}
	for _, o := range owners {
		if err := term.Check(o); err != nil {
			return fmt.Errorf("will not end %s on port %d: %w", ownerName(o), port, err)
		}
	}
	for _, o := range owners {
		if err := endOwner(ctx, term, o, netinfo.SocketsOf(snap.Sockets, o.PID), opt); err != nil {
			return err
		}
	}
	return reportFree(ctx, sc, port, opt.out)
}

// endOwner asks, sends SIGTERM, and escalates to SIGKILL only with --force.
func endOwner(ctx context.Context, term *netinfo.Terminator, o netinfo.Owner, held []netinfo.Socket, opt freeOptions) error {
	fmt.Fprint(opt.out, describeOwner(o, held))
	how := "End it with SIGTERM (it may save and exit cleanly)?"
	if netinfo.ForcedOnly {
		how = "End it? On this OS that is forced: it cannot save anything first."
	}
	if err := confirm(opt, how); err != nil {
		return err
	}
	if err := term.Signal(o, false); err != nil {
		return err
	}
	if term.WaitExit(ctx, o, netinfo.GracefulTimeout) {
		fmt.Fprintf(opt.out, "%s (PID %d) exited.\n", o.Process, o.PID)
		return nil
	}
	if !opt.force {
		return fmt.Errorf("%s (PID %d) still runs %s after SIGTERM; run again with --force to end it with SIGKILL", o.Process, o.PID, netinfo.GracefulTimeout)
	}
	if err := confirm(opt, "It still runs. Force it with SIGKILL (it cannot clean up)?"); err != nil {
		return err
	}
	if err := term.Signal(o, true); err != nil {
		return err
	}
	if !term.WaitExit(ctx, o, netinfo.GracefulTimeout) {
		return fmt.Errorf("%s (PID %d) still runs after SIGKILL", o.Process, o.PID)
	}
	fmt.Fprintf(opt.out, "%s (PID %d) was killed.\n", o.Process, o.PID)
	return nil
}

// reportFree rescans and says whether the port is free now.
func reportFree(ctx context.Context, sc *netinfo.Scanner, port uint16, out io.Writer) error {
	still, err := sc.WaitFree(ctx, port, time.Second)
	if err != nil {
		return err
	}
	if len(still) > 0 {
		o := still[0].Owner
		return fmt.Errorf("port %d is still held by %s (PID %d)", port, dash(o.Process), o.PID)
	}
	fmt.Fprintf(out, "port %d is free now\n", port)
	return nil
}

// confirm asks a yes/no question unless --yes was given.
func confirm(opt freeOptions, question string) error {
	if opt.yes {
		return nil
	}
	if !opt.terminal {
		return errors.New("not asking on a non-terminal: pass --yes to confirm")
	}
	fmt.Fprintf(opt.out, "%s [y/N] ", question)
	answer, _ := bufio.NewReader(opt.in).ReadString('\n')
	if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
		return errors.New("cancelled; nothing was sent")
	}
	return nil
}

// ownersOf returns the distinct owners of sockets, in order.
func ownersOf(sockets []netinfo.Socket) []netinfo.Owner {
	var out []netinfo.Owner
	seen := map[int32]bool{}
	for _, s := range sockets {
		if !seen[s.PID] || s.PID == 0 {
			seen[s.PID] = true
			out = append(out, s.Owner)
		}
	}
	return out
}

// ownerName is "python3 (PID 5864)", or "its owner" when there is no process.
func ownerName(o netinfo.Owner) string {
	if o.PID <= 0 {
		return "its owner"
	}
	return fmt.Sprintf("%s (PID %d)", dash(o.Process), o.PID)
}

// describeOwner says who would be ended and what else goes with it.
func describeOwner(o netinfo.Owner, held []netinfo.Socket) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (PID %d, user %s, started %s)\n", o.Process, o.PID, dash(o.User), o.Started.Format("2006-01-02 15:04:05"))
	fmt.Fprintf(&b, "  command: %s\n", dash(o.Cmdline))
	if n := len(held) - 1; n > 0 {
		fmt.Fprintf(&b, "  this also closes %d other socket%s it holds\n", n, plural(n))
	}
	return b.String()
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// isTerminal reports whether f is an interactive terminal (not merely a
// character device such as /dev/null).
func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }
