package gui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"

	"github.com/loopscope/loopscope/netinfo"
)

// terminator plans and ends processes; *netinfo.Terminator is the real one.
type terminator interface {
	PlanSockets(sockets, targets []netinfo.Socket) (netinfo.EndPlan, error)
	PlanProcesses(sockets []netinfo.Socket, owners []netinfo.Owner) (netinfo.EndPlan, error)
	End(ctx context.Context, owners []netinfo.Owner, force bool, progress netinfo.Progress) netinfo.EndOutcome
}

// ender runs "end the processes that hold a socket" for every tab. It
// follows netinfo's end plan, as the command line's free does: the plan
// says who, asks, and tells; the ender only shows it.
type ender struct {
	w         fyne.Window
	term      terminator
	src       SnapshotSource
	ctx       context.Context
	onChanged func() // asks the tabs to refresh now

	// ask and tell talk to the user; nil means Fyne dialogs. Tests answer
	// for the user through them.
	ask     func(title, confirm, dismiss, text string, answer func(bool))
	tell    func(title, text string)
	tellErr func(error)
}

// fail shows what went wrong.
func (e *ender) fail(err error) {
	if e.tellErr != nil {
		e.tellErr(err)
		return
	}
	if errors.Is(err, netinfo.ErrRefused) {
		// Not a failure: Loopscope chose not to, and says why.
		inform(e.w, "Nothing was ended", capitalize(strings.Replace(err.Error(), netinfo.ErrRefused.Error()+": ", "", 1))+".")
		return
	}
	showError(e.w, err)
}

// question shows a confirmation; answer runs with the user's choice. The
// confirming button is red: ending a process cannot be undone.
func (e *ender) question(title, confirm, dismiss, text string, answer func(bool)) {
	if e.ask != nil {
		e.ask(title, confirm, dismiss, text, answer)
		return
	}
	ask(e.w, title, confirm, dismiss, text, true, answer)
}

// informUser shows an outcome.
func (e *ender) informUser(title, text string) {
	if e.tell != nil {
		e.tell(title, text)
		return
	}
	inform(e.w, title, text)
}

// startSockets begins ending every holder of the sockets (the selected
// Listening Ports rows).
func (e *ender) startSockets(targets ...netinfo.Socket) {
	e.plan(func(all []netinfo.Socket) (netinfo.EndPlan, error) { return e.term.PlanSockets(all, targets) })
}

// startProcesses begins ending the processes (the selected Processes rows).
func (e *ender) startProcesses(owners ...netinfo.Owner) {
	e.plan(func(all []netinfo.Socket) (netinfo.EndPlan, error) { return e.term.PlanProcesses(all, owners) })
}

// plan reads every socket off the UI goroutine, makes the plan, and asks;
// a refusal is shown instead, and nothing is sent.
func (e *ender) plan(make func([]netinfo.Socket) (netinfo.EndPlan, error)) {
	go func() {
		snap, err := e.src.Snapshot(e.ctx, netinfo.AllSockets)
		var plan netinfo.EndPlan
		if err == nil {
			plan, err = make(snap.Sockets)
		}
		onUI(func() {
			if err != nil {
				e.fail(fmt.Errorf("Nothing was sent: %w", err))
				return
			}
			e.confirm(plan)
		})
	}()
}

func (e *ender) confirm(plan netinfo.EndPlan) {
	action := "End process"
	if len(plan.Targets) > 1 {
		action = fmt.Sprintf("End %d processes", len(plan.Targets))
	}
	if netinfo.ForcedOnly {
		action += " (forced)"
	}
	e.question(plan.Title(), action, "Cancel", plan.Confirmation(), func(ok bool) {
		if ok {
			e.signal(plan, plan.Owners(), false, nil)
		}
	})
}

// signal sends the signals and waits off the UI goroutine, saying on
// screen what it waits for. done holds what earlier rounds reported.
func (e *ender) signal(plan netinfo.EndPlan, owners []netinfo.Owner, force bool, done []string) {
	var wait *progress
	if e.ask == nil {
		wait = showProgress(e.w, "Ending "+plan.Subject(), waitingText(owners, 0))
	}
	go func() {
		out := e.term.End(e.ctx, owners, force, func(running []netinfo.Owner, waited time.Duration) {
			if wait != nil {
				onUI(func() { wait.set(waitingText(running, waited), waited.Seconds()/netinfo.GracefulTimeout.Seconds()) })
			}
		})
		done := append(slices.Clone(done), out.Report(force || netinfo.ForcedOnly)...)
		onUI(func() {
			if wait != nil {
				wait.hide()
			}
			switch {
			case out.Err != nil:
				e.fail(out.Err)
			case len(out.Running) > 0 && (force || netinfo.ForcedOnly):
				e.fail(fmt.Errorf("%s still running after being killed; it may be stuck in the kernel", ownerList(out.Running)))
			case len(out.Running) > 0:
				e.offerForce(plan, out.Running, done)
			default:
				e.after(plan, done)
			}
		})
	}()
}

// waitingText is the progress line while processes are given time to
// exit: "Waiting for python3 (PID 4242) to exit… 2 s of 3 s".
func waitingText(running []netinfo.Owner, waited time.Duration) string {
	return fmt.Sprintf("Waiting for %s to exit… %d s of %d s", strings.TrimSuffix(ownerList(running), " is"),
		int(waited.Seconds()), int(netinfo.GracefulTimeout.Seconds()))
}

func ownerList(os []netinfo.Owner) string {
	names := make([]string, len(os))
	for i, o := range os {
		names[i] = fmt.Sprintf("%s (PID %d)", safe(o.Process), o.PID)
	}
	return strings.Join(names, ", ") + " is"
}

// offerForce is the second, explicit confirmation for SIGKILL.
func (e *ender) offerForce(plan netinfo.EndPlan, running []netinfo.Owner, done []string) {
	title, text := netinfo.ForceQuestion(running)
	e.question(title, "Force (SIGKILL)", "Leave it running", text, func(ok bool) {
		if ok {
			e.signal(plan, running, true, done)
		}
	})
}

// after rescans and says which ports are free now, by the fresh scan,
// after what happened to each process.
func (e *ender) after(plan netinfo.EndPlan, report []string) {
	go func() {
		now, err := netinfo.WaitPortsFree(e.ctx, e.src.Snapshot, plan.Ports(), time.Second)
		msg := strings.Join(report, "\n")
		if err != nil {
			msg += " Could not check its ports: " + err.Error()
		} else if text, _ := plan.Aftermath(now); text != "" {
			msg += "\n" + text
		}
		onUI(func() {
			e.informUser("Ended "+plan.Subject(), msg)
			if e.onChanged != nil {
				e.onChanged()
			}
		})
	}()
}
