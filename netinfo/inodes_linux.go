package netinfo

import (
	"errors"
	"io/fs"
	"maps"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"golang.org/x/sys/unix"
)

// inodeCache remembers which processes hold which socket inode, so a
// refresh reads /proc/PID/fd only for processes it has not seen before,
// for the holders of shared sockets, and for sockets it cannot place.
type inodeCache struct {
	holders    map[uint32][]inodeOwner // socket inode -> every holder found
	unresolved map[uint32]struct{}     // inodes no walk could place
	scanned    map[int32]struct{}      // PIDs whose descriptors have been read
	opaque     map[int32]opaqueProcess // PIDs whose descriptors this user may not read
}

// inodeOwner is a holder, with its start time to tell a reused PID apart.
type inodeOwner struct {
	pid     int32
	created int64 // ms since the epoch
}

func newInodeCache() *inodeCache {
	return &inodeCache{holders: map[uint32][]inodeOwner{}, unresolved: map[uint32]struct{}{},
		scanned: map[int32]struct{}{}, opaque: map[int32]opaqueProcess{}}
}

// resolve sets the holders of every socket whose holders can be found,
// and returns how many sockets it newly failed to place: a process that
// exits during the scan leaves such sockets behind for a moment.
func (c *inodeCache) resolve(raws []rawSocket, owners *ownerCache) (unplaced int) {
	pids := listPIDs()
	var fresh []int32
	for _, pid := range pids {
		if _, ok := c.scanned[pid]; !ok {
			fresh = append(fresh, pid)
		}
	}
	var current map[uint32]struct{} // the inodes of this listing, built only when something is read
	if len(fresh) > 0 {
		current = inodeSet(raws)
		c.recordAll(readAllFDs(fresh, owners), current)
	}
	c.recheckShared(raws, owners, &current)
	alive := map[int32]bool{} // holders checked this refresh: still the same process
	unknown := map[uint32]struct{}{}
	for i := range raws {
		if in := raws[i].inode; in != 0 && !c.place(&raws[i], owners, alive) {
			if _, known := c.unresolved[in]; !known {
				unknown[in] = struct{}{}
			}
		}
	}
	if len(unknown) > 0 {
		if current == nil {
			current = inodeSet(raws)
		}
		c.walkUnknown(pids, fresh, unknown, current, owners)
		clear(alive) // a process that looked gone a moment ago may have been read since
		for i := range raws {
			r := &raws[i]
			if _, was := unknown[r.inode]; r.pid != 0 || !was {
				continue
			}
			if !c.place(r, owners, alive) {
				c.unresolved[r.inode] = struct{}{}
				unplaced++
			}
		}
	}
	c.forgetExited(pids)
	// Forget closed sockets once enough have piled up to be worth a pass.
	if len(c.holders)+len(c.unresolved) > len(raws)+pruneSlack {
		c.prune(raws)
	}
	return unplaced
}

// pruneSlack is how many closed sockets the cache may remember before it
// drops them.
const pruneSlack = 4096

func inodeSet(raws []rawSocket) map[uint32]struct{} {
	m := make(map[uint32]struct{}, len(raws))
	for i := range raws {
		if raws[i].inode != 0 {
			m[raws[i].inode] = struct{}{}
		}
	}
	return m
}

// place sets r's holders from the cache, dropping holders that exited,
// and reports whether any is left.
func (c *inodeCache) place(r *rawSocket, owners *ownerCache, alive map[int32]bool) bool {
	hs, ok := c.holders[r.inode]
	if !ok {
		return false
	}
	live := hs[:0]
	for _, h := range hs {
		same, checked := alive[h.pid]
		if !checked {
			same = sameProcess(h, owners)
			alive[h.pid] = same
		}
		if same {
			live = append(live, h)
		}
	}
	if len(live) == 0 {
		delete(c.holders, r.inode)
		return false
	}
	c.holders[r.inode] = live
	r.pid, r.more = live[0].pid, nil
	for _, h := range live[1:] {
		r.more = append(r.more, h.pid)
	}
	return true
}

func sameProcess(h inodeOwner, owners *ownerCache) bool {
	o, err := owners.lookup(h.pid)
	return err == nil && o.Started.UnixMilli() == h.created
}

// recheckShared re-reads the descriptors of every process that holds a
// socket shared with another: one of them may have closed its copy (a
// parent that handed its listener to a child), and that leaves no other trace.
func (c *inodeCache) recheckShared(raws []rawSocket, owners *ownerCache, current *map[uint32]struct{}) {
	var shared []uint32
	var pids []int32
	for i := range raws {
		hs := c.holders[raws[i].inode]
		if len(hs) < 2 || slices.Contains(shared, raws[i].inode) {
			continue
		}
		shared = append(shared, raws[i].inode)
		for _, h := range hs {
			if !slices.Contains(pids, h.pid) {
				pids = append(pids, h.pid)
			}
		}
	}
	if len(pids) == 0 {
		return
	}
	if *current == nil {
		*current = inodeSet(raws)
	}
	for _, h := range readAllFDs(pids, owners) {
		for _, in := range shared {
			if !slices.Contains(h.inodes, in) {
				c.holders[in] = slices.DeleteFunc(c.holders[in], func(o inodeOwner) bool { return o.pid == h.pid })
			}
		}
		c.record(h, *current)
	}
}

// walkUnknown reads descriptors until every unknown inode is placed: the
// processes not read this refresh, then each thread that has descriptors
// of its own (one that called unshare(CLONE_FILES), or the threads of a
// process whose main thread has exited).
func (c *inodeCache) walkUnknown(pids, fresh []int32, wanted, current map[uint32]struct{}, owners *ownerCache) {
	unknown := maps.Clone(wanted)
	drop := func(h heldSockets) {
		for _, in := range h.inodes {
			delete(unknown, in)
		}
	}
	maps.DeleteFunc(unknown, func(in uint32, _ struct{}) bool {
		_, placed := c.holders[in] // by the fresh read
		return placed
	})
	for _, pid := range pids {
		if len(unknown) == 0 {
			return
		}
		if slices.Contains(fresh, pid) {
			continue
		}
		h := readFDs(pid, owners)
		c.record(h, current)
		drop(h)
	}
	for _, pid := range pids {
		if len(unknown) == 0 {
			return
		}
		for _, h := range readThreadFDs(pid, owners) {
			c.record(h, current)
			drop(h)
		}
	}
}

// recordAll files what several processes' descriptors showed.
func (c *inodeCache) recordAll(hs []heldSockets, current map[uint32]struct{}) {
	for _, h := range hs {
		c.record(h, current)
	}
}

// record files one process's sockets that are in the current listing.
func (c *inodeCache) record(h heldSockets, current map[uint32]struct{}) {
	c.scanned[h.pid] = struct{}{}
	if h.opaque != nil {
		c.opaque[h.pid] = *h.opaque
	}
	for _, in := range h.inodes {
		if _, ok := current[in]; !ok {
			continue // a Unix or netlink socket, or one closed since the listing
		}
		hs := c.holders[in]
		if !slices.ContainsFunc(hs, func(o inodeOwner) bool { return o.pid == h.holder.pid }) {
			c.holders[in] = append(hs, h.holder)
		}
		delete(c.unresolved, in)
	}
}

// forgetExited drops the PIDs that are gone from the per-PID maps.
func (c *inodeCache) forgetExited(pids []int32) {
	live := make(map[int32]struct{}, len(pids))
	for _, pid := range pids {
		live[pid] = struct{}{}
	}
	for pid := range c.scanned {
		if _, ok := live[pid]; !ok {
			delete(c.scanned, pid)
			delete(c.opaque, pid)
		}
	}
}

// opaqueList is the processes whose descriptors this user may not read
// although they changed user or asked not to be inspected.
func (c *inodeCache) opaqueList() []opaqueProcess {
	out := make([]opaqueProcess, 0, len(c.opaque))
	for _, p := range c.opaque {
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b opaqueProcess) int { return int(a.pid - b.pid) })
	return out
}

// heldSockets is what one process's (or thread's) descriptors showed.
type heldSockets struct {
	pid    int32
	holder inodeOwner // set when inodes is not empty
	inodes []uint32
	opaque *opaqueProcess // set when the OS hid the descriptors of a process that changed user
}

// readAllFDs reads the descriptors of pids with one worker per CPU and
// returns the results in the order of pids.
func readAllFDs(pids []int32, owners *ownerCache) []heldSockets {
	out := make([]heldSockets, len(pids))
	workers := min(runtime.GOMAXPROCS(0), max(1, len(pids)/64))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(pids); i += workers {
				out[i] = readFDs(pids[i], owners)
			}
		}()
	}
	wg.Wait()
	return out
}

// readFDs lists the socket inodes pid holds.
func readFDs(pid int32, owners *ownerCache) heldSockets {
	return readFDDir(pid, procPath(pid, "fd"), owners)
}

// readFDDir lists the socket inodes in a descriptor directory of pid.
func readFDDir(pid int32, dirPath string, owners *ownerCache) heldSockets {
	h := heldSockets{pid: pid}
	dir, err := os.Open(dirPath)
	if err != nil {
		if errors.Is(err, fs.ErrPermission) {
			h.opaque = changedUser(pid)
		}
		return h // exited, or another user's process
	}
	defer dir.Close()
	names, err := dir.Readdirnames(-1)
	if err != nil {
		return h
	}
	var buf [64]byte
	for _, name := range names {
		n, err := unix.Readlinkat(int(dir.Fd()), name, buf[:])
		if err != nil {
			continue
		}
		if in, ok := socketInode(buf[:n]); ok {
			h.inodes = append(h.inodes, in)
		}
	}
	if len(h.inodes) == 0 {
		return h // nothing to file: no need to read who it is
	}
	o, err := owners.lookup(pid)
	if err != nil {
		h.inodes = nil // exited while we looked
		return h
	}
	h.holder = inodeOwner{pid: pid, created: o.Started.UnixMilli()}
	return h
}

// readThreadFDs reads the descriptor tables of pid's threads that do not
// share the main thread's: found through /proc/PID/task/TID/fd.
func readThreadFDs(pid int32, owners *ownerCache) []heldSockets {
	tasks, err := os.ReadDir(procPath(pid, "task"))
	if err != nil || len(tasks) < 2 {
		return nil
	}
	var seen []int // threads whose tables were read
	var out []heldSockets
	for _, t := range tasks {
		tid, err := strconv.Atoi(t.Name())
		if err != nil || tid == int(pid) {
			continue
		}
		if sameFiles(int(pid), tid) || slices.ContainsFunc(seen, func(o int) bool { return sameFiles(o, tid) }) {
			continue // shares a table already read
		}
		seen = append(seen, tid)
		out = append(out, readFDDir(pid, procPath(pid, "task/"+t.Name()+"/fd"), owners))
	}
	return out
}

// sameFiles reports whether two tasks share one descriptor table, asked
// of the kernel with kcmp(2). Where kcmp is not available it says no, so
// the thread's table is read.
func sameFiles(a, b int) bool {
	const kcmpFiles = 2 // KCMP_FILES
	r, _, errno := syscall.Syscall6(unix.SYS_KCMP, uintptr(a), uintptr(b), kcmpFiles, 0, 0, 0)
	return errno == 0 && r == 0
}

// changedUser describes pid when the OS made its descriptor directory
// root's although it runs as another user: it changed user after it
// started, or asked not to be inspected (it is not "dumpable"). It
// returns nil for a process that simply runs as root or another user.
func changedUser(pid int32) *opaqueProcess {
	uids, err := readUIDs(pid)
	if err != nil {
		return nil
	}
	var st unix.Stat_t
	if unix.Stat(procPath(pid, "fd"), &st) != nil {
		return nil
	}
	if st.Uid != 0 || uids[0] == 0 && uids[1] == 0 {
		return nil // its descriptors are its own user's: not one that changed user
	}
	return &opaqueProcess{pid: pid, uids: uids}
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
	current := inodeSet(raws)
	for in := range c.holders {
		if _, ok := current[in]; !ok {
			delete(c.holders, in)
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
