package gui

import (
	"fmt"
	"net/netip"
	"strings"
	"sync/atomic"

	"github.com/loopscope/loopscope/netinfo"
	"github.com/loopscope/loopscope/netinfo/serve"
)

// lanAddrs are this machine's addresses other devices can reach, read
// with each refresh of the ports (off the UI goroutine) for the details'
// "From another device" line.
var lanAddrs atomic.Pointer[[]netip.Addr]

func readLANAddrs() {
	a := serve.LANAddrs()
	lanAddrs.Store(&a)
}

// fromAnotherDevice answers "it works on localhost, but from my phone?":
// the address another device would use, or what to change so it can.
func fromAnotherDevice(s netinfo.Socket) string {
	port := s.LocalPort
	switch s.Exposure {
	case netinfo.ExposureLoopback:
		how := "servers usually take a --bind or --host option, or a listen address in their settings"
		if strings.Contains(s.Cmdline, "http.server") { // its own command, changed
			how = fmt.Sprintf("here python3 -m http.server %d --bind 0.0.0.0", port)
		}
		return "It cannot: 127.0.0.1 and ::1 never leave this machine. Start the program listening on 0.0.0.0 " +
			"(all interfaces) or on this machine's LAN address instead — " + how + " — and a firewall may still have to let the port in."
	case netinfo.ExposureAll:
		var urls []string
		if p := lanAddrs.Load(); p != nil {
			dual := s.AcceptsIPv4 != nil && *s.AcceptsIPv4
			for _, a := range *p {
				// 0.0.0.0 takes IPv4 only; :: takes IPv6, and IPv4 too when dual-stack.
				if a.Is4() && (s.Family == netinfo.IPv4 || dual) || a.Is6() && s.Family == netinfo.IPv6 {
					urls = append(urls, netip.AddrPortFrom(a, port).String())
				}
			}
		}
		if len(urls) == 0 {
			return "Through this machine's network address, when it has one; a firewall may still block the port."
		}
		return "Use " + strings.Join(urls[:min(len(urls), 4)], " or ") + " (this machine's address on the network); a firewall may still block the port."
	case netinfo.ExposureSpecific:
		return fmt.Sprintf("Use %s, from a device on that network; a firewall may still block the port.", hostPort(s))
	}
	return "—"
}
