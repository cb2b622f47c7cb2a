package netinfo

import (
	"fmt"
	"os"
	"strings"
)

// osEphemeralRange reads net.ipv4.ip_local_port_range.
func osEphemeralRange() (PortRange, bool) {
	b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err != nil {
		return PortRange{}, false
	}
	return parsePortRange(string(b))
}

// parsePortRange parses "32768\t60999\n".
func parsePortRange(s string) (PortRange, bool) {
	var first, last uint16
	if _, err := fmt.Sscan(strings.TrimSpace(s), &first, &last); err != nil || first > last {
		return PortRange{}, false
	}
	return PortRange{first, last}, true
}

// v6OnlyByDefault reads net.ipv6.bindv6only: 0 (the default) means a socket
// bound to :: also accepts IPv4.
func v6OnlyByDefault() bool {
	b, err := os.ReadFile("/proc/sys/net/ipv6/bindv6only")
	return err == nil && strings.TrimSpace(string(b)) == "1"
}
