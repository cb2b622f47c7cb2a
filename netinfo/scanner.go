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
// learnt about processes between snapshots, so keep one for the life of a
// view. It is safe for concurrent use.
type Scanner struct {
	owners    *ownerCache
	ephemeral PortRange
	now       func() time.Time
}

// NewScanner returns a Scanner ready to take snapshots.
func NewScanner() *Scanner {
	return &Scanner{owners: newOwnerCache(), ephemeral: EphemeralRange(), now: time.Now}
}

// Snapshot lists the sockets in scope with their owners, sorted by protocol,
// port and address. A process that exits while it is being read is left out.
func (s *Scanner) Snapshot(ctx context.Context, scope Scope) (Snapshot, error) {
	conns, err := psnet.ConnectionsWithoutUidsWithContext(ctx, "inet")
	if err != nil {
		return Snapshot{}, wrapListError(err)
	}
	snap := Snapshot{Taken: s.now(), Privileged: ownersAlwaysVisible()}
	var ifaces interfaceIndex // read only if a socket is bound to one interface
	for _, c := range conns {
		so, ok := fromConnection(c)
		if !ok || (scope == Listening && !so.Listening()) {
			continue
		}
		if err := s.fillOwner(ctx, &so, c.Pid, snap.Privileged); err != nil {
			continue // the process exited during the scan: its socket is gone too
		}
		s.describe(&so, &ifaces)
		snap.Sockets = append(snap.Sockets, so)
	}
	s.owners.sweep()
	SortSockets(snap.Sockets)
	return snap, ctx.Err()
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

// fillOwner sets the socket's owner. PID 0 means nobody we may see holds it.
func (s *Scanner) fillOwner(ctx context.Context, so *Socket, pid int32, privileged bool) error {
	if pid <= 0 {
		so.Owner = noOwner(*so, privileged)
		return nil
	}
	o, err := s.owners.lookup(ctx, pid)
	if err != nil {
		return err
	}
	so.Owner = o
	return nil
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
