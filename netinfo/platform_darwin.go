package netinfo

import "golang.org/x/sys/unix"

// osEphemeralRange reads net.inet.ip.portrange.first and .last.
func osEphemeralRange() (PortRange, bool) {
	first, err1 := unix.SysctlUint32("net.inet.ip.portrange.first")
	last, err2 := unix.SysctlUint32("net.inet.ip.portrange.last")
	if err1 != nil || err2 != nil || first > last || last > 65535 {
		return PortRange{}, false
	}
	return PortRange{uint16(first), uint16(last)}, true
}

// v6OnlyByDefault reads net.inet6.ip6.v6only (0, dual-stack, by default).
func v6OnlyByDefault() bool {
	v, err := unix.SysctlUint32("net.inet6.ip6.v6only")
	return err == nil && v == 1
}
