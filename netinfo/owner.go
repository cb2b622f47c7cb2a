package netinfo

import (
	"errors"
	"os/user"
	"strconv"
	"sync"
)

// procID is what one cheap read tells about a process: enough to tell it
// apart from a later process that got the same PID.
type procID struct {
	start int64  // ms since the epoch
	comm  string // the kernel's name, where the OS gives it cheaply; it changes on exec
	ppid  int32
}

// ownerCache remembers what it read about each process, keyed by PID and
// checked against the process's identity, so that a refresh reads one
// small file per process instead of five, and a reused PID is never
// confused with the process that had it before.
type ownerCache struct {
	mu    sync.Mutex // guards procs
	procs map[int32]cachedOwner
	users userNames
}

type cachedOwner struct {
	id    procID
	owner Owner
	seen  bool // looked up in the current snapshot; unseen entries are dropped
}

func newOwnerCache() *ownerCache {
	return &ownerCache{procs: map[int32]cachedOwner{}, users: userNames{names: map[uint32]string{}}}
}

// errGone means the process exited while we looked at it.
var errGone = errors.New("process exited")

// lookup returns the owner of pid, or errGone when the process no longer exists.
func (c *ownerCache) lookup(pid int32) (Owner, error) {
	id, err := statProcess(pid)
	if err != nil {
		return Owner{}, errGone
	}
	c.mu.Lock()
	cached, ok := c.procs[pid]
	c.mu.Unlock()
	if ok && cached.id == id {
		c.markSeen(pid, cached)
		return cached.owner, nil
	}
	o, err := readProcess(pid, id, &c.users)
	if err != nil {
		return Owner{}, err
	}
	c.markSeen(pid, cachedOwner{id: id, owner: o})
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

// userNames turns uids into login names, remembering each answer.
type userNames struct {
	mu    sync.Mutex // guards names
	names map[uint32]string
}

// name returns uid's login name, or the number when it has none.
func (u *userNames) name(uid uint32) string {
	u.mu.Lock()
	name, ok := u.names[uid]
	u.mu.Unlock()
	if ok {
		return name
	}
	name = strconv.FormatUint(uint64(uid), 10)
	if lu, err := user.LookupId(name); err == nil {
		name = lu.Username
	}
	u.mu.Lock()
	u.names[uid] = name
	u.mu.Unlock()
	return name
}
