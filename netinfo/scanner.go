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
	list(ctx context.Context, scope Scope, owners *ownerCache) ([]rawSocket, error)
}

// rawSocket is one socket as the OS reports it, before its owner is read:
// small, so that sorting and copying 18,000 of them stays cheap.
type rawSocket struct {
	proto         Proto
	family        Family
	local, remote netip.Addr
	lport, rport  uint16
	state         string
	v6only        int8   // IPV6_V6ONLY: 0, 1, or -1 when unknown
	pid           int32  // 0: no visible process holds it
	inode         uint32 // Linux: the socket's inode, 0 when unknown
	uid           int64  // the socket's owner uid, -1 when unknown
	key           uint32 // protocol and local port in one number, for sorting
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

// Snapshot lists the sockets in scope with their owners, sorted by protocol,
// port and address. A process that exits while it is being read is left out.
func (s *Scanner) Snapshot(ctx context.Context, scope Scope) (Snapshot, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	raws, err := s.engine.list(ctx, scope, s.owners)
	if err != nil {
		return Snapshot{}, err
	}
	snap := Snapshot{Taken: s.now(), Privileged: ownersAlwaysVisible()}
	slices.SortFunc(raws, compareRaw) // sort the small records, not the Sockets built from them
	snap.Sockets = make([]Socket, 0, len(raws))
	var ifaces interfaceIndex     // read only if a socket is bound to one interface
	read := map[int32]ownerRead{} // each process is read once per snapshot
	for i := range raws {
		r := &raws[i]
		if scope == Listening && !r.listening() {
			continue
		}
		so := r.socket()
		if err := s.fillOwner(ctx, &so, r.pid, r.uid, snap.Privileged, read); err != nil {
			continue // the process exited during the scan: its socket is gone too
		}
		s.describe(&so, &ifaces)
		snap.Sockets = append(snap.Sockets, so)
	}
	s.owners.sweep()
	return snap, ctx.Err()
}

// gopsutilEngine lists sockets through gopsutil: every OS it supports.
type gopsutilEngine struct{}

func (gopsutilEngine) list(ctx context.Context, _ Scope, _ *ownerCache) ([]rawSocket, error) {
	conns, err := psnet.ConnectionsWithoutUidsWithContext(ctx, "inet")
	if err != nil {
		return nil, wrapListError(err)
	}
	raws := make([]rawSocket, 0, len(conns))
	for _, c := range conns {
		if so, ok := fromConnection(c); ok {
			raws = append(raws, rawSocket{proto: so.Proto, family: so.Family, local: so.LocalIP, lport: so.LocalPort,
				remote: so.RemoteIP, rport: so.RemotePort, state: so.State, v6only: -1, pid: c.Pid, uid: -1,
				key: rawKey(so.Proto, so.LocalPort)})
		}
	}
	return raws, nil
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

// fillOwner sets the socket's owner. PID 0 means nobody we may see holds
// it; uid, when known (>= 0), still names the user who owns it.
func (s *Scanner) fillOwner(ctx context.Context, so *Socket, pid int32, uid int64, privileged bool, read map[int32]ownerRead) error {
	if pid <= 0 {
		so.Owner = noOwner(*so, privileged)
		if uid >= 0 && so.State != "TIME_WAIT" {
			so.User = s.owners.userName(uint32(uid))
		}
		return nil
	}
	r, ok := read[pid]
	if !ok {
		r.owner, r.err = s.owners.lookup(ctx, pid)
		read[pid] = r
	}
	if r.err != nil {
		return r.err
	}
	so.Owner = r.owner
	return nil
}

// ownerRead is one process's lookup, shared by all its sockets in a snapshot.
type ownerRead struct {
	owner Owner
	err   error
}

// noOwner explains a socket that no visible process holds.
func noOwner(so Socket, privileged bool) Owner {
	switch {
	case so.Proto == TCP && so.State == "TIME_WAIT":
		return Owner{OwnerNote: "No process: the connection is closed and the OS keeps it briefly (TIME_WAIT)."}
	case privileged:
		return Owner{OwnerNote: "No process on this system holds this socket: the kernel does (a service such as NFS or WireGuard), or a process in another container or namespace."}
	}
	return Owner{OwnerHidden: true, OwnerNote: "Owner hidden: the socket belongs to another user's process. Run with administrator rights to see it."}
}

// describe fills the fields derived from the address and port. It reads
// the interface list into *ifaces the first time a socket needs it.
func (s *Scanner) describe(so *Socket, ifaces *interfaceIndex) {
	so.Exposure = ClassifyExposure(so.LocalIP)
	if so.Exposure == ExposureSpecific {
		if *ifaces == nil {
			*ifaces = loadInterfaces()
		}
		so.Interface = (*ifaces)[so.LocalIP.Unmap()]
	}
	so.PortClass = ClassifyPort(so.LocalPort)
	so.Ephemeral = s.ephemeral.Contains(so.LocalPort)
	so.Service = ServiceName(string(so.Proto), so.LocalPort)
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
