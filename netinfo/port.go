package netinfo

import (
	"fmt"
	"strconv"
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
