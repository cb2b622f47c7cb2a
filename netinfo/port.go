package netinfo

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// ParsePort parses a port number from 1 to 65535, with an error that says
// what a port is when it is not one.
func ParsePort(s string) (uint16, error) {
	n, err := strconv.ParseUint(s, 10, 16)
	if err != nil || n == 0 {
		return 0, fmt.Errorf("%q is not a port: give a number from 1 to 65535", s)
	}
	return uint16(n), nil
}

// ListenersOn returns the listening sockets on port, of either protocol.
func ListenersOn(sockets []Socket, port uint16) []Socket {
	var out []Socket
	for _, s := range sockets {
		if s.LocalPort == port && s.Listening() {
			out = append(out, s)
		}
	}
	return out
}

// SocketsOf returns the sockets pid holds, alone or shared with others.
func SocketsOf(sockets []Socket, pid int32) []Socket {
	var out []Socket
	for _, s := range sockets {
		if s.HeldBy(pid) {
			out = append(out, s)
		}
	}
	return out
}

// PortHolders names, in a phrase for a message, who holds port over
// proto: "python3 (PID 5864)", "nginx (PID 10), nginx (PID 11) and 2
// more", or "a process Loopscope cannot see (why)". It
// prefers listening sockets; "" when no socket uses the port.
func PortHolders(sockets []Socket, proto Proto, port uint16) string {
	var on []Socket
	for _, s := range sockets {
		if s.Proto == proto && s.LocalPort == port {
			on = append(on, s)
		}
	}
	if len(on) == 0 {
		return ""
	}
	slices.SortStableFunc(on, func(a, b Socket) int { return boolOrder(b.Listening()) - boolOrder(a.Listening()) })
	var owners []Owner
	for _, s := range on {
		owners = append(owners, s.Holders...)
	}
	if len(owners) > 0 {
		return ownerNames(dedupeOwners(owners))
	}
	if note := strings.TrimSuffix(on[0].OwnerNote, "."); note != "" {
		return "a process Loopscope cannot see (" + strings.ToLower(note[:1]) + note[1:] + ")"
	}
	return "a process Loopscope cannot see"
}

func boolOrder(b bool) int {
	if b {
		return 1
	}
	return 0
}
