package netinfo

import "testing"

func TestServiceName(t *testing.T) {
	tests := []struct {
		name  string
		proto string
		port  uint16
		want  string
	}{
		{"ssh over tcp", "tcp", 22, "ssh"},
		{"ssh is tcp only", "udp", 22, ""},
		{"dns over udp", "udp", 53, "domain"},
		{"dns over tcp", "tcp", 53, "domain"},
		{"https", "tcp", 443, "https"},
		{"quic", "udp", 443, "https (QUIC)"},
		{"ntp is udp only", "tcp", 123, ""},
		{"postgresql", "tcp", 5432, "postgresql"},
		{"a dev server's port", "tcp", 5173, "vite"},
		{"Node's inspector", "tcp", 9229, "node-inspector"},
		{"unassigned high port", "tcp", 65000, ""},
		{"unknown proto", "sctp", 80, ""},
		{"empty proto", "", 80, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ServiceName(tt.proto, tt.port); got != tt.want {
				t.Errorf("ServiceName(%q, %d) = %q, want %q", tt.proto, tt.port, got, tt.want)
			}
		})
	}
}

func TestServiceTableEntries(t *testing.T) {
	if len(services) < 60 {
		t.Errorf("service table has %d entries, want at least 60", len(services))
	}
	for k, name := range services {
		if name == "" {
			t.Errorf("entry %s/%d has an empty name", k.proto, k.port)
		}
		if k.proto != "tcp" && k.proto != "udp" {
			t.Errorf("entry %s/%d (%q) has proto %q, want tcp or udp", k.proto, k.port, name, k.proto)
		}
	}
}
