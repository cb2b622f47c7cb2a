package netinfo

import (
	"net/netip"
	"strings"
	"testing"
)

func TestClassifyExposure(t *testing.T) {
	tests := []struct {
		name string
		ip   string
		want Exposure
	}{
		{"ipv4 loopback", "127.0.0.1", ExposureLoopback},
		{"other 127/8 address", "127.0.0.53", ExposureLoopback},
		{"ipv6 loopback", "::1", ExposureLoopback},
		{"v4-mapped loopback", "::ffff:127.0.0.1", ExposureLoopback},
		{"ipv4 any", "0.0.0.0", ExposureAll},
		{"ipv6 any", "::", ExposureAll},
		{"lan address", "192.168.1.20", ExposureSpecific},
		{"ipv6 global", "2001:db8::1", ExposureSpecific},
		{"link-local", "fe80::1", ExposureSpecific},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ClassifyExposure(netip.MustParseAddr(tt.ip)); got != tt.want {
				t.Errorf("ClassifyExposure(%s) = %q, want %q", tt.ip, got, tt.want)
			}
		})
	}
}

func TestExposureWhy(t *testing.T) {
	tests := []struct {
		name string
		s    Socket
		want []string // fragments the sentence must hold
	}{
		{"loopback", Socket{LocalIP: netip.MustParseAddr("127.0.0.1"), Exposure: ExposureLoopback},
			[]string{"Only this machine", "127.0.0.1"}},
		{"ipv4 any", Socket{LocalIP: netip.MustParseAddr("0.0.0.0"), Exposure: ExposureAll},
			[]string{"Reachable from other machines: bound to 0.0.0.0, every IPv4 interface."}},
		{"ipv6 any", Socket{LocalIP: netip.MustParseAddr("::"), Exposure: ExposureAll},
			[]string{"Reachable from other machines", "bound to ::", "IPv6"}},
		{"named interface", Socket{LocalIP: netip.MustParseAddr("192.168.1.20"), Exposure: ExposureSpecific, Interface: "eth0"},
			[]string{"eth0", "192.168.1.20"}},
		{"unnamed interface", Socket{LocalIP: netip.MustParseAddr("10.1.2.3"), Exposure: ExposureSpecific},
			[]string{"10.1.2.3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ExposureWhy(tt.s)
			for _, frag := range tt.want {
				if !strings.Contains(got, frag) {
					t.Errorf("ExposureWhy = %q, want it to contain %q", got, frag)
				}
			}
		})
	}
}

func TestClassifyPort(t *testing.T) {
	tests := []struct {
		port uint16
		want PortClass
	}{
		{0, WellKnown}, {22, WellKnown}, {1023, WellKnown},
		{1024, Registered}, {8080, Registered}, {49151, Registered},
		{49152, Dynamic}, {62893, Dynamic}, {65535, Dynamic},
	}
	for _, tt := range tests {
		if got := ClassifyPort(tt.port); got != tt.want {
			t.Errorf("ClassifyPort(%d) = %q, want %q", tt.port, got, tt.want)
		}
	}
}

func TestEphemeralRangeIsSane(t *testing.T) {
	r := EphemeralRange()
	if r.First == 0 || r.First > r.Last {
		t.Fatalf("EphemeralRange() = %+v, want a non-empty range above 0", r)
	}
	if !r.Contains(r.First) || !r.Contains(r.Last) || r.Contains(r.First-1) {
		t.Errorf("Contains is wrong at the edges of %+v", r)
	}
}

func TestLocalDialAddr(t *testing.T) {
	yes, no := true, false
	tests := []struct {
		name string
		s    Socket
		want string // "" when nothing on this machine can reach it
	}{
		{"0.0.0.0", Socket{LocalIP: netip.MustParseAddr("0.0.0.0"), Exposure: ExposureAll}, "127.0.0.1:8080"},
		{":: dual-stack", Socket{LocalIP: netip.IPv6Unspecified(), Exposure: ExposureAll, AcceptsIPv4: &yes}, "127.0.0.1:8080"},
		{":: IPv6 only", Socket{LocalIP: netip.IPv6Unspecified(), Exposure: ExposureAll, AcceptsIPv4: &no}, "[::1]:8080"},
		{"::1", Socket{LocalIP: netip.IPv6Loopback(), Exposure: ExposureLoopback}, "[::1]:8080"},
		{"LAN address", Socket{LocalIP: netip.MustParseAddr("192.0.2.2"), Exposure: ExposureSpecific, Interface: "eth0"}, "192.0.2.2:8080"},
		{"tied to lo", Socket{LocalIP: netip.MustParseAddr("0.0.0.0"), Device: "lo", Exposure: ExposureLoopback}, "127.0.0.1:8080"},
		{"tied to eth0", Socket{LocalIP: netip.MustParseAddr("0.0.0.0"), Device: "eth0", Exposure: ExposureSpecific}, ""},
		{"address not here", Socket{LocalIP: netip.MustParseAddr("198.51.100.9"), Exposure: ExposureNotLocal}, ""},
	}
	for _, tt := range tests {
		tt.s.LocalPort = 8080
		got, ok := tt.s.LocalDialAddr()
		if (tt.want == "") == ok || ok && got.String() != tt.want {
			t.Errorf("%s: LocalDialAddr = %v, %v; want %q", tt.name, got, ok, tt.want)
		}
	}
}
