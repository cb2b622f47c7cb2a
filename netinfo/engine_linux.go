package netinfo

import (
	"context"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/sys/unix"
)

// newEngine: on Linux, netlink sock_diag with an inode-to-owner cache;
// gopsutil is the fallback where netlink is unavailable.
func newEngine() engine {
	return &diagEngine{inodes: newInodeCache()}
}

// diagEngine lists sockets through netlink and finds their owners through
// an inode cache, so a refresh walks /proc/PID/fd only for processes and
// sockets it has not seen before.
type diagEngine struct {
	inodes   *inodeCache
	fallback bool // netlink failed once: use gopsutil from then on
	buf      []byte
	lastLen  int // sockets in the last dump, to size the next one
}

func (d *diagEngine) list(ctx context.Context, scope Scope, owners *ownerCache) ([]rawSocket, error) {
	if !d.fallback {
		if d.buf == nil {
			d.buf = make([]byte, 64<<10)
		}
		raws, err := diagDump(scope, d.buf, make([]rawSocket, 0, d.lastLen+d.lastLen/8+16))
		d.lastLen = len(raws)
		if err == nil {
			d.inodes.resolve(ctx, raws, owners)
			return raws, nil
		}
		d.fallback = true
	}
	return gopsutilEngine{}.list(ctx, scope, owners)
}

// inodeCache remembers which process holds which socket inode.
type inodeCache struct {
	owner      map[uint32]inodeOwner // socket inode -> holder
	unresolved map[uint32]struct{}   // inodes a full walk could not place
	scanned    map[int32]struct{}    // PIDs whose descriptors have been read
	linkBuf    []byte
}

// inodeOwner is a holder, with its start time to tell a reused PID apart.
type inodeOwner struct {
	pid     int32
	created int64 // ms since the epoch
}

func newInodeCache() *inodeCache {
	return &inodeCache{owner: map[uint32]inodeOwner{}, unresolved: map[uint32]struct{}{},
		scanned: map[int32]struct{}{}, linkBuf: make([]byte, 64)}
}

// resolve sets the pid of every socket whose holder can be found.
func (c *inodeCache) resolve(ctx context.Context, raws []rawSocket, owners *ownerCache) {
	alive := map[int32]bool{} // holder checked this refresh: still the same process
	unknown := map[uint32]struct{}{}
	for i := range raws {
		r := &raws[i]
		if r.inode == 0 {
			continue // TIME_WAIT and the like: no process holds them
		}
		if e, ok := c.owner[r.inode]; ok {
			same, checked := alive[e.pid]
			if !checked {
				same = c.sameProcess(ctx, e, owners)
				alive[e.pid] = same
			}
			if same {
				r.pid = e.pid
				continue
			}
			delete(c.owner, r.inode)
		} else if _, gone := c.unresolved[r.inode]; gone {
			continue
		}
		unknown[r.inode] = struct{}{}
	}
	if len(unknown) > 0 {
		c.walk(ctx, unknown, owners)
		for i := range raws {
			if e, ok := c.owner[raws[i].inode]; ok && raws[i].pid == 0 {
				raws[i].pid = e.pid
			}
		}
	}
	// Forget closed sockets once enough have piled up to be worth a pass.
	if len(c.owner)+len(c.unresolved) > len(raws)+pruneSlack {
		c.prune(raws)
	}
}

// pruneSlack is how many closed sockets the cache may remember before it
// drops them.
const pruneSlack = 4096

func (c *inodeCache) sameProcess(ctx context.Context, e inodeOwner, owners *ownerCache) bool {
	o, err := owners.lookup(ctx, e.pid)
	return err == nil && o.Started.UnixMilli() == e.created
}

// walk reads /proc/PID/fd until every unknown inode is placed: first the
// processes it has never read (in parallel, one worker per CPU), then, if
// some are still missing, the others. What no process holds (or this user
// may not see) is remembered as unresolved until the socket goes away.
func (c *inodeCache) walk(ctx context.Context, unknown map[uint32]struct{}, owners *ownerCache) {
	pids := listPIDs()
	var fresh, known []int32
	for _, pid := range pids {
		if _, ok := c.scanned[pid]; ok {
			known = append(known, pid)
		} else {
			fresh = append(fresh, pid)
		}
	}
	for _, h := range readAllFDs(ctx, fresh, owners) {
		c.record(h, unknown)
	}
	for _, pid := range known {
		if len(unknown) == 0 {
			break
		}
		c.record(readFDs(ctx, pid, owners, c.linkBuf), unknown)
	}
	for in := range unknown {
		c.unresolved[in] = struct{}{}
	}
	live := make(map[int32]struct{}, len(pids))
	for _, pid := range pids {
		live[pid] = struct{}{}
	}
	for pid := range c.scanned {
		if _, ok := live[pid]; !ok {
			delete(c.scanned, pid)
		}
	}
}

// heldSockets is what one process's descriptors showed.
type heldSockets struct {
	pid    int32
	holder inodeOwner
	inodes []uint32
}

// record files a process's sockets. A socket shared by several processes
// (a server's master and its workers) keeps the first holder recorded.
func (c *inodeCache) record(h heldSockets, unknown map[uint32]struct{}) {
	c.scanned[h.pid] = struct{}{}
	for _, in := range h.inodes {
		if _, ok := c.owner[in]; !ok {
			c.owner[in] = h.holder
		}
		delete(unknown, in)
	}
}

// readAllFDs reads the descriptors of pids with one worker per CPU and
// returns the results in the order of pids, so the lowest PID of a shared
// socket is still recorded first.
func readAllFDs(ctx context.Context, pids []int32, owners *ownerCache) []heldSockets {
	out := make([]heldSockets, len(pids))
	workers := min(runtime.GOMAXPROCS(0), max(1, len(pids)/64))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 64)
			for i := w; i < len(pids); i += workers {
				out[i] = readFDs(ctx, pids[i], owners, buf)
			}
		}()
	}
	wg.Wait()
	return out
}

// readFDs lists the socket inodes pid holds.
func readFDs(ctx context.Context, pid int32, owners *ownerCache, buf []byte) heldSockets {
	h := heldSockets{pid: pid}
	dir, err := os.Open("/proc/" + strconv.Itoa(int(pid)) + "/fd")
	if err != nil {
		return h // exited, or another user's process
	}
	defer dir.Close()
	names, err := dir.Readdirnames(-1)
	if err != nil {
		return h
	}
	for _, name := range names {
		n, err := unix.Readlinkat(int(dir.Fd()), name, buf)
		if err != nil {
			continue
		}
		if in, ok := socketInode(buf[:n]); ok {
			h.inodes = append(h.inodes, in)
		}
	}
	if len(h.inodes) > 0 {
		o, err := owners.lookup(ctx, pid)
		if err != nil {
			h.inodes = nil // exited while we looked
			return h
		}
		h.holder = inodeOwner{pid: pid, created: o.Started.UnixMilli()}
	}
	return h
}

// socketInode parses a descriptor link "socket:[12345]".
func socketInode(link []byte) (uint32, bool) {
	const prefix = "socket:["
	if len(link) < len(prefix)+2 || string(link[:len(prefix)]) != prefix || link[len(link)-1] != ']' {
		return 0, false
	}
	n, err := strconv.ParseUint(string(link[len(prefix):len(link)-1]), 10, 32)
	return uint32(n), err == nil
}

// prune forgets sockets that no longer exist.
func (c *inodeCache) prune(raws []rawSocket) {
	current := make(map[uint32]struct{}, len(raws))
	for i := range raws {
		current[raws[i].inode] = struct{}{}
	}
	for in := range c.owner {
		if _, ok := current[in]; !ok {
			delete(c.owner, in)
		}
	}
	for in := range c.unresolved {
		if _, ok := current[in]; !ok {
			delete(c.unresolved, in)
		}
	}
}

// listPIDs lists the numeric entries of /proc.
func listPIDs() []int32 {
	d, err := os.Open("/proc")
	if err != nil {
		return nil
	}
	defer d.Close()
	names, _ := d.Readdirnames(-1)
	pids := make([]int32, 0, len(names))
	for _, n := range names {
		if n == "" || n[0] < '0' || n[0] > '9' || strings.ContainsAny(n, ".") {
			continue
		}
		if pid, err := strconv.Atoi(n); err == nil {
			pids = append(pids, int32(pid))
		}
	}
	return pids
}
