package netinfo

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"syscall"
	"time"
)

// ErrRefused is wrapped by every refusal to end a process; the message says
// why. No signal has been sent when it is returned.
var ErrRefused = errors.New("refused")

// ErrExited means the process is no longer the one the user chose: it has
// exited, and its PID may already belong to another process.
var ErrExited = errors.New("that process already exited")

// GracefulTimeout is how long a process gets to exit after SIGTERM before
// the user is offered SIGKILL.
const GracefulTimeout = 3 * time.Second

// ForcedOnly is true where a process cannot be asked to exit, only killed
// (Windows: TerminateProcess).
const ForcedOnly = runtime.GOOS == "windows"

// processHandle is a process opened for signalling. On Linux it holds a
// pidfd, so a signal reaches this process even if its PID is reused.
type processHandle interface {
	Signal(os.Signal) error
	Release() error
}

// processControl is what a Terminator needs from the OS; tests record
// signals through a fake.
type processControl interface {
	open(pid int32) (processHandle, error)
	startTime(pid int32) (time.Time, error) // zero, ErrExited when gone
}

// Terminator ends the processes that hold sockets, refusing whatever could
// hit the wrong process or one that must not be ended.
type Terminator struct {
	ctl    processControl
	self   int32
	parent int32
	// protected reports the sockets of Loopscope's own local servers: they
	// live inside Loopscope's process, and are stopped as servers instead.
	protected func(Socket) bool
}

// NewTerminator returns a Terminator for this process. protected, if not
// nil, names the sockets that must be stopped some other way (Loopscope's
// own local servers, keyed by socket because they share its PID).
func NewTerminator(protected func(Socket) bool) *Terminator {
	return &Terminator{ctl: osControl{}, self: int32(os.Getpid()), parent: int32(os.Getppid()), protected: protected}
}

// Check says why o may not be ended, or returns nil. It sends nothing.
func (t *Terminator) Check(o Owner) error {
	refuse := func(why string) error { return fmt.Errorf("%w: %s", ErrRefused, why) }
	switch {
	case o.OwnerHidden:
		return refuse("the owner is hidden from you; run with administrator rights to see and end it")
	case o.PID <= 0:
		return refuse("no process holds this socket")
	case o.PID == 1:
		return refuse("PID 1 starts and keeps the whole system running")
	case o.PID == t.self:
		return refuse("that is Loopscope itself: quit it from its window; its local servers stop on the Local Servers tab, or when it quits")
	case o.PID == t.parent:
		return refuse("that is the program that started Loopscope")
	case o.Started.IsZero():
		return refuse("its start time is unknown, so it cannot be told apart from a later process with the same PID")
	}
	return nil
}

// checkSocket says why the holders of s may not be ended for it, or
// returns nil: the socket of one of Loopscope's own servers, or one no
// process holds.
func (t *Terminator) checkSocket(s Socket) error {
	switch {
	case t.protected != nil && t.protected(s):
		return fmt.Errorf("%w: %s port %d is one of Loopscope's own local servers; stop it on the Local Servers tab", ErrRefused, s.Proto, s.LocalPort)
	case len(s.Holders) == 0 && s.OwnerHidden:
		return fmt.Errorf("%w: the owner of %s port %d is hidden from you; run with administrator rights to see and end it", ErrRefused, s.Proto, s.LocalPort)
	case len(s.Holders) == 0:
		return fmt.Errorf("%w: no process holds %s port %d (%s)", ErrRefused, s.Proto, s.LocalPort, s.NoProcess)
	}
	return nil
}

// Signal sends SIGTERM (or SIGKILL when force is set, and always on
// Windows) to o, after checking that the PID still belongs to the process
// that started at o.Started.
func (t *Terminator) Signal(o Owner, force bool) error {
	if err := t.Check(o); err != nil {
		return err
	}
	h, err := t.ctl.open(o.PID)
	if err != nil {
		return ErrExited
	}
	defer h.Release()
	// Read the start time after opening the handle: if it still matches,
	// the handle is the process the user chose.
	started, err := t.ctl.startTime(o.PID)
	if err != nil || !sameStart(started, o.Started) {
		return ErrExited
	}
	sig := os.Signal(syscall.SIGTERM)
	if force || ForcedOnly {
		sig = os.Kill
	}
	switch err := h.Signal(sig); {
	case err == nil:
		return nil
	case errors.Is(err, os.ErrProcessDone) || errors.Is(err, syscall.ESRCH):
		return ErrExited
	case errors.Is(err, os.ErrPermission) || errors.Is(err, syscall.EPERM):
		return fmt.Errorf("%w: %s is owned by %s; you can only end your own processes, or run with administrator rights", ErrPermission, safeName(o.Process), orUnknown(o.User))
	default:
		return fmt.Errorf("netinfo: signal %s (PID %d): %w", safeName(o.Process), o.PID, err)
	}
}

// Running reports whether the process that started at o.Started still runs.
func (t *Terminator) Running(o Owner) bool {
	started, err := t.ctl.startTime(o.PID)
	return err == nil && sameStart(started, o.Started)
}

// WaitExit waits up to timeout for o to exit and reports whether it did.
func (t *Terminator) WaitExit(ctx context.Context, o Owner, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for t.Running(o) {
		if time.Now().After(deadline) || ctx.Err() != nil {
			return false
		}
		time.Sleep(50 * time.Millisecond)
	}
	return true
}

// sameStart compares start times at the millisecond.
func sameStart(a, b time.Time) bool { return a.UnixMilli() == b.UnixMilli() }

func orUnknown(s string) string {
	if s == "" {
		return "another user"
	}
	return safeName(s)
}

// osControl is the real processControl.
type osControl struct{}

func (osControl) open(pid int32) (processHandle, error) { return os.FindProcess(int(pid)) }

// startTime reads the process's start time; a zombie counts as exited.
func (osControl) startTime(pid int32) (time.Time, error) {
	id, err := statProcess(pid)
	if err != nil {
		return time.Time{}, ErrExited
	}
	return time.UnixMilli(id.start), nil
}
