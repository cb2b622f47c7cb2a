//go:build !linux && !darwin && !windows

package netinfo

func osEphemeralRange() (PortRange, bool) { return PortRange{}, false }

func v6OnlyByDefault() bool { return false }
