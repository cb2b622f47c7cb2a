//go:build !linux

package netinfo

import (
	"context"
	"errors"
	"io/fs"
	"syscall"
	"time"

	"github.com/shirou/gopsutil/v4/process"
)

// statProcess reads a process's start time through gopsutil, which tells
// it apart from a later process with the same PID.
func statProcess(pid int32) (procID, error) {
	ctx := context.Background()
	p, err := process.NewProcessWithContext(ctx, pid)
	if err != nil {
		return procID{}, errGone
	}
	created, err := p.CreateTimeWithContext(ctx)
	if err != nil {
		return procID{}, errGone
	}
	if st, err := p.StatusWithContext(ctx); err == nil && len(st) > 0 && st[0] == process.Zombie {
		return procID{}, errGone
	}
	return procID{start: created}, nil
}

// readProcess reads a process's details through gopsutil. Details the OS
// withholds (another user's executable path) are left empty with a note.
func readProcess(pid int32, id procID, users *userNames) (Owner, error) {
	ctx := context.Background()
	p, err := process.NewProcessWithContext(ctx, pid)
	if err != nil {
		return Owner{}, errGone
	}
	o := Owner{PID: pid, Started: time.UnixMilli(id.start)}
	name, err := p.NameWithContext(ctx)
	if isGone(err) {
		return Owner{}, errGone
	}
	o.Process = name
	if exe, err := p.ExeWithContext(ctx); err == nil {
		o.Exe = exe
	} else if isGone(err) {
		return Owner{}, errGone
	} else {
		o.OwnerNote = "The executable path is hidden: the process belongs to another user. Run with administrator rights to see it."
	}
	if cmd, err := p.CmdlineWithContext(ctx); err == nil {
		o.Cmdline = cmd
	}
	if ppid, err := p.PpidWithContext(ctx); err == nil {
		o.Parent = ppid
	}
	o.Manager = managerOf(pid)
	if uids, err := p.UidsWithContext(ctx); err == nil && len(uids) > 1 {
		o.User = users.name(uint32(uids[1])) // effective uid: whose rights the process has
	} else if u, err := p.UsernameWithContext(ctx); err == nil {
		o.User = u // Windows: no uids, but a user name
	}
	return o, nil
}

func isGone(err error) bool {
	return errors.Is(err, process.ErrorProcessNotRunning) ||
		errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ESRCH)
}
