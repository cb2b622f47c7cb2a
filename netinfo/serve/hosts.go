package serve

import (
	"net"
	"net/netip"
	"os"
	"strings"
)

// hostPolicy is the Host header allowlist of an HTTP server. A web page
// on any site can make the browser send requests to 127.0.0.1; with DNS
// rebinding it can even read the answers, but its requests then carry
// the site's name in Host. Answering only to this machine's own names
// stops that.
type hostPolicy struct {
	names map[string]bool // lower case, IPv6 without brackets
	port  string          // the server's port: a Host with another port is refused
}

// newHostPolicy allows localhost, 127.0.0.1 and ::1, the address the
// server is bound to, and, when exposed, this machine's LAN addresses
// and names.
func newHostPolicy(bind string, port string, exposed bool) *hostPolicy {
	p := &hostPolicy{names: map[string]bool{"localhost": true, "127.0.0.1": true, "::1": true}, port: port}
	if ip, err := netip.ParseAddr(bind); err == nil && !ip.IsUnspecified() {
		p.names[ip.String()] = true
	}
	if exposed {
		for _, ip := range LANAddrs() {
			p.names[ip.String()] = true
		}
		if h, err := os.Hostname(); err == nil && h != "" {
			h = strings.ToLower(h)
			p.names[h] = true
			if !strings.Contains(h, ".") {
				p.names[h+".local"] = true
			}
		}
	}
	return p
}

// allows reports whether a request with this Host header may be answered.
// The match is exact: no trailing dot, no other port, no suffix.
func (p *hostPolicy) allows(host string, http10 bool) bool {
	if host == "" {
		// HTTP/1.0 may leave Host out; browsers always send it, so this
		// is no rebinding page. Go refuses a missing Host in HTTP/1.1.
		return http10
	}
	name, port, err := net.SplitHostPort(host)
	if err != nil {
		name, port = host, ""
		if strings.HasPrefix(name, "[") && strings.HasSuffix(name, "]") {
			name = name[1 : len(name)-1]
		} else if strings.Contains(name, ":") {
			return false // an IPv6 address needs brackets in Host
		}
	}
	if port != "" && port != p.port {
		return false
	}
	return p.names[strings.ToLower(name)]
}

// LANAddrs are this machine's addresses that other devices can reach:
// up, not loopback, not link-local (which needs a zone in a URL).
func LANAddrs() []netip.Addr {
	ifs, err := net.Interfaces()
	if err != nil {
		return nil
	}
	var v4, v6 []netip.Addr
	for _, ifc := range ifs {
		if ifc.Flags&net.FlagUp == 0 || ifc.Flags&net.FlagLoopback != 0 {
			continue
		}
		addrs, err := ifc.Addrs()
		if err != nil {
			continue
		}
		for _, a := range addrs {
			pfx, err := netip.ParsePrefix(a.String())
			if err != nil {
				continue
			}
			ip := pfx.Addr()
			switch {
			case ip.IsLoopback(), ip.IsLinkLocalUnicast(), ip.IsMulticast():
			case ip.Is4():
				v4 = append(v4, ip)
			default:
				v6 = append(v6, ip)
			}
		}
	}
	return append(v4, v6...)
}
