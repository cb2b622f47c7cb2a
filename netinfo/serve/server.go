package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// State is where a server is in its life.
type State int

// The states of a server.
const (
	Created  State = iota // New returned it; Start has not run
	Running               // listening
	Stopping              // Close is draining its requests
	Stopped               // Close returned; the port is free
	Failed                // it stopped by itself; Err says why
)

func (s State) String() string {
	return [...]string{"Created", "Running", "Stopping", "Stopped", "Failed"}[s]
}

// DrainTimeout is how long Close lets requests in progress finish.
const DrainTimeout = 2 * time.Second

// Server is one local server. Create it with New (or Manager.Start), then
// Start; Close stops it and frees its port.
type Server struct {
	cfg  Config
	bind string // the address listened on; "" for every address
	log  *Log

	served   atomic.Int64 // HTTP requests answered; TCP connections; UDP datagrams
	inFlight atomic.Int64 // HTTP requests being answered

	mu      sync.Mutex // guards state, err, addr, started, stopped
	state   State
	err     error
	addr    net.Addr
	started time.Time
	stopped time.Time

	ln      net.Listener
	pc      net.PacketConn
	httpSrv *http.Server
	closer  io.Closer // what the handler holds open (the served folder)
	streams *streams  // TCP echo's open connections

	ctx    context.Context // cancelled when Close gives up waiting
	cancel context.CancelFunc
	wg     sync.WaitGroup // the serving goroutines
}

// New checks cfg and returns a server that is not yet listening.
func New(cfg Config) (*Server, error) {
	if _, err := ParseKind(string(cfg.Kind)); err != nil || cfg.Kind == "" {
		return nil, fmt.Errorf("serve: no kind of server called %q", cfg.Kind)
	}
	if cfg.Port < 0 || cfg.Port > 65535 {
		return nil, fmt.Errorf("serve: port %d is out of range; use 1–65535, or 0 for any free port", cfg.Port)
	}
	bind, err := bindAddr(cfg)
	if err != nil {
		return nil, err
	}
	if cfg.Kind == API && len(cfg.Routes) == 0 {
		cfg.Routes = DefaultRoutes()
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Server{cfg: cfg, bind: bind, log: newLog(), ctx: ctx, cancel: cancel}, nil
}

// Start builds the server's handler and listens. A port that is taken
// gives a *BindError wrapping ErrPortInUse.
func (s *Server) Start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state != Created {
		return errors.New("serve: a server starts only once; start a new one")
	}
	var h http.Handler
	if s.cfg.Kind.HTTP() {
		var err error
		if h, err = s.handler(); err != nil {
			return err
		}
	}
	ln, pc, err := listen(s.cfg.Kind.Network(), s.bind, s.cfg.Port)
	if err != nil {
		if c, ok := h.(io.Closer); ok {
			c.Close()
		}
		return err
	}
	s.ln, s.pc = ln, pc
	if ln != nil {
		s.addr = ln.Addr()
	} else {
		s.addr = pc.LocalAddr()
	}
	s.state, s.started = Running, time.Now()
	switch {
	case s.cfg.Kind.HTTP():
		s.serveHTTP(h)
	case s.cfg.Kind == TCPEcho:
		s.serveTCP()
	default:
		s.serveUDP()
	}
	return nil
}

// handler builds the HTTP kinds' handler inside the safety layer.
func (s *Server) handler() (http.Handler, error) {
	var inner http.Handler
	var err error
	switch s.cfg.Kind {
	case Files:
		inner, err = newFilesHandler(s.cfg)
	case Echo:
		inner = newEchoHandler(s.cfg)
	case API:
		inner, err = newAPIHandler(s.cfg.Routes)
	}
	if err != nil {
		return nil, err
	}
	if c, ok := inner.(io.Closer); ok {
		s.closer = c
	}
	return inner, nil
}

// fail records that serving stopped by itself.
func (s *Server) fail(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state == Running {
		s.state, s.err, s.stopped = Failed, err, time.Now()
	}
}

// Close stops the server: it stops accepting, lets requests in progress
// finish for up to DrainTimeout, then cuts what is left, and returns once
// every goroutine is gone and the port is free. Closing twice is fine.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.state != Running && s.state != Failed {
		if s.state == Created {
			s.state = Stopped
		}
		s.mu.Unlock()
		s.wg.Wait()
		return nil
	}
	s.state = Stopping
	s.mu.Unlock()

	switch {
	case s.httpSrv != nil:
		ctx, cancel := context.WithTimeout(context.Background(), DrainTimeout)
		if s.httpSrv.Shutdown(ctx) != nil {
			s.cancel() // delayed handlers stop waiting
			s.httpSrv.Close()
		}
		cancel()
	case s.ln != nil:
		s.ln.Close()
		s.streams.closeAll()
	case s.pc != nil:
		s.pc.Close()
	}
	s.cancel()
	s.wg.Wait()
	if s.closer != nil {
		s.closer.Close()
	}
	s.mu.Lock()
	if s.state == Stopping {
		s.state = Stopped
	}
	s.stopped = time.Now()
	s.mu.Unlock()
	return nil
}

// Config is what the server was asked to be.
func (s *Server) Config() Config { return s.cfg }

// Kind is what the server does.
func (s *Server) Kind() Kind { return s.cfg.Kind }

// Log is the server's request log.
func (s *Server) Log() *Log { return s.log }

// Served counts HTTP requests answered, TCP connections accepted, or UDP
// datagrams received.
func (s *Server) Served() int64 { return s.served.Load() }

// InFlight counts the HTTP requests being answered now.
func (s *Server) InFlight() int64 { return s.inFlight.Load() }

// State is where the server is in its life, and for Failed, why.
func (s *Server) State() (State, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state, s.err
}

// Started is when the server began listening; zero before.
func (s *Server) Started() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.started
}

// Addr is the address the server listens on; nil before Start.
func (s *Server) Addr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addr
}

// Port is the port the server listens on; the asked-for port before Start.
func (s *Server) Port() int {
	if ap, ok := s.addrPort(); ok {
		return int(ap.Port())
	}
	return s.cfg.Port
}

func (s *Server) addrPort() (netip.AddrPort, bool) { return addrPortOf(s.Addr()) }

func addrPortOf(a net.Addr) (netip.AddrPort, bool) {
	if a == nil {
		return netip.AddrPort{}, false
	}
	ap, err := netip.ParseAddrPort(a.String())
	return ap, err == nil
}

// Exposed reports whether other devices can reach the server.
func (s *Server) Exposed() bool {
	ip, err := netip.ParseAddr(s.bind)
	return s.bind == "" || (err == nil && !ip.IsLoopback())
}

// URL is how this machine reaches the server: "http://127.0.0.1:8000/",
// "tcp://127.0.0.1:9000", "udp://127.0.0.1:9000".
func (s *Server) URL() string {
	host := "127.0.0.1"
	if ip, err := netip.ParseAddr(s.bind); err == nil && !ip.IsUnspecified() {
		host = ip.String()
	} else if err == nil && ip.Is6() {
		host = "::1"
	}
	return s.urlFor(host)
}

// LANURLs are how other devices reach the server, when it is exposed.
func (s *Server) LANURLs() []string {
	if !s.Exposed() {
		return nil
	}
	ip, err := netip.ParseAddr(s.bind)
	if err == nil && !ip.IsUnspecified() {
		return []string{s.urlFor(ip.String())}
	}
	var urls []string
	for _, a := range LANAddrs() {
		if a.Is6() && err == nil && ip.Is4() {
			continue // bound to 0.0.0.0: IPv4 only
		}
		urls = append(urls, s.urlFor(a.String()))
	}
	return urls
}

func (s *Server) urlFor(host string) string {
	hp := net.JoinHostPort(host, strconv.Itoa(s.Port()))
	switch {
	case s.cfg.Kind.HTTP():
		return "http://" + hp + "/"
	case s.cfg.Kind == UDPEcho:
		return "udp://" + hp
	}
	return "tcp://" + hp
}
