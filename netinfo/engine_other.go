//go:build !linux

package netinfo

// newEngine: outside Linux, gopsutil is the way to list sockets.
func newEngine() engine { return gopsutilEngine{} }
