//go:build !windows

package npcap

// Check: libpcap comes with the system here, and captures on loopback.
func Check() (loopback bool, err error) { return true, nil }
