package sniff

import (
	"net"
	"net/netip"
	"slices"
	"strings"

	"github.com/gopacket/gopacket/pcap"
)

// Interface is a device libpcap can capture on.
type Interface struct {
	Name        string
	Description string
	Addrs       []netip.Addr
	Loopback    bool
	Up          bool
}

// libpcap's interface flags (pcap.h).
const (
	pcapIfLoopback = 0x1
	pcapIfUp       = 0x2
)

// Interfaces lists the devices libpcap can capture on: loopback first,
// then the ones that are up, by name; "any" (Linux) last.
func Interfaces() ([]Interface, error) {
	devs, err := pcap.FindAllDevs()
	if err != nil {
		return nil, err
	}
	out := make([]Interface, 0, len(devs))
	for _, d := range devs {
		i := Interface{Name: d.Name, Description: d.Description,
			Loopback: d.Flags&pcapIfLoopback != 0, Up: d.Flags&pcapIfUp != 0}
		if ni, err := net.InterfaceByName(d.Name); err == nil {
			i.Up = i.Up || ni.Flags&net.FlagUp != 0
			i.Loopback = i.Loopback || ni.Flags&net.FlagLoopback != 0
		}
		for _, a := range d.Addresses {
			if ip, ok := netip.AddrFromSlice(a.IP); ok {
				i.Addrs = append(i.Addrs, ip.Unmap())
			}
		}
		if d.Name == "any" && i.Description == "" {
			i.Description = "every interface at once"
		}
		out = append(out, i)
	}
	rank := func(i Interface) int {
		switch {
		case i.Loopback:
			return 0
		case i.Name == "any":
			return 3
		case i.Up:
			return 1
		}
		return 2
	}
	slices.SortStableFunc(out, func(a, b Interface) int {
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra - rb
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out, nil
}

// LoopbackName is the loopback interface's name here ("lo" on Linux,
// "lo0" on macOS), or "" when libpcap lists none.
func LoopbackName() string {
	ifs, err := Interfaces()
	if err != nil {
		return ""
	}
	for _, i := range ifs {
		if i.Loopback {
			return i.Name
		}
	}
	return ""
}
