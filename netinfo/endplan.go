package netinfo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/loopscope/loopscope/internal/safetext"
)

// ErrNothingListens is returned when a port has no listener to end.
var ErrNothingListens = errors.New("nothing listens on that port")

// EndPlan is everything that ending a port's holders (or one process)
// involves, worked out before anything is sent: who will be ended, what
// they hold, and the words that ask and tell. The command line and the
// window both follow it, so they cannot drift apart.
type EndPlan struct {
	// Port is the port to free; 0 when the plan is for one process.
	Port uint16
	// Targets are the processes to end, lowest PID first.
	Targets []EndTarget
}

// EndTarget is one process to end and what goes with it.
type EndTarget struct {
	Owner     Owner
	Listening []Socket // the sockets it listens on
	Others    int      // its other sockets (connections), which close with it
}

// PlanPort plans ending every process that listens on port, over TCP or
// UDP. sockets should be a snapshot of AllSockets, so that the plan can
// count the connections that close too. It returns ErrNothingListens, or
// an error wrapping ErrRefused that says why one of them may not be ended.
func (t *Terminator) PlanPort(sockets []Socket, port uint16) (EndPlan, error) {
	listeners := ListenersOn(sockets, port)
	if len(listeners) == 0 {
		return EndPlan{}, fmt.Errorf("%w: port %d", ErrNothingListens, port)
	}
	var owners []Owner
	for _, s := range listeners {
		if err := t.checkSocket(s); err != nil {
			return EndPlan{}, err
		}
		owners = append(owners, s.Holders...)
	}
	return t.plan(sockets, port, owners)
}

// PlanSocket plans ending every holder of the socket s (a row of the
// Listening Ports tab).
func (t *Terminator) PlanSocket(sockets []Socket, s Socket) (EndPlan, error) {
	return t.PlanSockets(sockets, []Socket{s})
}

// PlanSockets plans ending every holder of every socket in targets (the
// selected rows of the Listening Ports tab). When they all listen on one
// port, the plan frees that port.
func (t *Terminator) PlanSockets(sockets, targets []Socket) (EndPlan, error) {
	var owners []Owner
	port := uint16(0)
	for i, s := range targets {
		if err := t.checkSocket(s); err != nil {
			return EndPlan{}, err
		}
		owners = append(owners, s.Holders...)
		switch {
		case !s.Listening() || i > 0 && s.LocalPort != port:
			port = 0
		case i == 0:
			port = s.LocalPort
		}
	}
	return t.plan(sockets, port, owners)
}

// PlanProcess plans ending the process o (a row of the Processes tab).
func (t *Terminator) PlanProcess(sockets []Socket, o Owner) (EndPlan, error) {
	return t.PlanProcesses(sockets, []Owner{o})
}

// PlanProcesses plans ending every process in owners (the selected rows of
// the Processes tab).
func (t *Terminator) PlanProcesses(sockets []Socket, owners []Owner) (EndPlan, error) {
	// The owners first: ending Loopscope's own row is refused as
	// Loopscope, not for whichever of its server ports comes first.
	for _, o := range owners {
		if err := t.Check(o); err != nil {
			return EndPlan{}, fmt.Errorf("will not end %s: %w", ownerName(o), err)
		}
	}
	for _, s := range sockets {
		if t.protected == nil || !t.protected(s) {
			continue
		}
		for _, o := range owners {
			if s.HeldBy(o.PID) {
				return EndPlan{}, t.checkSocket(s)
			}
		}
	}
	return t.plan(sockets, 0, owners)
}

// plan checks every owner and gathers what each holds.
func (t *Terminator) plan(sockets []Socket, port uint16, owners []Owner) (EndPlan, error) {
	p := EndPlan{Port: port}
	slices.SortFunc(owners, func(a, b Owner) int { return int(a.PID - b.PID) })
	owners = slices.CompactFunc(owners, func(a, b Owner) bool { return a.PID == b.PID })
	for _, o := range owners {
		if err := t.Check(o); err != nil {
			return EndPlan{}, fmt.Errorf("will not end %s: %w", ownerName(o), err)
		}
		target := EndTarget{Owner: o}
		for _, s := range sockets {
			switch {
			case !s.HeldBy(o.PID):
			case s.Listening():
				target.Listening = append(target.Listening, s)
			default:
				target.Others++
			}
		}
		p.Targets = append(p.Targets, target)
	}
	return p, nil
}

// Ports are the ports the plan's processes listen on, in order: the ones
// that should be free afterwards.
func (p EndPlan) Ports() []uint16 {
	var out []uint16
	for _, t := range p.Targets {
		for _, s := range t.Listening {
			out = append(out, s.LocalPort)
		}
	}
	if p.Port != 0 {
		out = append(out, p.Port)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Owners are the processes the plan ends.
func (p EndPlan) Owners() []Owner {
	out := make([]Owner, len(p.Targets))
	for i, t := range p.Targets {
		out[i] = t.Owner
	}
	return out
}

// Subject names what the plan ends: "nginx (PID 812)", or "3 processes
// that hold port 8080".
func (p EndPlan) Subject() string {
	if len(p.Targets) == 1 {
		return ownerName(p.Targets[0].Owner)
	}
	if p.Port != 0 {
		return fmt.Sprintf("%d processes that hold port %d", len(p.Targets), p.Port)
	}
	return fmt.Sprintf("%d processes", len(p.Targets))
}

// Title is the question's headline: "End nginx (PID 812)?".
func (p EndPlan) Title() string { return "End " + p.Subject() + "?" }

// Confirmation names every process the plan ends, with its user, start
// time, command line and sockets, and says how it will be ended.
// confirmCommandCap is how much of a command line the question shows:
// enough to tell two python3 servers apart by their arguments (the
// window's dialog scrolls), not a 100 KB command line.
const confirmCommandCap = 2000

func (p EndPlan) Confirmation() string {
	var b strings.Builder
	if len(p.Targets) > 1 && p.Port != 0 {
		fmt.Fprintf(&b, "Port %d is held by %d processes (a program and the processes it started share it); all of them must end to free it.\n\n", p.Port, len(p.Targets))
	}
	for i, t := range p.Targets {
		if i > 0 {
			b.WriteString("\n")
		}
		o := t.Owner
		fmt.Fprintf(&b, "%s · PID %d · user %s · started %s\n", safeName(o.Process), o.PID, safeName(o.User), o.Started.Format("2006-01-02 15:04:05"))
		fmt.Fprintf(&b, "  Executable: %s\n", safetext.Line(dashIfEmpty(o.Exe), 400))
		fmt.Fprintf(&b, "  Command: %s\n", safetext.Line(dashIfEmpty(o.Cmdline), confirmCommandCap))
		if len(t.Listening) > 0 {
			fmt.Fprintf(&b, "  Listens on %s.\n", listenList(t.Listening))
		}
		if t.Others > 0 {
			fmt.Fprintf(&b, "  This also closes %d other connection%s.\n", t.Others, plural(t.Others))
		}
	}
	b.WriteString("\n")
	if ForcedOnly {
		b.WriteString("On this system a process can only be ended by force: it cannot save or clean up first.")
	} else {
		fmt.Fprintf(&b, "Loopscope sends SIGTERM, which lets a program exit cleanly. If one still runs after %d s, you can force it with SIGKILL.", int(GracefulTimeout.Seconds()))
	}
	return b.String()
}

// listenList is "TCP 127.0.0.1:8080, UDP [::]:5353", capped at six.
func listenList(ss []Socket) string {
	var parts []string
	for _, s := range ss[:min(len(ss), 6)] {
		parts = append(parts, fmt.Sprintf("%s %s:%d", strings.ToUpper(string(s.Proto)), bracketed(s), s.LocalPort))
	}
	if len(ss) > 6 {
		parts = append(parts, fmt.Sprintf("%d more", len(ss)-6))
	}
	return strings.Join(parts, ", ")
}

func bracketed(s Socket) string {
	a := AddressLabel(Socket{LocalIP: s.LocalIP, Device: s.Device})
	if s.LocalIP.Is6() {
		return "[" + a + "]"
	}
	return a
}

// EndOutcome is what happened to the targets after a round of signals.
type EndOutcome struct {
	Exited  []Owner // ended by the signal
	Gone    []Owner // had already exited before the signal (nothing was sent)
	Running []Owner // still running when the wait ran out
	Err     error   // signals the OS refused (another user's process), joined
}

// Progress is told, about every 100 ms while processes are given time to
// exit, which still run and how long Loopscope has waited.
type Progress func(running []Owner, waited time.Duration)

// End signals every owner (SIGTERM, or SIGKILL with force) and waits up
// to GracefulTimeout for them to exit. An owner that exited by itself in
// the meantime counts as Gone, not as a failure.
func (t *Terminator) End(ctx context.Context, owners []Owner, force bool, progress Progress) EndOutcome {
	var out EndOutcome
	var sent []Owner
	var errs []error
	for _, o := range owners {
		switch err := t.Signal(o, force); {
		case err == nil:
			sent = append(sent, o)
		case errors.Is(err, ErrExited):
			out.Gone = append(out.Gone, o)
		default:
			errs = append(errs, err)
		}
	}
	out.Err = errors.Join(errs...)
	start := time.Now()
	for len(sent) > 0 {
		still := sent[:0:0]
		for _, o := range sent {
			if t.Running(o) {
				still = append(still, o)
			} else {
				out.Exited = append(out.Exited, o)
			}
		}
		sent = still
		waited := time.Since(start)
		if len(sent) == 0 || waited >= GracefulTimeout || ctx.Err() != nil {
			break
		}
		if progress != nil {
			progress(sent, waited)
		}
		time.Sleep(100 * time.Millisecond)
	}
	out.Running = sent
	return out
}

// Report says what happened to each owner, lowest PID first: "nginx (PID
// 10) exited." ("was killed." after SIGKILL), or that it had already
// exited and nothing was sent. The window and the command line say it in
// the same words.
func (o EndOutcome) Report(forced bool) []string {
	verb := "exited."
	if forced {
		verb = "was killed."
	}
	var lines []string
	for _, x := range dedupeOwners(slices.Clone(o.Exited)) {
		lines = append(lines, ownerName(x)+" "+verb)
	}
	for _, x := range dedupeOwners(slices.Clone(o.Gone)) {
		lines = append(lines, ownerName(x)+" had already exited; nothing was sent to it.")
	}
	return lines
}

// ForceQuestion asks whether to SIGKILL the owners still running after SIGTERM.
func ForceQuestion(running []Owner) (title, text string) {
	names := ownerNames(running)
	verb := "still runs"
	if len(running) > 1 {
		verb = "still run"
	}
	return "Force " + names + " to end?", fmt.Sprintf("%s %s %d s after SIGTERM.\n\nForcing with SIGKILL ends at once: the program cannot save or clean up.", names, verb, int(GracefulTimeout.Seconds()))
}

// Aftermath says, from a fresh snapshot's sockets, which of the plan's
// ports are free now and who holds the others, naming every holder the
// fresh scan found (never one that has exited). free is set when every
// port is free.
func (p EndPlan) Aftermath(now []Socket) (text string, free bool) {
	free = true
	var lines []string
	for _, port := range p.Ports() {
		var holders []Owner
		held := false
		for _, s := range ListenersOn(now, port) {
			held = true
			holders = append(holders, s.Holders...)
		}
		switch {
		case !held:
			lines = append(lines, fmt.Sprintf("Port %d is free now.", port))
		case len(holders) == 0:
			free = false
			lines = append(lines, fmt.Sprintf("Port %d is still held, by a process hidden from you.", port))
		default:
			free = false
			lines = append(lines, fmt.Sprintf("Port %d is still held by %s.", port, ownerNames(dedupeOwners(holders))))
		}
	}
	return strings.Join(lines, "\n"), free
}

// WaitPortsFree rescans until none of ports has a listener or timeout
// passes, and returns the listening sockets of the last scan. A process
// that has just been killed may hold its sockets a moment longer than it
// takes to look exited (its other threads are still tearing down).
func (s *Scanner) WaitPortsFree(ctx context.Context, ports []uint16, timeout time.Duration) ([]Socket, error) {
	return WaitPortsFree(ctx, s.Snapshot, ports, timeout)
}

// WaitPortsFree is Scanner.WaitPortsFree for any source of snapshots.
func WaitPortsFree(ctx context.Context, snapshot func(context.Context, Scope) (Snapshot, error), ports []uint16, timeout time.Duration) ([]Socket, error) {
	deadline := time.Now().Add(timeout)
	for {
		snap, err := snapshot(ctx, Listening)
		if err != nil {
			return nil, err
		}
		busy := slices.ContainsFunc(ports, func(p uint16) bool { return len(ListenersOn(snap.Sockets, p)) > 0 })
		if !busy || time.Now().After(deadline) {
			return snap.Sockets, nil
		}
		select {
		case <-ctx.Done():
			return snap.Sockets, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// ownerName is "python3 (PID 5864)".
func ownerName(o Owner) string {
	if o.PID <= 0 {
		return "its owner"
	}
	return fmt.Sprintf("%s (PID %d)", safeName(o.Process), o.PID)
}

// ownerNames is "nginx (PID 10), nginx (PID 11) and 2 more".
func ownerNames(os []Owner) string {
	names := make([]string, 0, 4)
	for _, o := range os[:min(len(os), 3)] {
		names = append(names, ownerName(o))
	}
	s := strings.Join(names, ", ")
	if len(os) > 3 {
		s += fmt.Sprintf(" and %d more", len(os)-3)
	}
	return s
}

func dedupeOwners(os []Owner) []Owner {
	slices.SortFunc(os, func(a, b Owner) int { return int(a.PID - b.PID) })
	return slices.CompactFunc(os, func(a, b Owner) bool { return a.PID == b.PID })
}

func dashIfEmpty(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
