package gui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/loopscope/loopscope/netinfo"
)

// terminator ends processes; *netinfo.Terminator is the real one.
type terminator interface {
	Check(netinfo.Owner) error
	Signal(o netinfo.Owner, force bool) error
	WaitExit(ctx context.Context, o netinfo.Owner, timeout time.Duration) bool
}

// ender runs "end the process that holds a port" for every tab: check,
// confirm with everything it holds, SIGTERM, offer SIGKILL, then say which
// ports are free.
type ender struct {
	w         fyne.Window
	term      terminator
	src       SnapshotSource
	ctx       context.Context
	onChanged func() // asks the tabs to refresh now

	// ask and tell talk to the user; nil means Fyne dialogs. Tests answer
	// for the user through them.
	ask  func(title, confirm, dismiss, text string, answer func(bool))
	tell func(title, text string)
}

// question shows a confirmation; answer runs with the user's choice.
func (e *ender) question(title, confirm, dismiss, text string, answer func(bool)) {
	if e.ask != nil {
		e.ask(title, confirm, dismiss, text, answer)
		return
	}
	msg := widget.NewLabel(text)
	msg.Wrapping = fyne.TextWrapWord
	body := container.NewGridWrap(fyne.NewSize(520, msg.MinSize().Height*1.1), msg)
	dialog.NewCustomConfirm(title, confirm, dismiss, body, answer, e.w).Show()
}

// inform shows an outcome.
func (e *ender) inform(title, text string) {
	if e.tell != nil {
		e.tell(title, text)
		return
	}
	dialog.ShowInformation(title, text, e.w)
}

// endPlan is what the confirmation shows: the process and its sockets.
type endPlan struct {
	owner netinfo.Owner
	held  []netinfo.Socket
}

// ports are the listening ports the process holds, in order.
func (p endPlan) ports() []uint16 {
	var out []uint16
	for _, s := range p.held {
		if s.Listening() && !slices.Contains(out, s.LocalPort) {
			out = append(out, s.LocalPort)
		}
	}
	slices.Sort(out)
	return out
}

// start begins ending o: refusals show at once; otherwise the process's
// sockets are read off the UI goroutine and a confirmation opens.
func (e *ender) start(o netinfo.Owner) {
	if err := e.term.Check(o); err != nil {
		showError(e.w, fmt.Errorf("Cannot end %s: %w", ownerTitle(netinfo.Socket{Owner: o}), err))
		return
	}
	go func() {
		plan := endPlan{owner: o}
		if snap, err := e.src.Snapshot(e.ctx, netinfo.AllSockets); err == nil {
			plan.held = netinfo.SocketsOf(snap.Sockets, o.PID)
		}
		fyne.Do(func() { e.confirm(plan) })
	}()
}

func (e *ender) confirm(plan endPlan) {
	action := "End process"
	if netinfo.ForcedOnly {
		action = "End process (forced)"
	}
	e.question("End "+plan.owner.Process+"?", action, "Cancel", confirmText(plan), func(ok bool) {
		if ok {
			e.signal(plan, false)
		}
	})
}

// confirmText names the process and everything that goes with it.
func confirmText(plan endPlan) string {
	o := plan.owner
	var b strings.Builder
	fmt.Fprintf(&b, "%s · PID %d · user %s\nStarted %s\nCommand: %s\n", o.Process, o.PID, orDash(o.User),
		o.Started.Format("2006-01-02 15:04:05"), orDash(o.Cmdline))
	if ports := plan.ports(); len(ports) > 0 {
		fmt.Fprintf(&b, "\nIt listens on %s.", joinPorts(ports))
	}
	if others := len(plan.held) - countListening(plan.held); others > 0 {
		fmt.Fprintf(&b, " This also closes %d other connection%s.", others, plural(others))
	}
	if netinfo.ForcedOnly {
		b.WriteString("\n\nOn this system a process can only be ended by force: it cannot save or clean up first.")
	} else {
		b.WriteString("\n\nLoopscope sends SIGTERM, which lets the program exit cleanly. If it still runs after 3 seconds you can force it.")
	}
	return b.String()
}

// signal sends the signal and waits off the UI goroutine.
func (e *ender) signal(plan endPlan, force bool) {
	go func() {
		err := e.term.Signal(plan.owner, force)
		exited := err == nil && e.term.WaitExit(e.ctx, plan.owner, netinfo.GracefulTimeout)
		fyne.Do(func() {
			switch {
			case err != nil:
				showError(e.w, endError(plan.owner, err))
			case exited:
				e.after(plan)
			case force || netinfo.ForcedOnly:
				showError(e.w, fmt.Errorf("%s (PID %d) still runs after being killed; it may be stuck in the kernel", plan.owner.Process, plan.owner.PID))
			default:
				e.offerForce(plan)
			}
		})
	}()
}

func endError(o netinfo.Owner, err error) error {
	if errors.Is(err, netinfo.ErrExited) {
		return fmt.Errorf("%s (PID %d) already exited; nothing was sent. The list refreshes in a moment", o.Process, o.PID)
	}
	return err
}

// offerForce is the second, explicit confirmation for SIGKILL.
func (e *ender) offerForce(plan endPlan) {
	text := fmt.Sprintf("%s (PID %d) still runs %s after SIGTERM.\n\nForcing it with SIGKILL ends it at once: it cannot save or clean up.",
		plan.owner.Process, plan.owner.PID, netinfo.GracefulTimeout)
	e.question("Force "+plan.owner.Process+" to end?", "Force (SIGKILL)", "Leave it running", text, func(ok bool) {
		if ok {
			e.signal(plan, true)
		}
	})
}

// after rescans and says which ports are free now.
func (e *ender) after(plan endPlan) {
	go func() {
		now, err := waitPortsFree(e.ctx, e.src, plan.ports(), time.Second)
		msg := freedMessage(plan, now, err)
		fyne.Do(func() {
			e.inform(plan.owner.Process+" has ended", msg)
			if e.onChanged != nil {
				e.onChanged()
			}
		})
	}()
}

// waitPortsFree rescans until none of ports has a listener or timeout
// passes: a killed process may hold its sockets a moment after it looks
// exited. It returns the listening sockets of the last scan.
func waitPortsFree(ctx context.Context, src SnapshotSource, ports []uint16, timeout time.Duration) ([]netinfo.Socket, error) {
	deadline := time.Now().Add(timeout)
	for {
		snap, err := src.Snapshot(ctx, netinfo.Listening)
		if err != nil {
			return nil, err
		}
		busy := slices.ContainsFunc(ports, func(p uint16) bool { return len(netinfo.ListenersOn(snap.Sockets, p)) > 0 })
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

// freedMessage says, after the process ended, which of its ports are free
// and who holds the others now.
func freedMessage(plan endPlan, now []netinfo.Socket, err error) string {
	head := fmt.Sprintf("%s (PID %d) has exited.", plan.owner.Process, plan.owner.PID)
	if err != nil {
		return head + " Could not check its ports: " + err.Error()
	}
	var lines []string
	for _, p := range plan.ports() {
		if held := netinfo.ListenersOn(now, p); len(held) > 0 {
			lines = append(lines, fmt.Sprintf("Port %d is still held by %s.", p, ownerTitle(held[0])))
		} else {
			lines = append(lines, fmt.Sprintf("Port %d is free now.", p))
		}
	}
	return strings.Join(append([]string{head}, lines...), "\n")
}

func countListening(ss []netinfo.Socket) int {
	n := 0
	for _, s := range ss {
		if s.Listening() {
			n++
		}
	}
	return n
}

func joinPorts(ports []uint16) string {
	parts := make([]string, len(ports))
	for i, p := range ports {
		parts[i] = fmt.Sprintf("port %d", p)
	}
	return strings.Join(parts, ", ")
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
