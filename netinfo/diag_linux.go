package netinfo

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"syscall"

	"golang.org/x/sys/unix"
)

// This file reads the kernel's socket table through netlink sock_diag
// (inet_diag), the interface `ss` uses: one dump per family and protocol
// instead of parsing /proc/net/*, and with each socket's inode and owner
// uid, and for IPv6 whether it is IPv6-only.

const (
	inetDiagReqLen      = 56 // struct inet_diag_req_v2
	inetDiagMsgLen      = 72 // struct inet_diag_msg
	inetDiagV6Only      = 11 // INET_DIAG_SKV6ONLY attribute
	inetDiagReqBytecode = 1  // INET_DIAG_REQ_BYTECODE request attribute
	inetDiagBcSEq       = 11 // INET_DIAG_BC_S_EQ: local port equals
	tcpListenState      = 10
	allStates           = 0xffffffff
	nlmsgHeaderSize     = syscall.NLMSG_HDRLEN
)

// tcpStates names the kernel's TCP states as ss and gopsutil do.
var tcpStates = [...]string{1: "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
	"TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "SYN_RECV"}

// diagDump lists the TCP and UDP sockets of both families through netlink
// into out[:0], reading through buf (the kernel sends at most 32 KiB at a time).
func diagDump(scope Scope, buf []byte, out []rawSocket) ([]rawSocket, error) {
	fd, err := openDiag()
	if err != nil {
		return nil, err
	}
	defer unix.Close(fd)
	out = out[:0]
	for _, fam := range []uint8{unix.AF_INET, unix.AF_INET6} {
		for _, proto := range []uint8{unix.IPPROTO_TCP, unix.IPPROTO_UDP} {
			states := uint32(allStates)
			if proto == unix.IPPROTO_TCP && scope == Listening {
				states = 1 << tcpListenState
			}
			if err := diagRequest(fd, fam, proto, states); err != nil {
				return nil, err
			}
			if out, err = diagReceive(fd, buf, proto, out); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// openDiag opens a netlink sock_diag socket.
func openDiag() (int, error) {
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, unix.NETLINK_SOCK_DIAG)
	if err != nil {
		return -1, fmt.Errorf("netinfo: open sock_diag: %w", err)
	}
	if err := unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		unix.Close(fd)
		return -1, fmt.Errorf("netinfo: bind sock_diag: %w", err)
	}
	return fd, nil
}

func diagRequest(fd int, family, proto uint8, states uint32) error {
	return diagRequestFiltered(fd, family, proto, states, nil)
}

// diagRequestFiltered asks for a dump that the kernel filters with
// bytecode (nil: no filter).
func diagRequestFiltered(fd int, family, proto uint8, states uint32, bytecode []byte) error {
	req := make([]byte, nlmsgHeaderSize+inetDiagReqLen, nlmsgHeaderSize+inetDiagReqLen+4+len(bytecode))
	if bytecode != nil {
		attr := make([]byte, 4, 4+len(bytecode))
		binary.NativeEndian.PutUint16(attr[0:], uint16(4+len(bytecode)))
		binary.NativeEndian.PutUint16(attr[2:], inetDiagReqBytecode)
		req = append(req, append(attr, bytecode...)...)
	}
	binary.NativeEndian.PutUint32(req[0:], uint32(len(req)))
	binary.NativeEndian.PutUint16(req[4:], unix.SOCK_DIAG_BY_FAMILY)
	binary.NativeEndian.PutUint16(req[6:], unix.NLM_F_REQUEST|unix.NLM_F_DUMP)
	binary.NativeEndian.PutUint32(req[8:], 1) // sequence number
	body := req[nlmsgHeaderSize:]
	body[0], body[1] = family, proto
	binary.NativeEndian.PutUint32(body[4:], states)
	if err := unix.Sendto(fd, req, 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		return fmt.Errorf("netinfo: sock_diag request: %w", err)
	}
	return nil
}

// diagReceive reads one dump's answer, appending its sockets to out.
func diagReceive(fd int, buf []byte, proto uint8, out []rawSocket) ([]rawSocket, error) {
	for {
		n, _, err := unix.Recvfrom(fd, buf, 0)
		if err != nil {
			if errors.Is(err, unix.EINTR) {
				continue
			}
			return out, fmt.Errorf("netinfo: sock_diag receive: %w", err)
		}
		msgs := buf[:n]
		for len(msgs) >= nlmsgHeaderSize {
			l := int(binary.NativeEndian.Uint32(msgs[0:]))
			typ := binary.NativeEndian.Uint16(msgs[4:])
			if l < nlmsgHeaderSize || l > len(msgs) {
				return out, errors.New("netinfo: sock_diag: malformed message")
			}
			switch typ {
			case unix.NLMSG_DONE:
				return out, nil
			case unix.NLMSG_ERROR:
				if l >= nlmsgHeaderSize+4 {
					if errno := int32(binary.NativeEndian.Uint32(msgs[nlmsgHeaderSize:])); errno != 0 {
						return out, fmt.Errorf("netinfo: sock_diag: %w", syscall.Errno(-errno))
					}
				}
				return out, nil
			case unix.SOCK_DIAG_BY_FAMILY:
				if s, ok := parseDiagMsg(msgs[nlmsgHeaderSize:l], proto); ok {
					out = append(out, s)
				}
			}
			msgs = msgs[min(nlAlign(l), len(msgs)):]
		}
	}
}

func nlAlign(n int) int { return (n + 3) &^ 3 }

// parseDiagMsg decodes one struct inet_diag_msg and its attributes.
func parseDiagMsg(b []byte, proto uint8) (rawSocket, bool) {
	s := rawSocket{v6only: -1}
	if len(b) < inetDiagMsgLen {
		return s, false
	}
	family, state := b[0], b[1]
	id := b[4:52]
	s.lport = binary.BigEndian.Uint16(id[0:])
	s.rport = binary.BigEndian.Uint16(id[2:])
	switch family {
	case unix.AF_INET:
		s.family = IPv4
		s.local = netip.AddrFrom4([4]byte(id[4:8]))
		s.remote = netip.AddrFrom4([4]byte(id[20:24]))
	case unix.AF_INET6:
		s.family = IPv6
		s.local = netip.AddrFrom16([16]byte(id[4:20]))
		s.remote = netip.AddrFrom16([16]byte(id[20:36]))
		s.v6only = int8(diagV6Only(b[inetDiagMsgLen:]))
	default:
		return s, false
	}
	s.ifindex = binary.NativeEndian.Uint32(id[36:]) // idiag_if: the SO_BINDTODEVICE interface
	s.uid = int64(binary.NativeEndian.Uint32(b[64:]))
	s.inode = binary.NativeEndian.Uint32(b[68:])
	if proto == unix.IPPROTO_TCP {
		s.proto = TCP
		if int(state) < len(tcpStates) {
			s.state = tcpStates[state]
		}
	} else {
		s.proto = UDP
		s.state = StateUnconn
		if s.rport != 0 {
			s.state = "ESTABLISHED"
		}
	}
	if s.rport == 0 {
		s.remote = netip.Addr{}
	}
	s.key = rawKey(s.proto, s.lport)
	return s, true
}

// diagV6Only finds the INET_DIAG_SKV6ONLY attribute: -1 when absent.
func diagV6Only(attrs []byte) int {
	for len(attrs) >= 4 {
		l := int(binary.NativeEndian.Uint16(attrs[0:]))
		typ := binary.NativeEndian.Uint16(attrs[2:])
		if l < 4 || l > len(attrs) {
			return -1
		}
		if typ == inetDiagV6Only && l >= 5 {
			return int(attrs[4])
		}
		attrs = attrs[min(nlAlign(l), len(attrs)):]
	}
	return -1
}

// diagPortDump lists the sockets of one family and protocol on one local
// port: a dump the kernel filters, so it costs microseconds where a full
// dump of 18,000 sockets costs tens of milliseconds.
func diagPortDump(family Family, proto Proto, port uint16, state string, buf []byte) ([]rawSocket, error) {
	fd, err := openDiag()
	if err != nil {
		return nil, err
	}
	defer unix.Close(fd)
	fam, p := uint8(unix.AF_INET), uint8(unix.IPPROTO_TCP)
	if family == IPv6 {
		fam = unix.AF_INET6
	}
	if proto == UDP {
		p = unix.IPPROTO_UDP
	}
	// Two ops: "local port == port? jump 8 (past the end: keep) : jump 12
	// (further past the end: drop)", the second op holding the port.
	bc := make([]byte, 8)
	bc[0], bc[1] = inetDiagBcSEq, 8
	binary.NativeEndian.PutUint16(bc[2:], 12)
	binary.NativeEndian.PutUint16(bc[6:], port)
	// One state for TCP, so a listener is looked for in the listeners'
	// table only, not among every connection.
	states := uint32(allStates)
	if i := slices.Index(tcpStates[:], state); proto == TCP && i > 0 {
		states = 1 << i
	}
	if err := diagRequestFiltered(fd, fam, p, states, bc); err != nil {
		return nil, err
	}
	return diagReceive(fd, buf, p, nil)
}
