package gui

import (
	"net/netip"
	"testing"
	"time"

	"github.com/loopscope/loopscope/netinfo"
)

// sock builds a listening socket the way the scanner would classify it.
func sock(proto, ip string, port uint16, pid int32, process, user string) netinfo.Socket {
	addr := netip.MustParseAddr(ip)
	family, state := netinfo.IPv4, netinfo.StateListen
	if addr.Is6() {
		family = netinfo.IPv6
	}
	if proto == "udp" {
		state = netinfo.StateUnconn
	}
	s := netinfo.Socket{
		Proto: netinfo.Proto(proto), Family: family, LocalIP: addr, LocalPort: port, State: state,
		Owner:     netinfo.Owner{PID: pid, Process: process, User: user},
		Holders:   []netinfo.Owner{},
		Exposure:  netinfo.ClassifyExposure(addr),
		PortClass: netinfo.ClassifyPort(port),
		Service:   netinfo.ServiceName(proto, port),
	}
	if pid > 0 {
		s.Holders = []netinfo.Owner{s.Owner}
	}
	return s
}

// withOwner gives s the owner o, its only holder.
func withOwner(s netinfo.Socket, o netinfo.Owner) netinfo.Socket {
	s.Owner, s.Holders = o, []netinfo.Owner{o}
	return s
}

const hiddenNote = "Another user's process holds this socket."

// hiddenSock is a socket whose owner this user may not see.
func hiddenSock(proto, ip string, port uint16) netinfo.Socket {
	s := sock(proto, ip, port, 0, "", "")
	s.OwnerHidden, s.OwnerNote, s.NoProcess = true, hiddenNote, netinfo.NoProcessHidden
	return s
}

// fixture: 4 sockets, 2 reachable from other machines, 1 with a hidden owner.
func fixture() []netinfo.Socket {
	return []netinfo.Socket{
		sock("tcp", "0.0.0.0", 5432, 812, "postgres", "postgres"),
		sock("tcp", "127.0.0.1", 6379, 901, "redis-server", "redis"),
		sock("tcp", "::1", 3000, 4410, "node", "alice"),
		hiddenSock("udp", "192.168.1.20", 5353),
	}
}

func dualStack(s netinfo.Socket) netinfo.Socket {
	yes := true
	s.AcceptsIPv4 = &yes
	return s
}

func onDevice(s netinfo.Socket, dev string) netinfo.Socket {
	s.Device, s.Interface, s.Exposure = dev, dev, netinfo.ExposureSpecific
	return s
}

func TestBrowserURL(t *testing.T) {
	tests := []struct {
		name string
		s    netinfo.Socket
		want string // "" for no URL
	}{
		{"IPv4 any uses loopback", sock("tcp", "0.0.0.0", 8080, 1, "caddy", "www"), "http://127.0.0.1:8080/"},
		{"IPv6 loopback", sock("tcp", "::1", 3000, 1, "node", "alice"), "http://[::1]:3000/"},
		{"IPv6 any, IPv4 unknown: ::1 always works", sock("tcp", "::", 8000, 1, "python3", "alice"), "http://[::1]:8000/"},
		{"IPv6 any, dual-stack: IPv4 loopback", dualStack(sock("tcp", "::", 8000, 1, "python3", "alice")), "http://127.0.0.1:8000/"},
		{"tied to eth0: none", onDevice(sock("tcp", "0.0.0.0", 8000, 1, "python3", "alice"), "eth0"), ""},
		{"one address stays", sock("tcp", "192.168.1.20", 9000, 1, "minio", "bob"), "http://192.168.1.20:9000/"},
		{"IPv4 loopback", sock("tcp", "127.0.0.1", 6379, 901, "redis-server", "redis"), "http://127.0.0.1:6379/"},
		{"UDP has none", sock("udp", "0.0.0.0", 53, 77, "dnsmasq", "nobody"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := browserURL(tt.s)
			got := ""
			if u != nil {
				got = u.String()
			}
			if got != tt.want {
				t.Errorf("browserURL = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRowSummary(t *testing.T) {
	tests := []struct {
		name string
		s    netinfo.Socket
		want string
	}{
		{"owner known", sock("tcp", "0.0.0.0", 5432, 812, "postgres", "postgres"),
			"TCP 0.0.0.0:5432 LISTEN · Network · all interfaces · service postgresql · postgres (PID 812, user postgres)"},
		{"IPv6, no service, no user", sock("tcp", "::1", 3000, 4410, "node", ""),
			"TCP [::1]:3000 LISTEN · This machine only · service dev (Node/Rails) · node (PID 4410, user —)"},
		{"hidden owner", hiddenSock("udp", "192.168.1.20", 5353),
			"UDP 192.168.1.20:5353 UNCONN · Network · one address · service mdns · hidden"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := rowSummary(tt.s); got != tt.want {
				t.Errorf("rowSummary =\n %q, want\n %q", got, tt.want)
			}
		})
	}
}

func TestMergeRowsKeepsRepeatedSocketsApart(t *testing.T) {
	// One process holding two sockets on one address and port (SO_REUSEPORT).
	a := sock("tcp", "0.0.0.0", 8080, 42, "server", "dev")
	first := mergeRows(nil, []netinfo.Socket{a, a}, time.Now(), true)
	if first[0].key == first[1].key {
		t.Fatalf("both rows have key %q", first[0].key)
	}
	second := mergeRows(first, []netinfo.Socket{a, a}, time.Now(), false)
	for i, r := range second {
		if r.state != rowSteady {
			t.Errorf("row %d state = %v after an unchanged refresh, want steady", i, r.state)
		}
	}
}
