package netinfo

import (
	"net/netip"
	"testing"
)

func listener(proto Proto, ip string, port uint16, pid int32, name string) Socket {
	s := Socket{Proto: proto, LocalIP: netip.MustParseAddr(ip), LocalPort: port, State: StateListen,
		Owner: Owner{PID: pid, Process: name}}
	if proto == UDP {
		s.State = StateUnconn
	}
	s.Exposure = ClassifyExposure(s.LocalIP)
	return s
}

func TestChanges(t *testing.T) {
	node := listener(TCP, "127.0.0.1", 3000, 10, "node")
	node6 := listener(TCP, "::1", 3000, 10, "node")
	py := listener(TCP, "0.0.0.0", 8000, 20, "python3")
	pyRestarted := listener(TCP, "0.0.0.0", 8000, 21, "python3")
	pg := listener(TCP, "127.0.0.1", 5432, 30, "postgres")
	dnsClient := listener(UDP, "0.0.0.0", 41000, 40, "firefox")
	dnsClient.Ephemeral = true
	mdns := listener(UDP, "0.0.0.0", 5353, 50, "avahi-daemon")
	conn := Socket{Proto: TCP, LocalIP: netip.MustParseAddr("0.0.0.0"), LocalPort: 3000, RemotePort: 50000,
		RemoteIP: netip.MustParseAddr("10.0.0.2"), State: "ESTABLISHED", Exposure: ExposureAll}

	type want struct {
		kind  ChangeKind
		proto Proto
		port  uint16
		n     int
	}
	tests := []struct {
		name      string
		prev, cur []Socket
		watched   []uint16
		want      []want
	}{
		{"nothing changed", []Socket{node, py}, []Socket{node, py}, []uint16{3000}, nil},
		{"watched port starts, both families in one change", []Socket{pg}, []Socket{pg, node, node6}, []uint16{3000, 5432},
			[]want{{PortStarted, TCP, 3000, 2}}},
		{"watched port stops", []Socket{node, node6, pg}, []Socket{pg}, []uint16{3000}, []want{{PortStopped, TCP, 3000, 2}}},
		{"one family of two goes: still listening", []Socket{node, node6}, []Socket{node}, []uint16{3000}, nil},
		{"unwatched port starts on loopback: nothing", nil, []Socket{node}, nil, nil},
		{"a server on 0.0.0.0 appears", []Socket{node}, []Socket{node, py}, nil, []want{{SocketExposed, TCP, 8000, 1}}},
		{"watched and exposed: both, started first", nil, []Socket{py}, []uint16{8000},
			[]want{{PortStarted, TCP, 8000, 1}, {SocketExposed, TCP, 8000, 1}}},
		{"a restart at the same address is not a new exposure", []Socket{py}, []Socket{pyRestarted}, nil, nil},
		{"a connection is not a listener", nil, []Socket{conn}, []uint16{3000}, nil},
		{"client UDP sockets on ephemeral ports are left out", nil, []Socket{dnsClient}, nil, nil},
		{"UDP services count", nil, []Socket{mdns}, []uint16{5353},
			[]want{{PortStarted, UDP, 5353, 1}, {SocketExposed, UDP, 5353, 1}}},
		{"a shared socket listed twice is one exposure", nil, []Socket{py, pyRestarted}, nil, []want{{SocketExposed, TCP, 8000, 1}}},
		{"two programs on one watched port, each on its address", nil,
			[]Socket{listener(TCP, "127.0.0.1", 3000, 10, "alpha"), listener(TCP, "::1", 3000, 11, "gamma")}, []uint16{3000},
			[]want{{PortStarted, TCP, 3000, 1}, {PortStarted, TCP, 3000, 1}}},
		{"one of two programs stops: it is told", []Socket{listener(TCP, "127.0.0.1", 3000, 10, "alpha"), listener(TCP, "::1", 3000, 11, "gamma")},
			[]Socket{listener(TCP, "::1", 3000, 11, "gamma")}, []uint16{3000}, []want{{PortStopped, TCP, 3000, 1}}},
		{"a watched server restarted: stopped, then started", []Socket{pg}, []Socket{listener(TCP, "127.0.0.1", 5432, 31, "postgres")}, []uint16{5432},
			[]want{{PortStopped, TCP, 5432, 1}, {PortStarted, TCP, 5432, 1}}},
		{"ordered by protocol and port", nil, []Socket{mdns, py, node}, []uint16{3000},
			[]want{{PortStarted, TCP, 3000, 1}, {SocketExposed, TCP, 8000, 1}, {SocketExposed, UDP, 5353, 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Changes(tt.prev, tt.cur, tt.watched)
			if len(got) != len(tt.want) {
				t.Fatalf("Changes = %+v, want %d changes %+v", got, len(tt.want), tt.want)
			}
			for i, w := range tt.want {
				g := got[i]
				if g.Kind != w.kind || g.Proto != w.proto || g.Port != w.port || len(g.Sockets) != w.n {
					t.Errorf("change %d = {%v %s %d %d sockets}, want %+v", i, g.Kind, g.Proto, g.Port, len(g.Sockets), w)
				}
			}
		})
	}
}
