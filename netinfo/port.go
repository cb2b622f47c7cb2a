package netinfo

import (
	"context"
	"fmt"
	"strconv"
	"time"
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

// SocketsOf returns the sockets pid holds.
func SocketsOf(sockets []Socket, pid int32) []Socket {
	var out []Socket
	for _, s := range sockets {
		if s.PID == pid {
			out = append(out, s)
		}
	}
	return out
}

// WaitFree rescans until nothing listens on port or timeout passes, and
// returns what still listens then. A process that has just been killed may
// hold its sockets a moment longer than it takes to look like it exited
// (its other threads are still tearing down), so one rescan is not enough.
func (s *Scanner) WaitFree(ctx context.Context, port uint16, timeout time.Duration) ([]Socket, error) {
	deadline := time.Now().Add(timeout)
	for {
		snap, err := s.Snapshot(ctx, Listening)
		if err != nil {
			return nil, err
		}
		held := ListenersOn(snap.Sockets, port)
		if len(held) == 0 || time.Now().After(deadline) {
			return held, nil
		}
		select {
		case <-ctx.Done():
			return held, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}
