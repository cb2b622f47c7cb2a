package netinfo

import (
	"context"
	"fmt"
	"time"
)

// newEngine: on Linux, netlink sock_diag with an inode-to-holder cache;
// gopsutil answers when netlink fails.
func newEngine() engine {
	return &diagEngine{inodes: newInodeCache(), dump: diagDump, portDump: diagPortDump}
}

// diagEngine lists sockets through netlink and finds their holders through
// an inode cache, so a refresh walks /proc/PID/fd only for processes and
// sockets it has not seen before.
type diagEngine struct {
	inodes   *inodeCache
	dump     func(scope Scope, buf []byte, out []rawSocket) ([]rawSocket, error)
	portDump func(family Family, proto Proto, port uint16, state string, buf []byte) ([]rawSocket, error)
	buf      []byte
	lastLen  int // sockets in the last dump, to size the next one
}

// list dumps the sockets and places their holders. When netlink fails it
// answers through gopsutil and says so; the next call tries netlink again.
func (d *diagEngine) list(ctx context.Context, scope Scope, owners *ownerCache) (engineResult, error) {
	if d.buf == nil {
		d.buf = make([]byte, 64<<10)
	}
	raws, err := d.dump(scope, d.buf, make([]rawSocket, 0, d.lastLen+d.lastLen/8+16))
	if err != nil {
		res, slowErr := gopsutilEngine{}.list(ctx, scope, owners)
		if slowErr != nil {
			return res, fmt.Errorf("%w (and netlink failed too: %v)", slowErr, err)
		}
		res.degraded = fmt.Errorf("netlink sock_diag failed (%v); read the sockets the slower way, and will try netlink again next time", err)
		return res, nil
	}
	d.lastLen = len(raws)
	if d.inodes.resolve(raws, owners) > 0 {
		raws = d.dropVanished(raws)
	}
	return engineResult{raws: raws, inodes: true, opaque: d.inodes.opaqueList()}, nil
}

// dropVanished leaves out the sockets that no process could be found for
// and that are gone now: their process exited during the scan. Shown,
// they would be phantoms that "no process" holds. An exiting process lets
// go of its descriptors a moment before the kernel closes its sockets, so
// while some process is exiting, a socket still there is looked at once
// more a little later. Each look asks the kernel only for the ports
// concerned.
func (d *diagEngine) dropVanished(raws []rawSocket) []rawSocket {
	// Asked before the first look: a holder that was exiting during the
	// walk is either still exiting now, or done, its sockets closed.
	exiting := anyExiting()
	for _, wait := range []time.Duration{0, exitGrace} {
		time.Sleep(wait)
		still, err := d.stillThere(raws)
		if err != nil {
			return raws
		}
		kept, unplaced := raws[:0], false
		for _, r := range raws {
			if r.pid == 0 && r.inode != 0 {
				if _, ok := still[r.inode]; !ok {
					continue
				}
				unplaced = true
			}
			kept = append(kept, r)
		}
		raws = kept
		if !unplaced || !exiting {
			break
		}
	}
	return raws
}

// stillThere returns the inodes that exist now on the ports of the
// sockets no process was found for.
func (d *diagEngine) stillThere(raws []rawSocket) (map[uint32]struct{}, error) {
	type portKey struct {
		family Family
		proto  Proto
		port   uint16
		state  string
	}
	still := map[uint32]struct{}{}
	asked := map[portKey]bool{}
	for _, r := range raws {
		k := portKey{r.family, r.proto, r.lport, r.state}
		if r.pid != 0 || r.inode == 0 || asked[k] {
			continue
		}
		asked[k] = true
		now, err := d.portDump(k.family, k.proto, k.port, k.state, d.buf)
		if err != nil {
			return nil, err
		}
		for _, n := range now {
			still[n.inode] = struct{}{}
		}
	}
	return still, nil
}

// exitGrace is how long an exiting process may take to close its sockets
// after its descriptors are gone.
const exitGrace = 20 * time.Millisecond
