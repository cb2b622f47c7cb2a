package serve

import (
	"errors"
	"slices"
	"sync"
)

// Manager keeps the servers a user started, running or stopped, in the
// order they were started.
type Manager struct {
	mu      sync.Mutex // guards servers, nextID, ids
	servers []*Server
	ids     map[*Server]int
	nextID  int
}

// NewManager returns a Manager with no servers.
func NewManager() *Manager { return &Manager{ids: map[*Server]int{}} }

// Start creates and starts a server; it is kept only if it started.
func (m *Manager) Start(cfg Config) (*Server, error) {
	s, err := New(cfg)
	if err != nil {
		return nil, err
	}
	if err := s.Start(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	m.nextID++
	m.ids[s] = m.nextID
	m.servers = append(m.servers, s)
	m.mu.Unlock()
	return s, nil
}

// Restart starts a stopped server again, on the port it had, and puts the
// new server in its place.
func (m *Manager) Restart(old *Server) (*Server, error) {
	if st, _ := old.State(); st == Running || st == Stopping {
		return nil, errors.New("serve: that server is still running")
	}
	cfg := old.Config()
	cfg.Port = old.Port()
	s, err := New(cfg)
	if err != nil {
		return nil, err
	}
	s.log = old.log // one log across restarts: what came before stays readable
	if err := s.Start(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if i := slices.Index(m.servers, old); i >= 0 {
		m.servers[i] = s
		m.ids[s] = m.ids[old]
		delete(m.ids, old)
	} else {
		m.nextID++
		m.ids[s] = m.nextID
		m.servers = append(m.servers, s)
	}
	return s, nil
}

// Remove stops s if it runs, and forgets it.
func (m *Manager) Remove(s *Server) {
	s.Close()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.servers = slices.DeleteFunc(m.servers, func(x *Server) bool { return x == s })
	delete(m.ids, s)
}

// Servers lists the servers, oldest first.
func (m *Manager) Servers() []*Server {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.servers)
}

// ID is a number for s that stays the same across Restart; 0 if unknown.
func (m *Manager) ID(s *Server) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.ids[s]
}

// Listening returns the running server that listens on port over
// network ("tcp" or "udp"), or nil.
func (m *Manager) Listening(network string, port int) *Server {
	for _, s := range m.Servers() {
		if st, _ := s.State(); st == Running && s.Kind().Network() == network && s.Port() == port {
			return s
		}
	}
	return nil
}

// CloseAll stops every server, in parallel, and waits for them.
func (m *Manager) CloseAll() {
	var wg sync.WaitGroup
	for _, s := range m.Servers() {
		wg.Go(func() { s.Close() })
	}
	wg.Wait()
}
