package diagnose

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/loopscope/loopscope/netinfo/serve"
)

// Reach is one way of connecting to the port from this machine, and
// what it gave.
type Reach struct {
	Target  string  `json:"target"`  // "127.0.0.1", "::1", "localhost", or a LAN address
	Address string  `json:"address"` // the address it connected to, or tried: "127.0.0.1:8080"
	Result  string  `json:"result"`  // "connected", "refused", "timeout" or "unreachable"
	MS      float64 `json:"ms"`      // how long it took
}

// The results a connection can have.
const (
	Connected   = "connected"
	Refused     = "refused"
	Timeout     = "timeout"
	Unreachable = "unreachable"
)

// reachability connects to the port over TCP the ways a program on this
// machine would: 127.0.0.1, ::1, the name localhost (as the resolver
// orders it) and each address other devices would use, side by side.
func reachability(ctx context.Context, port uint16) []Reach {
	targets := []string{"127.0.0.1", "::1", "localhost"}
	for _, a := range serve.LANAddrs() {
		targets = append(targets, a.String())
	}
	out := make([]Reach, len(targets))
	var wg sync.WaitGroup
	for i, t := range targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = Dial(ctx, t, port)
		}()
	}
	wg.Wait()
	return out
}

// Dial connects once over TCP to target:port and says how it went.
func Dial(ctx context.Context, target string, port uint16) Reach {
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	addr := net.JoinHostPort(target, strconv.Itoa(int(port)))
	r := Reach{Target: target, Address: addr}
	start := time.Now()
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", addr)
	r.MS = float64(time.Since(start).Microseconds()) / 1000
	if err == nil {
		if ap, perr := netip.ParseAddrPort(c.RemoteAddr().String()); perr == nil {
			r.Address = ap.String() // localhost: the address it reached
		}
		c.Close()
		r.Result = Connected
		return r
	}
	r.Result = classify(err)
	return r
}

// classify names why a connection failed.
func classify(err error) string {
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return Refused
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, syscall.ETIMEDOUT), isTimeout(err):
		return Timeout
	}
	return Unreachable
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
