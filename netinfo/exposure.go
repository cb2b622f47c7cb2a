package netinfo

import (
	"fmt"
	"net"
	"net/netip"
)

// Exposure says who can connect to a socket, judged from its local address.
type Exposure string

// The exposures a socket can have.
const (
	// ExposureLoopback: bound to 127.0.0.0/8 or ::1; only this machine can connect.
	ExposureLoopback Exposure = "loopback"
	// ExposureAll: bound to 0.0.0.0 or ::; every interface, so other machines can connect.
	ExposureAll Exposure = "all-interfaces"
	// ExposureSpecific: bound to one address of one interface.
	ExposureSpecific Exposure = "specific"
)

// Label is a short badge text for the exposure.
func (e Exposure) Label() string {
	switch e {
	case ExposureLoopback:
		return "This machine only"
	case ExposureAll:
		return "All interfaces"
	case ExposureSpecific:
		return "One interface"
	}
	return string(e)
}

// ClassifyExposure says who can reach an address.
func ClassifyExposure(ip netip.Addr) Exposure {
	ip = ip.Unmap()
	switch {
	case ip.IsLoopback():
		return ExposureLoopback
	case !ip.IsValid() || ip.IsUnspecified():
		return ExposureAll
	}
	return ExposureSpecific
}

// ExposureWhy is one sentence that explains a socket's exposure, e.g.
// "Reachable from other machines: bound to 0.0.0.0, every IPv4 interface."
func ExposureWhy(s Socket) string {
	ip := s.LocalIP
	switch s.Exposure {
	case ExposureLoopback:
		return fmt.Sprintf("Only this machine can connect: bound to %s, a loopback address that never leaves the machine.", ip)
	case ExposureAll:
		if ip.Is4() || !ip.IsValid() {
			return "Reachable from other machines: bound to 0.0.0.0, every IPv4 interface."
		}
		if s.AcceptsIPv4 != nil {
			if *s.AcceptsIPv4 {
				return "Reachable from other machines: bound to ::, every IPv6 interface, and IPv4 too (dual-stack)."
			}
			return "Reachable from other machines: bound to ::, every IPv6 interface (IPv6 only: the program turned IPv4 off)."
		}
		if v6OnlyByDefault() {
			return "Reachable from other machines: bound to ::, every IPv6 interface (IPv6 only, the system default here)."
		}
		return "Reachable from other machines: bound to ::, every IPv6 interface, and IPv4 too unless the program asked for IPv6 only (the system default here is dual-stack)."
	case ExposureSpecific:
		if s.Interface != "" {
			return fmt.Sprintf("Reachable from the network on %s: bound to %s, that interface's address only.", s.Interface, ip)
		}
		return fmt.Sprintf("Reachable from the network that %s is on: bound to that one address.", ip)
	}
	return ""
}

// interfaceIndex maps each local address to the name of its interface.
type interfaceIndex map[netip.Addr]string

// loadInterfaces reads the machine's interface addresses. Failure is not
// fatal: a socket then simply does not name its interface.
func loadInterfaces() interfaceIndex {
	idx := interfaceIndex{}
	ifaces, err := net.Interfaces()
	if err != nil {
		return idx
	}
	for _, ifc := range ifaces {
		addrs, err := ifc.Addrs()
		if err != nil {
			continue
		}
		for _, a := range addrs {
			if pfx, err := netip.ParsePrefix(a.String()); err == nil {
				idx[pfx.Addr().Unmap()] = ifc.Name
			}
		}
	}
	return idx
}
