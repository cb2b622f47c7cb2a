package sniff

import (
	"strings"
	"testing"
)

// FuzzCheckFilter: no text makes libpcap's compiler crash through
// CheckFilter, and its reason reads as one line.
func FuzzCheckFilter(f *testing.F) {
	for _, seed := range []string{"tcp port 8080", "tcp port", "udp and (port 53 or port 5353)", "ether host 02:00:00:00:00:0a", "((((", "port 99999", "vlan and ip6", "\x00\n"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, filter string) {
		if why := CheckFilter(filter); strings.ContainsAny(why, "\n\r") {
			t.Errorf("CheckFilter(%q) = %q", filter, why)
		}
	})
}
