// Package serve runs Loopscope's local servers: static files, an HTTP echo,
// a mock JSON API, and TCP and UDP echo. A Server has the lifecycle of
// net/http/httptest.Server (New, Start, Addr, URL, Close); a Manager keeps
// several. Every server binds 127.0.0.1 unless told to be reachable from
// other devices, checks the Host header of every HTTP request, and keeps a
// bounded log of what it served.
package serve

import (
	"fmt"
	"strings"
)

// Kind is what a server does.
type Kind string

// The kinds of server.
const (
	Files   Kind = "files"    // a folder's files, with listings
	Echo    Kind = "echo"     // answers with the request it received
	API     Kind = "api"      // answers routes with canned JSON
	TCPEcho Kind = "tcp-echo" // sends back every byte it receives
	UDPEcho Kind = "udp-echo" // sends back every datagram it receives
)

// Kinds lists every kind, in the order a menu shows them.
func Kinds() []Kind { return []Kind{Files, Echo, API, TCPEcho, UDPEcho} }

// ParseKind finds the kind called name ("files", "tcp-echo") or titled name.
func ParseKind(name string) (Kind, error) {
	for _, k := range Kinds() {
		if strings.EqualFold(name, string(k)) || strings.EqualFold(name, k.Title()) {
			return k, nil
		}
	}
	names := make([]string, 0, len(Kinds()))
	for _, k := range Kinds() {
		names = append(names, string(k))
	}
	return "", fmt.Errorf("no kind of server called %q; the kinds are %s", name, strings.Join(names, ", "))
}

// Title is the kind's name in a menu: "Static files".
func (k Kind) Title() string {
	switch k {
	case Files:
		return "Static files"
	case Echo:
		return "HTTP echo"
	case API:
		return "Mock JSON API"
	case TCPEcho:
		return "TCP echo"
	case UDPEcho:
		return "UDP echo"
	}
	return string(k)
}

// Noun names a server of this kind in a sentence: "file server".
func (k Kind) Noun() string {
	switch k {
	case Files:
		return "file server"
	case Echo:
		return "HTTP echo server"
	case API:
		return "mock API"
	case TCPEcho:
		return "TCP echo server"
	case UDPEcho:
		return "UDP echo server"
	}
	return string(k) + " server"
}

// HTTP reports whether the kind speaks HTTP.
func (k Kind) HTTP() bool { return k == Files || k == Echo || k == API }

// Network is the kind's transport: "tcp" or "udp".
func (k Kind) Network() string {
	if k == UDPEcho {
		return "udp"
	}
	return "tcp"
}

// Limits on what an HTTP server reads from a client.
const (
	MaxHeaderBytes = 64 << 10 // request line and headers
	MaxBodyBytes   = 10 << 20 // a request body; more is refused with 413
)

// Config is what a server is asked to be.
type Config struct {
	Kind Kind

	// Dir is the folder a Files server serves.
	Dir string
	// ShowHidden lets a Files server show dotfiles and secrets (.git,
	// .env, .ssh, private keys), which it hides by default.
	ShowHidden bool

	// Routes are what an API server answers; none means DefaultRoutes.
	Routes []Route

	// Port is the port to listen on; 0 picks a free one.
	Port int
	// Bind is the address to listen on; "" means 127.0.0.1, or every
	// address when Expose is set.
	Bind string
	// Expose allows an address other devices can reach. Without it, a
	// Bind that is not a loopback address is refused.
	Expose bool

	// CORSOrigins are the origins an HTTP server lets a browser page read
	// it from ("http://localhost:3000"); none sends no CORS header.
	CORSOrigins []string
}
