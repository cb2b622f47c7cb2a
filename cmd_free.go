package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/loopscope/loopscope/internal/cli"
	"github.com/loopscope/loopscope/netinfo"
)

// freeOptions are free's flags and where it talks to the user.
type freeOptions struct {
	force, yes bool
	in         *bufio.Reader
	out        io.Writer
	errOut     io.Writer // for warnings; nil drops them
	terminal   bool      // in is a terminal, so questions can be asked
}

// snapshotter reads the sockets: netinfo's Scanner, or a test's.
type snapshotter interface {
	Snapshot(ctx context.Context, scope netinfo.Scope) (netinfo.Snapshot, error)
}

// setupFree: end every process listening on a port, after the same checks
// and confirmation as the window, and exit 0 when the port is free.
func setupFree(fs *flag.FlagSet) cli.Run {
	force := fs.Bool("force", false, "end it with SIGKILL if SIGTERM is not enough")
	yes := fs.Bool("yes", false, "do not ask for confirmation")
	return func(inv *cli.Invocation) error {
		port, err := portArg("free", inv.Args[0])
		if err != nil {
			return err
		}
		opt := freeOptions{force: *force, yes: *yes, in: bufio.NewReader(os.Stdin), out: inv.Stdout, errOut: inv.Stderr, terminal: isTerminal(os.Stdin)}
		return freePort(context.Background(), netinfo.NewScanner(), netinfo.NewTerminator(nil), port, opt)
	}
}

// freePort follows netinfo's end plan: name everyone who holds the port,
// ask, SIGTERM, SIGKILL only with --force (and asked again), and say from
// a fresh scan whether the port is free.
func freePort(ctx context.Context, sc snapshotter, t *netinfo.Terminator, port uint16, opt freeOptions) error {
	snap, err := sc.Snapshot(ctx, netinfo.AllSockets)
	if err != nil {
		return err
	}
	if opt.errOut != nil {
		warnDegraded(opt.errOut, snap)
	}
	plan, err := t.PlanPort(snap.Sockets, port)
	switch {
	case errors.Is(err, netinfo.ErrNothingListens):
		fmt.Fprintf(opt.out, "port %d is free: nothing listens on it\n", port)
		lingering(ctx, sc, opt, []uint16{port})
		return nil
	case err != nil:
		return fmt.Errorf("port %d: %w", port, err)
	}
	fmt.Fprintf(opt.out, "%s\n\n%s\n", plan.Title(), plan.Confirmation())
	if err := confirm(opt, "Go ahead?"); err != nil {
		return err
	}
	outcome := t.End(ctx, plan.Owners(), false, nil)
	report(opt.out, outcome, false)
	if len(outcome.Running) > 0 {
		if !opt.force {
			return fmt.Errorf("%s still running %d s after SIGTERM; run again with --force to end it with SIGKILL", ownerList(outcome.Running), int(netinfo.GracefulTimeout.Seconds()))
		}
		_, text := netinfo.ForceQuestion(outcome.Running)
		fmt.Fprintf(opt.out, "%s\n", text)
		if err := confirm(opt, "Force it?"); err != nil {
			return err
		}
		forced := t.End(ctx, outcome.Running, true, nil)
		report(opt.out, forced, true)
		if len(forced.Running) > 0 {
			return fmt.Errorf("%s still running after SIGKILL; it may be stuck in the kernel", ownerList(forced.Running))
		}
		outcome.Err = errors.Join(outcome.Err, forced.Err)
	}
	now, err := netinfo.WaitPortsFree(ctx, sc.Snapshot, plan.Ports(), time.Second)
	if err != nil {
		return err
	}
	text, free := plan.Aftermath(now)
	if !free {
		return errors.Join(outcome.Err, errors.New(lowerFirst(strings.ReplaceAll(text, "\n", "; "))))
	}
	fmt.Fprintln(opt.out, lowerFirst(text))
	lingering(ctx, sc, opt, plan.Ports())
	return nil
}

// lingering adds what still uses the freed ports, when something does: a
// port nothing listens on can still refuse a server that does not set
// SO_REUSEADDR. One scan serves every port.
func lingering(ctx context.Context, sc snapshotter, opt freeOptions, ports []uint16) {
	all, err := sc.Snapshot(ctx, netinfo.AllSockets)
	if err != nil {
		return
	}
	for _, port := range ports {
		if note := netinfo.Lingering(all.Sockets, port); note != "" {
			fmt.Fprintln(opt.out, note)
		}
	}
}

// report says which processes ended, and which had already exited.
func report(w io.Writer, o netinfo.EndOutcome, forced bool) {
	for _, line := range o.Report(forced) {
		fmt.Fprintln(w, line)
	}
}

func ownerTitle(o netinfo.Owner) string {
	return fmt.Sprintf("%s (PID %d)", tableOptions{}.cell(dash(o.Process), capProcess), o.PID)
}

func ownerList(os []netinfo.Owner) string {
	names := make([]string, len(os))
	for i, o := range os {
		names[i] = ownerTitle(o)
	}
	return strings.Join(names, ", ") + " is"
}

// lowerFirst turns "Port 80 is free now." into "port 80 is free now", the
// form of the command line's messages.
func lowerFirst(s string) string {
	s = strings.TrimSuffix(s, ".")
	if s != "" && s[0] >= 'A' && s[0] <= 'Z' {
		s = string(s[0]+'a'-'A') + s[1:]
	}
	return s
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
	answer, _ := opt.in.ReadString('\n')
	if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
		return errors.New("cancelled; nothing was sent")
	}
	return nil
}

// isTerminal reports whether f is an interactive terminal (not merely a
// character device such as /dev/null).
func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }
