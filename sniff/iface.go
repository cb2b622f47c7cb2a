package sniff

import (
	"net/netip"
	"slices"
	"strings"
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

// sortInterfaces puts loopback first, then the ones that are up, by
// name; "any" (Linux) last.
func sortInterfaces(out []Interface) {
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
}
