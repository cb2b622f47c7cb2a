package netinfo

import (
	"context"
	"errors"
	"io/fs"
	"os/user"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/shirou/gopsutil/v4/process"
)

// ownerCache remembers what it read about each process, keyed by PID and
// checked against the process start time, so that a refresh reads one small
// file per process instead of five, and a reused PID is never confused with
// the process that had it before.
type ownerCache struct {
	mu    sync.Mutex // guards procs and users
	procs map[int32]cachedOwner
	users map[uint32]string
}

type cachedOwner struct {
	created int64 // ms since the epoch, as gopsutil reports it
	owner   Owner
	seen    bool // looked up in the current snapshot; unseen entries are dropped
}

func newOwnerCache() *ownerCache {
	return &ownerCache{procs: map[int32]cachedOwner{}, users: map[uint32]string{}}
}

// errGone means the process exited while we looked at it.
var errGone = errors.New("process exited")

// lookup returns the owner of pid, or errGone when the process no longer exists.
func (c *ownerCache) lookup(ctx context.Context, pid int32) (Owner, error) {
	p, err := process.NewProcessWithContext(ctx, pid)
	if err != nil {
		return Owner{}, errGone
	}
	created, err := p.CreateTimeWithContext(ctx)
	if err != nil {
		return Owner{}, errGone
	}
	c.mu.Lock()
	cached, ok := c.procs[pid]
	c.mu.Unlock()
	if ok && cached.created == created {
		c.markSeen(pid, cached)
		return cached.owner, nil
	}
	o, err := c.read(ctx, p, created)
	if err != nil {
		return Owner{}, err
	}
	c.markSeen(pid, cachedOwner{created: created, owner: o})
	return o, nil
}

func (c *ownerCache) markSeen(pid int32, e cachedOwner) {
	e.seen = true
	c.mu.Lock()
	c.procs[pid] = e
	c.mu.Unlock()
}

// sweep forgets the processes no snapshot has seen since the last sweep.
func (c *ownerCache) sweep() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for pid, e := range c.procs {
		if !e.seen {
			delete(c.procs, pid)
			continue
		}
		e.seen = false
		c.procs[pid] = e
	}
}

// read fetches a process's details. Details the OS withholds (another
// user's executable path, say) are left empty with a note; only a process
// that has exited is an error.
func (c *ownerCache) read(ctx context.Context, p *process.Process, created int64) (Owner, error) {
	o := Owner{PID: p.Pid, Started: time.UnixMilli(created)}
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
	o.Manager = managerOf(p.Pid)
	if uids, err := p.UidsWithContext(ctx); err == nil && len(uids) > 1 {
		o.User = c.userName(uids[1]) // effective uid: whose rights the process has
	} else if u, err := p.UsernameWithContext(ctx); err == nil {
		o.User = u // Windows: no uids, but a user name
	}
	return o, nil
}

// userName turns a uid into a login name, falling back to the number.
func (c *ownerCache) userName(uid uint32) string {
	c.mu.Lock()
	name, ok := c.users[uid]
	c.mu.Unlock()
	if ok {
		return name
	}
	name = strconv.FormatUint(uint64(uid), 10)
	if u, err := user.LookupId(name); err == nil {
		name = u.Username
	}
	c.mu.Lock()
	c.users[uid] = name
	c.mu.Unlock()
	return name
}

func isGone(err error) bool {
	return errors.Is(err, process.ErrorProcessNotRunning) ||
		errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ESRCH)
}
