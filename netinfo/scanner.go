package netinfo

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	psnet "github.com/shirou/gopsutil/v4/net"
)

// Scope selects which sockets a snapshot holds.
type Scope int

// The scopes a Scanner can take a snapshot of.
const (
	// Listening holds TCP sockets in LISTEN and UDP sockets bound to a port
	// without a peer: what `ss -tuln` shows.
	Listening Scope = iota
	// AllSockets holds every TCP and UDP socket, connections included.
	AllSockets
)

// Scanner takes snapshots of the machine's sockets. It caches what it has
// learnt about processes (and on Linux which process holds which socket)
// between snapshots, so keep one for the life of a view. It is safe for
// concurrent use.
type Scanner struct {
	mu        sync.Mutex // serialises snapshots: the caches are shared
	owners    *ownerCache
	engine    engine
	ephemeral PortRange
	now       func() time.Time
}

// engine lists the raw sockets and the PIDs that hold them.
type engine interface {
	list(ctx context.Context, scope Scope, owners *ownerCache) (engineResult, error)
}

// engineResult is one listing of the OS's sockets.
type engineResult struct {
	raws []rawSocket
	// inodes is set when raws carry inodes: a socket with inode 0 is then
	// one that no process can hold (queued, or closing).
	inodes bool
	// degraded says why the fast way failed, when the slow one answered.
	degraded error
	// opaque are visible processes whose open files the OS hides from this
	// user although it could read another's: they changed user after they
	// started, or asked not to be inspected.
	opaque []opaqueProcess
}

// opaqueProcess is a process whose open files this user may not read.
type opaqueProcess struct {
	pid  int32
	uids [4]uint32 // real, effective, saved, filesystem
}

// rawSocket is one socket as the OS reports it, before its owner is read:
// small, so that sorting and copying 18,000 of them stays cheap.
type rawSocket struct {
	proto         Proto
	family        Family
	local, remote netip.Addr
	lport, rport  uint16
	state         string
	v6only        int8    // IPV6_V6ONLY: 0, 1, or -1 when unknown
	pid           int32   // the lowest PID holding it; 0: no visible process
	more          []int32 // further holders of a shared socket
	inode         uint32  // Linux: the socket's inode, 0 when no process can hold it
	ifindex       uint32  // the interface it is tied to (SO_BINDTODEVICE), 0 for none
	uid           int64   // the socket's owner uid, -1 when unknown
	key           uint32  // protocol and local port in one number, for sorting
}

// listening is Socket.Listening for a raw socket.
func (r *rawSocket) listening() bool {
	if r.proto == TCP {
		return r.state == StateListen
	}
	return r.lport != 0 && r.rport == 0
}

// socket returns the Socket part of r, without owner or derived fields.
func (r *rawSocket) socket() Socket {
	so := Socket{Proto: r.proto, Family: r.family, LocalIP: r.local, LocalPort: r.lport,
		RemoteIP: r.remote, RemotePort: r.rport, State: r.state}
	so.setV6Only(int(r.v6only))
	return so
}

// rawKey puts protocol (tcp before udp) and local port in one number.
func rawKey(p Proto, port uint16) uint32 {
	if p == UDP {
		return 1<<16 | uint32(port)
	}
	return uint32(port)
}

// compareRaw orders raw sockets as SortSockets orders sockets. It returns
// at the first difference: with 18,000 sockets the sort calls it ~250,000 times.
func compareRaw(a, b rawSocket) int {
	if c := cmp.Compare(a.key, b.key); c != 0 {
		return c
	}
	if c := a.local.Compare(b.local); c != 0 {
		return c
	}
	if c := a.remote.Compare(b.remote); c != 0 {
		return c
	}
	if c := cmp.Compare(a.rport, b.rport); c != 0 {
		return c
	}
	if c := cmp.Compare(a.pid, b.pid); c != 0 {
		return c
	}
	return cmp.Compare(a.inode, b.inode)
}

// NewScanner returns a Scanner ready to take snapshots, using the fastest
// way this OS offers (netlink sock_diag on Linux, gopsutil elsewhere).
func NewScanner() *Scanner {
	return &Scanner{owners: newOwnerCache(), engine: newEngine(), ephemeral: EphemeralRange(), now: time.Now}
}

// newGopsutilScanner returns a Scanner that always uses gopsutil, the
// portable path, so tests can compare it with the fast one.
func newGopsutilScanner() *Scanner {
	return &Scanner{owners: newOwnerCache(), engine: gopsutilEngine{}, ephemeral: EphemeralRange(), now: time.Now}
}

// Snapshot lists the sockets in scope with their holders, sorted by
// protocol, port and address. A socket whose every holder exits while it
// is being read is left out: it is gone, or going.
func (s *Scanner) Snapshot(ctx context.Context, scope Scope) (Snapshot, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	res, err := s.engine.list(ctx, scope, s.owners)
	if err != nil {
		return Snapshot{}, err
	}
	snap := Snapshot{Taken: s.now(), Privileged: ownersAlwaysVisible(), Degraded: res.degraded}
	slices.SortFunc(res.raws, compareRaw) // sort the small records, not the Sockets built from them
	b := builder{s: s, res: &res, privileged: snap.Privileged, read: map[int32]ownerRead{}}
	snap.Sockets = make([]Socket, 0, len(res.raws))
	for i := range res.raws {
		r := &res.raws[i]
		if scope == Listening && !r.listening() {
			continue
		}
		if so, ok := b.socket(r); ok {
			snap.Sockets = append(snap.Sockets, so)
		}
	}
	s.owners.sweep()
	return snap, ctx.Err()
}

// builder turns one listing's raw sockets into Sockets.
type builder struct {
	s          *Scanner
	res        *engineResult
	privileged bool
	read       map[int32]ownerRead // each process is read once per snapshot
	ifaces     lazyInterfaces
}

// ownerRead is one process's lookup, shared by all its sockets in a snapshot.
type ownerRead struct {
	one []Owner // the owner alone: the Holders of its unshared sockets
	err error
}

func (b *builder) owner(pid int32) ([]Owner, error) {
	r, ok := b.read[pid]
	if !ok {
		var o Owner
		o, r.err = b.s.owners.lookup(pid)
		r.one = []Owner{o}
		b.read[pid] = r
	}
	return r.one, r.err
}

// socket builds the Socket for r; ok is false when every holder exited.
func (b *builder) socket(r *rawSocket) (so Socket, ok bool) {
	so = r.socket()
	if r.pid > 0 {
		if so.Holders = b.holders(r); len(so.Holders) == 0 {
			return so, false
		}
		so.Owner = so.Holders[0]
	} else {
		b.noOwner(&so, r)
	}
	classify(&so, r.ifindex, &b.ifaces)
	so.PortClass = ClassifyPort(so.LocalPort)
	so.Ephemeral = b.s.ephemeral.Contains(so.LocalPort)
	so.Service = ServiceName(string(so.Proto), so.LocalPort)
	return so, true
}

// holders reads r's holders, lowest PID first, leaving out those that exited.
func (b *builder) holders(r *rawSocket) []Owner {
	if len(r.more) == 0 {
		one, err := b.owner(r.pid)
		if err != nil {
			return nil
		}
		return one
	}
	pids := slices.Sorted(slices.Values(append([]int32{r.pid}, r.more...)))
	out := make([]Owner, 0, len(pids))
	for _, pid := range slices.Compact(pids) {
		if one, err := b.owner(pid); err == nil {
			out = append(out, one[0])
		}
	}
	return out
}

// gopsutilEngine lists sockets through gopsutil: every OS it supports.
type gopsutilEngine struct{}

func (gopsutilEngine) list(ctx context.Context, _ Scope, _ *ownerCache) (engineResult, error) {
	conns, err := psnet.ConnectionsWithoutUidsWithContext(ctx, "inet")
	if err != nil {
		return engineResult{}, wrapListError(err)
	}
	raws := make([]rawSocket, 0, len(conns))
	for _, c := range conns {
		if so, ok := fromConnection(c); ok {
			raws = append(raws, rawSocket{proto: so.Proto, family: so.Family, local: so.LocalIP, lport: so.LocalPort,
				remote: so.RemoteIP, rport: so.RemotePort, state: so.State, v6only: -1, pid: c.Pid, uid: -1,
				key: rawKey(so.Proto, so.LocalPort)})
		}
	}
	return engineResult{raws: raws}, nil
}

func wrapListError(err error) error {
	switch {
	case errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EACCES):
		return fmt.Errorf("%w: the OS would not show the socket table (%v); run with administrator rights", ErrPermission, err)
	case strings.Contains(err.Error(), "not implemented"):
		return ErrUnsupported // gopsutil's sentinel for this lives in an internal package
	}
	return fmt.Errorf("netinfo: read sockets: %w", err)
}

// fromConnection converts gopsutil's record; ok is false for anything that
// is not an IPv4 or IPv6 TCP or UDP socket, or has an address we cannot parse.
func fromConnection(c psnet.ConnectionStat) (so Socket, ok bool) {
	switch c.Type {
	case syscall.SOCK_STREAM:
		so.Proto = TCP
	case syscall.SOCK_DGRAM:
		so.Proto = UDP
	default:
		return so, false
	}
	switch c.Family {
	case syscall.AF_INET:
		so.Family = IPv4
	case syscall.AF_INET6:
		so.Family = IPv6
	default:
		return so, false
	}
	local, err := netip.ParseAddr(c.Laddr.IP)
	if err != nil {
		return so, false
	}
	so.LocalIP, so.LocalPort = local, uint16(c.Laddr.Port)
	if c.Raddr.Port != 0 {
		so.RemoteIP, _ = netip.ParseAddr(c.Raddr.IP)
		so.RemotePort = uint16(c.Raddr.Port)
	}
	so.State = c.Status
	if so.Proto == UDP {
		so.State = StateUnconn
		if so.RemotePort != 0 {
			so.State = "ESTABLISHED"
		}
	}
	return so, true
}

// SortSockets orders sockets by protocol, local port, local address, then
// remote end: the order a reader scans a port list in.
func SortSockets(ss []Socket) {
	slices.SortStableFunc(ss, func(a, b Socket) int {
		return cmp.Or(
			cmp.Compare(a.Proto, b.Proto),
			cmp.Compare(a.LocalPort, b.LocalPort),
			a.LocalIP.Compare(b.LocalIP),
			a.RemoteIP.Compare(b.RemoteIP),
			cmp.Compare(a.RemotePort, b.RemotePort),
			cmp.Compare(a.PID, b.PID),
		)
	})
}
