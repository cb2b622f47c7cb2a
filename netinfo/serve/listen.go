package serve

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"runtime"
	"strconv"
	"syscall"
)

// Sentinels a caller tests with errors.Is.
var (
	// ErrPortInUse: another socket holds the port. The caller can name
	// its owner (netinfo) and offer the next free port.
	ErrPortInUse = errors.New("port in use")
	// ErrPrivilegedPort: the port is below 1024 and this process may not
	// bind it.
	ErrPrivilegedPort = errors.New("port needs administrator rights")
	// ErrExposed: the address would let other devices reach the server,
	// and the config did not say Expose.
	ErrExposed = errors.New("address reachable from other devices")
)

// BindError says why a server could not listen.
type BindError struct {
	Network string // "tcp", "udp"
	Addr    string // the address asked for, "127.0.0.1"
	Port    int
	Err     error // ErrPortInUse, ErrPrivilegedPort, or the OS's error
}

func (e *BindError) Error() string {
	where := net.JoinHostPort(e.Addr, strconv.Itoa(e.Port))
	switch {
	case errors.Is(e.Err, ErrPortInUse):
		return fmt.Sprintf("serve: %s port %d is already in use on %s: choose another port, or end the program that holds it", upper(e.Network), e.Port, e.Addr)
	case errors.Is(e.Err, ErrPrivilegedPort):
		return fmt.Sprintf("serve: cannot listen on %s: %s", where, PrivilegedPortAdvice(e.Port))
	case errors.Is(e.Err, syscall.EADDRNOTAVAIL):
		return fmt.Sprintf("serve: cannot listen on %s: %s is not an address of this machine", where, e.Addr)
	}
	return fmt.Sprintf("serve: cannot listen on %s: %v", where, e.Err)
}

func (e *BindError) Unwrap() error { return e.Err }

func upper(network string) string {
	if network == "udp" {
		return "UDP"
	}
	return "TCP"
}

// PrivilegedPortAdvice explains why a port below 1024 may be refused, and
// what to do; "" for other ports.
func PrivilegedPortAdvice(port int) string {
	if port <= 0 || port >= 1024 {
		return ""
	}
	switch runtime.GOOS {
	case "linux":
		return fmt.Sprintf("ports below 1024 (like %d) need administrator rights on Linux (root, or the CAP_NET_BIND_SERVICE capability); pick a port above 1023, such as 8080", port)
	case "windows":
		return ""
	}
	return fmt.Sprintf("ports below 1024 (like %d) may need administrator rights; pick a port above 1023, such as 8080", port)
}

// bindAddr decides the address a server listens on: the config's Bind,
// or 127.0.0.1; with Expose and no Bind, every address ("", which Go
// listens on as [::] for IPv4 and IPv6). A Bind that other devices could
// reach is refused without Expose.
func bindAddr(cfg Config) (string, error) {
	switch cfg.Bind {
	case "":
		if cfg.Expose {
			return "", nil
		}
		return "127.0.0.1", nil
	case "localhost":
		return "127.0.0.1", nil
	}
	ip, err := netip.ParseAddr(cfg.Bind)
	if err != nil || ip.Zone() != "" {
		return "", fmt.Errorf("serve: %q is not an IP address; use 127.0.0.1, ::1, 0.0.0.0 or an address of this machine", cfg.Bind)
	}
	if !ip.IsLoopback() && !cfg.Expose {
		return "", fmt.Errorf("serve: %s can be reached from other devices: turn on \"Reachable from other devices\" (--expose) to listen there: %w", ip, ErrExposed)
	}
	return ip.String(), nil
}

// classify turns the OS's listen error into a BindError.
func classify(network, addr string, port int, err error) error {
	shown := addr
	if shown == "" {
		shown = "every address"
	}
	be := &BindError{Network: network, Addr: shown, Port: port, Err: err}
	switch {
	case errors.Is(err, syscall.EADDRINUSE):
		be.Err = fmt.Errorf("%w: %w", ErrPortInUse, err)
	case (errors.Is(err, syscall.EACCES) || errors.Is(err, syscall.EPERM)) && port > 0 && port < 1024:
		be.Err = fmt.Errorf("%w: %w", ErrPrivilegedPort, err)
	}
	return be
}

// listen opens the server's socket on addr:port.
func listen(network, addr string, port int) (net.Listener, net.PacketConn, error) {
	hostport := net.JoinHostPort(addr, strconv.Itoa(port))
	family := network
	if addr == "0.0.0.0" {
		// IPv4's every address, as asked: Go would listen on [::] for
		// IPv6 too.
		family += "4"
	}
	if network == "udp" {
		pc, err := net.ListenPacket(family, hostport)
		if err != nil {
			return nil, nil, classify(network, addr, port, err)
		}
		return nil, pc, nil
	}
	ln, err := net.Listen(family, hostport)
	if err != nil {
		return nil, nil, classify(network, addr, port, err)
	}
	return ln, nil, nil
}

// NextFreePort finds the first port after port that cfg's server could
// listen on now, for "use the next free port". It tries the ports up to
// 65535, then wraps to 1024.
func NextFreePort(cfg Config, port int) (int, error) {
	addr, err := bindAddr(cfg)
	if err != nil {
		return 0, err
	}
	for i := 1; i < 65536; i++ {
		p := port + i
		if p > 65535 {
			p = 1024 + (p-65536)%(65536-1024)
		}
		ln, pc, err := listen(cfg.Kind.Network(), addr, p)
		if err != nil {
			continue
		}
		if ln != nil {
			ln.Close()
		} else {
			pc.Close()
		}
		return p, nil
	}
	return 0, fmt.Errorf("serve: no free %s port on %s", upper(cfg.Kind.Network()), addr)
}
