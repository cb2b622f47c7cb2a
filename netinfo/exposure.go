package netinfo

import (
	"fmt"
	"net"
	"net/netip"
)

// Exposure says who can connect to a socket, judged from its local address
// and the interface it is tied to.
type Exposure string

// The exposures a socket can have.
const (
	// ExposureLoopback: bound to 127.0.0.0/8 or ::1, or tied to a loopback
	// device; only this machine can connect.
	ExposureLoopback Exposure = "loopback"
	// ExposureAll: bound to 0.0.0.0 or ::; every interface, so other machines can connect.
	ExposureAll Exposure = "all-interfaces"
	// ExposureSpecific: bound to one address of one interface, or tied to
	// one interface with SO_BINDTODEVICE.
	ExposureSpecific Exposure = "specific"
	// ExposureMulticast: bound to a multicast group's address.
	ExposureMulticast Exposure = "multicast"
	// ExposureBroadcast: bound to a broadcast address.
	ExposureBroadcast Exposure = "broadcast"
	// ExposureNotLocal: bound to an address no interface of this machine
	// has (IP_FREEBIND, a failover address, an address since deleted).
	ExposureNotLocal Exposure = "not-local"
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
	case ExposureMulticast:
		return "Multicast group"
	case ExposureBroadcast:
		return "Broadcast"
	case ExposureNotLocal:
		return "Address not on this machine"
	}
	return string(e)
}

// ClassifyExposure says who can reach an address, from the address alone:
// loopback, all interfaces, multicast, or one specific address. A Scanner
// refines this with the machine's interfaces and the socket's device.
func ClassifyExposure(ip netip.Addr) Exposure {
	ip = ip.Unmap()
	switch {
	case ip.IsLoopback():
		return ExposureLoopback
	case !ip.IsValid() || ip.IsUnspecified():
		return ExposureAll
	case ip.IsMulticast():
		return ExposureMulticast
	case ip == limitedBroadcast:
		return ExposureBroadcast
	}
	return ExposureSpecific
}

var limitedBroadcast = netip.AddrFrom4([4]byte{255, 255, 255, 255})

// classify sets the socket's exposure and interface from its address, its
// device and the machine's interfaces (read into *ifaces when needed).
func classify(so *Socket, ifindex uint32, ifaces *lazyInterfaces) {
	so.Exposure = ClassifyExposure(so.LocalIP)
	if ifindex == 0 && so.Exposure != ExposureSpecific {
		return
	}
	idx := ifaces.get()
	ip := so.LocalIP.Unmap()
	if ifindex != 0 {
		dev := idx.byIndex[int(ifindex)]
		so.Device = dev.name
		if so.Device == "" {
			so.Device = fmt.Sprintf("if%d", ifindex) // the interface has gone
		}
		switch {
		case dev.loopback:
			so.Exposure = ExposureLoopback
		case so.Exposure == ExposureAll:
			so.Exposure = ExposureSpecific
		}
		if so.Exposure != ExposureLoopback {
			so.Interface = so.Device
		}
		return
	}
	if name, ok := idx.broadcast[ip]; ok {
		so.Exposure, so.Interface = ExposureBroadcast, name
		return
	}
	if name, ok := idx.addrs[ip]; ok {
		so.Interface = name
		return
	}
	so.Exposure = ExposureNotLocal
}

// ExposureWhy is one sentence that explains a socket's exposure, e.g.
// "Reachable from other machines: bound to 0.0.0.0, every IPv4 interface."
func ExposureWhy(s Socket) string {
	ip := s.LocalIP
	if s.Device != "" {
		return deviceWhy(s)
	}
	switch s.Exposure {
	case ExposureLoopback:
		return fmt.Sprintf("Only this machine can connect: bound to %s, a loopback address that never leaves the machine.", ip)
	case ExposureAll:
		return allWhy(s)
	case ExposureSpecific:
		if s.Interface != "" {
			return fmt.Sprintf("Reachable from the network on %s: bound to %s, that interface's address only.", s.Interface, ip)
		}
		return fmt.Sprintf("Reachable from the network that %s is on: bound to that one address.", ip)
	case ExposureMulticast:
		return fmt.Sprintf("Reachable from the local network: bound to the multicast group %s, it takes datagrams any machine there sends to that group.", ip)
	case ExposureBroadcast:
		if s.Interface != "" {
			return fmt.Sprintf("Reachable from the local network: bound to %s, the broadcast address of %s; any machine on that network can send to it.", ip, s.Interface)
		}
		return fmt.Sprintf("Reachable from the local network: bound to %s, the broadcast address; any machine on the same network can send to it.", ip)
	case ExposureNotLocal:
		return fmt.Sprintf("Not reachable now: bound to %s, an address no interface of this machine has (a failover address, or one since removed). It becomes reachable the moment the address is added.", ip)
	}
	return ""
}

func allWhy(s Socket) string {
	if s.LocalIP.Is4() || !s.LocalIP.IsValid() {
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
}

// deviceWhy explains a socket tied to one interface with SO_BINDTODEVICE.
func deviceWhy(s Socket) string {
	if s.Exposure == ExposureLoopback {
		return fmt.Sprintf("Only this machine can connect: bound to %s but tied to the loopback device %s, so only packets from this machine reach it.", s.LocalIP, s.Device)
	}
	return fmt.Sprintf("Reachable from the network on %s only: bound to %s and tied to that interface, so packets arriving on other interfaces do not reach it.", s.Device, s.LocalIP)
}

// lazyInterfaces reads the machine's interfaces the first time a socket
// of a snapshot needs them: most snapshots never do.
type lazyInterfaces struct{ idx *ifaceIndex }

func (l *lazyInterfaces) get() *ifaceIndex {
	if l.idx == nil {
		l.idx = loadInterfaces()
	}
	return l.idx
}

// ifaceIndex is what a snapshot needs to know about the interfaces.
type ifaceIndex struct {
	addrs     map[netip.Addr]string // each local address -> its interface
	broadcast map[netip.Addr]string // each IPv4 subnet's broadcast address -> its interface
	byIndex   map[int]ifaceRef
}

type ifaceRef struct {
	name     string
	loopback bool
}

// loadInterfaces reads the machine's interfaces. Failure is not fatal: a
// socket then simply does not name its interface.
func loadInterfaces() *ifaceIndex {
	idx := &ifaceIndex{addrs: map[netip.Addr]string{}, broadcast: map[netip.Addr]string{}, byIndex: map[int]ifaceRef{}}
	ifaces, err := net.Interfaces()
	if err != nil {
		return idx
	}
	for _, ifc := range ifaces {
		idx.byIndex[ifc.Index] = ifaceRef{name: ifc.Name, loopback: ifc.Flags&net.FlagLoopback != 0}
		addrs, err := ifc.Addrs()
		if err != nil {
			continue
		}
		for _, a := range addrs {
			pfx, err := netip.ParsePrefix(a.String())
			if err != nil {
				continue
			}
			addr := pfx.Addr().Unmap()
			idx.addrs[addr] = ifc.Name
			if addr.Is4() && pfx.Bits() < 31 && ifc.Flags&net.FlagBroadcast != 0 {
				idx.broadcast[lastAddr(pfx)] = ifc.Name
			}
		}
	}
	return idx
}

// lastAddr is an IPv4 prefix's broadcast address: every host bit set.
func lastAddr(p netip.Prefix) netip.Addr {
	a := p.Masked().Addr().As4()
	host := ^uint32(0) >> p.Bits()
	v := uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3]) | host
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

// AddressLabel is the local address as tables show it: the device a
// socket is tied to after a "%" (as ss writes it), and "(+IPv4)" after a
// "::" that takes IPv4 clients too: "0.0.0.0%lo", ":: (+IPv4)".
func AddressLabel(s Socket) string {
	a := "*"
	if s.LocalIP.IsValid() {
		a = s.LocalIP.String()
	}
	if s.Device != "" && s.LocalIP.Zone() == "" {
		a += "%" + s.Device
	}
	if s.AcceptsIPv4 != nil && *s.AcceptsIPv4 {
		a += " (+IPv4)"
	}
	return a
}
