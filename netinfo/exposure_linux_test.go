package netinfo

import (
	"context"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// rawListener opens a socket with the options given and returns its port.
// For TCP it listens; for UDP it is bound.
func rawListener(t *testing.T, proto Proto, addr netip.Addr, opts func(fd int) error) uint16 {
	t.Helper()
	family, typ := unix.AF_INET, unix.SOCK_STREAM
	if addr.Is6() {
		family = unix.AF_INET6
	}
	if proto == UDP {
		typ = unix.SOCK_DGRAM
	}
	fd, err := unix.Socket(family, typ|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Close(fd) })
	if opts != nil {
		if err := opts(fd); err != nil {
			t.Fatalf("socket option: %v", err)
		}
	}
	var sa unix.Sockaddr
	if addr.Is6() {
		sa = &unix.SockaddrInet6{Addr: addr.As16()}
	} else {
		sa = &unix.SockaddrInet4{Addr: addr.As4()}
	}
	if err := unix.Bind(fd, sa); err != nil {
		t.Fatalf("bind %s: %v", addr, err)
	}
	if proto == TCP {
		if err := unix.Listen(fd, 8); err != nil {
			t.Fatal(err)
		}
	}
	got, err := unix.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	switch a := got.(type) {
	case *unix.SockaddrInet4:
		return uint16(a.Port)
	case *unix.SockaddrInet6:
		return uint16(a.Port)
	}
	t.Fatal("no port")
	return 0
}

func bindToDevice(dev string) func(int) error {
	return func(fd int) error { return unix.BindToDevice(fd, dev) }
}

func freebind(fd int) error { return unix.SetsockoptInt(fd, unix.SOL_IP, unix.IP_FREEBIND, 1) }

func v6only(on int) func(int) error {
	return func(fd int) error { return unix.SetsockoptInt(fd, unix.IPPROTO_IPV6, unix.IPV6_V6ONLY, on) }
}

// firstInterface returns an up, non-loopback interface with an IPv4
// address, and that subnet's broadcast address.
func firstInterface() (name string, bcast netip.Addr, ok bool) {
	ifaces, _ := net.Interfaces()
	for _, ifc := range ifaces {
		if ifc.Flags&net.FlagUp == 0 || ifc.Flags&net.FlagLoopback != 0 || ifc.Flags&net.FlagBroadcast == 0 {
			continue
		}
		addrs, _ := ifc.Addrs()
		for _, a := range addrs {
			if p, err := netip.ParsePrefix(a.String()); err == nil && p.Addr().Is4() && p.Bits() < 31 {
				return ifc.Name, lastAddr(p), true
			}
		}
	}
	return "", netip.Addr{}, false
}

// TestExposureMatchesKernel builds sockets that ss shows oddly (tied to a
// device, multicast, broadcast, an address no interface has, :: with and
// without IPv4) and checks what the snapshot says of each against ss.
func TestExposureMatchesKernel(t *testing.T) {
	requireRoot(t) // SO_BINDTODEVICE and binding to foreign addresses
	type sock struct {
		name      string
		proto     Proto
		addr      string
		opts      func(int) error
		exposure  Exposure
		label     string // AddressLabel, with PORT for the port
		ssAddress string // ss's local address, with PORT for the port
	}
	tests := []sock{
		{"tied to lo", TCP, "0.0.0.0", bindToDevice("lo"), ExposureLoopback, "0.0.0.0%lo", "0.0.0.0%lo:PORT"},
		{"multicast group", UDP, "239.255.77.1", nil, ExposureMulticast, "239.255.77.1", "239.255.77.1:PORT"},
		{"limited broadcast", UDP, "255.255.255.255", nil, ExposureBroadcast, "255.255.255.255", "255.255.255.255:PORT"},
		{"address not on this machine", TCP, "198.51.100.7", freebind, ExposureNotLocal, "198.51.100.7", "198.51.100.7:PORT"},
		{":: dual-stack", TCP, "::", v6only(0), ExposureAll, ":: (+IPv4)", "*:PORT"},
		{":: IPv6 only", TCP, "::", v6only(1), ExposureAll, "::", "[::]:PORT"},
	}
	if dev, bcast, ok := firstInterface(); ok {
		tests = append(tests,
			sock{"tied to " + dev, TCP, "0.0.0.0", bindToDevice(dev), ExposureSpecific, "0.0.0.0%" + dev, "0.0.0.0%" + dev + ":PORT"},
			sock{"subnet broadcast of " + dev, UDP, bcast.String(), nil, ExposureBroadcast, bcast.String(), bcast.String() + ":PORT"})
	} else {
		t.Log("no up, non-loopback IPv4 interface: device and subnet-broadcast cases left out")
	}
	sc := NewScanner()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			port := rawListener(t, tt.proto, netip.MustParseAddr(tt.addr), tt.opts)
			snap, err := sc.Snapshot(context.Background(), Listening)
			if err != nil {
				t.Fatal(err)
			}
			var s Socket
			for _, so := range ListenersOn(snap.Sockets, port) {
				if so.Proto == tt.proto && so.PID == int32(os.Getpid()) {
					s = so
				}
			}
			if s.LocalPort == 0 {
				t.Fatalf("no %s socket of this process on port %d", tt.proto, port)
			}
			flags := "-tln"
			if tt.proto == UDP {
				flags = "-uln"
			}
			ss := ssSockets(t, flags, port)
			if len(ss) != 1 {
				t.Fatalf("ss shows %d sockets on port %d", len(ss), port)
			}
			portText := strconv.Itoa(int(port))
			if want := strings.ReplaceAll(tt.ssAddress, "PORT", portText); ss[0].local != want {
				t.Errorf("ss shows %s, the test expected %s", ss[0].local, want)
			}
			if got := AddressLabel(s); got != tt.label {
				t.Errorf("address label %q, want %q (ss: %s)", got, tt.label, ss[0].local)
			}
			if s.Exposure != tt.exposure {
				t.Errorf("exposure %q, want %q", s.Exposure, tt.exposure)
			}
			if ExposureWhy(s) == "" {
				t.Error("no explanation for the exposure")
			}
		})
	}
}
