package netinfo

import (
	"errors"
	"net/netip"
	"time"
)

// ErrUnsupported is returned where this operating system offers no way to
// list sockets. Callers test for it with errors.Is.
var ErrUnsupported = errors.New("netinfo: listing sockets is not supported on this operating system")

// ErrPermission is returned when the operating system refused to show the
// socket table; running with administrator rights usually helps.
var ErrPermission = errors.New("netinfo: permission denied")

// Proto is a transport protocol: "tcp" or "udp".
type Proto string

// The protocols a Socket can have.
const (
	TCP Proto = "tcp"
	UDP Proto = "udp"
)

// Family is an address family: "ipv4" or "ipv6".
type Family string

// The families a Socket can have.
const (
	IPv4 Family = "ipv4"
	IPv6 Family = "ipv6"
)

// StateListen is the state of a TCP socket waiting for connections, and
// StateUnconn the state of a UDP socket bound to a port without a peer
// (the names ss uses).
const (
	StateListen = "LISTEN"
	StateUnconn = "UNCONN"
)

// Socket is one TCP or UDP socket with its holders and what it means.
//
// Slices in a Socket (Holders, PossibleHolders) may be shared with other
// sockets of the same snapshot: read them, do not modify them.
type Socket struct {
	Proto      Proto      `json:"proto"`
	Family     Family     `json:"family"`
	LocalIP    netip.Addr `json:"local_ip"`
	LocalPort  uint16     `json:"local_port"`
	RemoteIP   netip.Addr `json:"remote_ip"`
	RemotePort uint16     `json:"remote_port"`
	State      string     `json:"state"`

	// Owner is the first holder (the lowest PID), or the reason there is none.
	Owner
	// Holders are every process that holds the socket, Owner first: a
	// server's master and its workers, a shell and its background child.
	// Empty when no process holds it.
	Holders []Owner `json:"holders"`
	// NoProcess says why no process holds the socket; "" when one does.
	NoProcess NoProcess `json:"no_process,omitempty"`
	// PossibleHolders, for a socket whose holder is hidden, are visible
	// processes that could hold it but whose open files the OS hides (they
	// changed user after they started). Which one holds it, if any, only
	// administrator rights can tell.
	PossibleHolders []Owner `json:"possible_holders,omitempty"`

	Exposure  Exposure `json:"exposure"`
	Interface string   `json:"interface,omitempty"` // the interface LocalIP or Device belongs to
	// Device is the interface the socket is tied to with SO_BINDTODEVICE
	// (ss shows it as 0.0.0.0%lo): only packets arriving there reach it.
	Device    string    `json:"device,omitempty"`
	PortClass PortClass `json:"port_class"`
	Ephemeral bool      `json:"ephemeral"` // LocalPort lies in the OS's ephemeral range
	Service   string    `json:"service"`
	// AcceptsIPv4 says, for a socket bound to "::", whether IPv4 clients
	// reach it too (dual-stack); nil where the OS did not say.
	AcceptsIPv4 *bool `json:"accepts_ipv4,omitempty"`
}

// NoProcess is why no process holds a socket.
type NoProcess string

// The reasons a socket can have no process.
const (
	// NoProcessQueued: a connection waiting in its listener's queue; the
	// program has not accepted it yet.
	NoProcessQueued NoProcess = "queued"
	// NoProcessHandshake: a connection whose handshake is not finished.
	NoProcessHandshake NoProcess = "handshake"
	// NoProcessClosing: closed by its program; the kernel finishes the goodbye.
	NoProcessClosing NoProcess = "closing"
	// NoProcessKernel: seen with every right, no process here holds it:
	// the kernel does, or a process in another container or namespace.
	NoProcessKernel NoProcess = "kernel"
	// NoProcessHidden: a process holds it, but this user may not see which.
	NoProcessHidden NoProcess = "hidden"
)

// Label says in a word or three why no process is shown: "hidden",
// "not accepted yet", "handshake", "closing", "no process".
func (n NoProcess) Label() string {
	switch n {
	case NoProcessQueued:
		return "not accepted yet"
	case NoProcessHandshake, NoProcessClosing, NoProcessHidden:
		return string(n)
	}
	return "no process"
}

// setV6Only records the kernel's IPV6_V6ONLY flag (-1: unknown) for a
// socket bound to "::", where it decides whether IPv4 clients reach it.
func (s *Socket) setV6Only(v6only int) {
	if v6only < 0 || !s.LocalIP.IsUnspecified() || !s.LocalIP.Is6() {
		return
	}
	accepts := v6only == 0
	s.AcceptsIPv4 = &accepts
}

// Owner is the process holding a socket, as far as this user may see it.
type Owner struct {
	PID     int32     `json:"pid"`
	Process string    `json:"process"`
	Exe     string    `json:"exe"`
	User    string    `json:"user"`
	Cmdline string    `json:"cmdline"`
	Started time.Time `json:"start_time,omitzero"`
	Parent  int32     `json:"ppid,omitempty"`
	// Manager is what started and watches the process, where it can be
	// told: "systemd unit nginx.service", "Docker container 3f4e2a1b9c8d".
	Manager string `json:"manager,omitempty"`

	// OwnerHidden is set when a process holds the socket but this user may
	// not see which one; OwnerNote then says why, and PID is 0.
	OwnerHidden bool `json:"owner_hidden"`
	// OwnerNote explains a missing owner or a missing detail, in a sentence.
	OwnerNote string `json:"owner_note,omitempty"`
}

// Listening reports whether the socket waits for others to connect: a TCP
// socket in LISTEN, or a UDP socket bound to a port without a peer.
func (s Socket) Listening() bool {
	if s.Proto == TCP {
		return s.State == StateListen
	}
	return s.LocalPort != 0 && s.RemotePort == 0
}

// ReachableFromNetwork reports whether other machines may connect to the
// socket now: it is bound to neither a loopback address nor the loopback
// device, nor to an address this machine does not have.
func (s Socket) ReachableFromNetwork() bool {
	return s.Exposure != ExposureLoopback && s.Exposure != ExposureNotLocal
}

// LocalDialAddr is the address a program on this machine connects to in
// order to reach the socket: 127.0.0.1 for 0.0.0.0, ::1 for an IPv6-only
// "::", the address itself otherwise. ok is false when no connection from
// this machine can reach it: an address the machine does not have, or a
// socket tied to a network interface (local connections arrive on the
// loopback device, not on that interface).
func (s Socket) LocalDialAddr() (addr netip.AddrPort, ok bool) {
	ip := s.LocalIP.Unmap()
	switch {
	case s.Exposure == ExposureNotLocal || s.Exposure == ExposureMulticast || s.Exposure == ExposureBroadcast:
		return addr, false
	case s.Device != "" && s.Exposure != ExposureLoopback:
		return addr, false
	case !ip.IsValid() || ip.IsUnspecified() && ip.Is4():
		ip = netip.AddrFrom4([4]byte{127, 0, 0, 1})
	case ip.IsUnspecified():
		ip = netip.IPv6Loopback()
		if s.AcceptsIPv4 != nil && *s.AcceptsIPv4 {
			ip = netip.AddrFrom4([4]byte{127, 0, 0, 1}) // what a browser tries first for "localhost"
		}
	}
	return netip.AddrPortFrom(ip, s.LocalPort), true
}

// Snapshot is the machine's sockets at one moment.
type Snapshot struct {
	Taken   time.Time
	Sockets []Socket
	// Privileged is true when this process may see every owner (root or
	// administrator); a socket without an owner then belongs to the kernel.
	Privileged bool
	// Degraded, when set, says the fast way to read sockets failed and the
	// slower one answered; the next snapshot tries the fast one again.
	Degraded error
}

// HeldBy reports whether pid is one of the socket's holders.
func (s Socket) HeldBy(pid int32) bool {
	for _, h := range s.Holders {
		if h.PID == pid {
			return true
		}
	}
	return false
}

// HiddenOwners counts the sockets whose owner this user may not see.
func (s Snapshot) HiddenOwners() int {
	n := 0
	for _, so := range s.Sockets {
		if so.OwnerHidden {
			n++
		}
	}
	return n
}
