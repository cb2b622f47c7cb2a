package netinfo

// PortClass is the IANA range a port number lies in.
type PortClass string

// The IANA port ranges.
const (
	WellKnown  PortClass = "well-known" // 0–1023: system services; binding needs privileges on Unix
	Registered PortClass = "registered" // 1024–49151: assigned to applications by IANA
	Dynamic    PortClass = "dynamic"    // 49152–65535: private or temporary use
)

// ClassifyPort returns the IANA range of port.
func ClassifyPort(port uint16) PortClass {
	switch {
	case port <= 1023:
		return WellKnown
	case port <= 49151:
		return Registered
	}
	return Dynamic
}

// PortRange is an inclusive range of port numbers.
type PortRange struct{ First, Last uint16 }

// Contains reports whether port lies in the range.
func (r PortRange) Contains(port uint16) bool { return port >= r.First && port <= r.Last }

// ianaEphemeral is the range RFC 6335 suggests for ephemeral ports, used
// where the OS cannot be asked.
var ianaEphemeral = PortRange{49152, 65535}

// EphemeralRange returns the range this OS picks outgoing (ephemeral) ports
// from, read from the OS where it can be; a listener in this range may have
// picked its port at random, or may collide with an outgoing connection.
func EphemeralRange() PortRange {
	if r, ok := osEphemeralRange(); ok {
		return r
	}
	return ianaEphemeral
}
