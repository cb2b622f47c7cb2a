package serve

import (
	"errors"
	"fmt"
	"net"
	"sync"
	"time"
)

// The echo servers' limits: a connection that stays silent this long is
// closed, and at most this many are open at once.
const (
	streamIdle     = 5 * time.Minute
	maxStreamConns = 256
	echoBuffer     = 32 << 10
)

// streams are TCP echo's open connections, so Close can cut them.
type streams struct {
	mu    sync.Mutex // guards conns
	conns map[net.Conn]bool
}

func (t *streams) add(c net.Conn) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.conns) >= maxStreamConns {
		return false
	}
	t.conns[c] = true
	return true
}

func (t *streams) remove(c net.Conn) {
	t.mu.Lock()
	delete(t.conns, c)
	t.mu.Unlock()
}

func (t *streams) closeAll() {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for c := range t.conns {
		c.Close()
	}
}

// serveTCP echoes every connection's bytes back to it.
func (s *Server) serveTCP() {
	s.streams = &streams{conns: map[net.Conn]bool{}}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			c, err := s.ln.Accept()
			if err != nil {
				if !errors.Is(err, net.ErrClosed) {
					s.fail(fmt.Errorf("serve: stopped accepting: %w", err))
				}
				return
			}
			if !s.streams.add(c) {
				s.log.add(Entry{Time: time.Now(), Client: c.RemoteAddr().String(), Method: "TCP", Path: "refused", Note: fmt.Sprintf("over %d connections open", maxStreamConns)})
				c.Close()
				continue
			}
			s.served.Add(1)
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				defer s.streams.remove(c)
				s.echoConn(c)
			}()
		}
	}()
}

// echoConn sends back what c sends, logging the connection's opening,
// each piece of data, and its end.
func (s *Server) echoConn(c net.Conn) {
	defer c.Close()
	client, opened := c.RemoteAddr().String(), time.Now()
	s.log.add(Entry{Time: opened, Client: client, Method: "TCP", Path: "connected"})
	var total int64
	why := "closed by the client"
	buf := make([]byte, echoBuffer)
	for {
		c.SetReadDeadline(time.Now().Add(streamIdle))
		n, err := c.Read(buf)
		if n > 0 {
			at := time.Now()
			w, werr := c.Write(buf[:n])
			total += int64(w)
			s.log.add(Entry{Time: at, Client: client, Method: "TCP", Path: fmt.Sprintf("echoed %d bytes", w),
				Bytes: int64(w), Duration: time.Since(at), Preview: preview(buf[:n])})
			if werr != nil {
				why = "the client stopped reading"
				break
			}
		}
		if err != nil {
			var ne net.Error
			switch {
			case errors.As(err, &ne) && ne.Timeout():
				why = fmt.Sprintf("silent for %s", streamIdle)
			case errors.Is(err, net.ErrClosed):
				why = "server stopped"
			}
			break
		}
	}
	s.log.add(Entry{Time: time.Now(), Client: client, Method: "TCP", Path: "closed", Bytes: total,
		Duration: time.Since(opened), Note: why})
}

// serveUDP sends every datagram back to where it came from.
func (s *Server) serveUDP() {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		buf := make([]byte, 64<<10)
		for {
			n, from, err := s.pc.ReadFrom(buf)
			if err != nil {
				if !errors.Is(err, net.ErrClosed) {
					s.fail(fmt.Errorf("serve: stopped receiving: %w", err))
				}
				return
			}
			at := time.Now()
			s.served.Add(1)
			w, werr := s.pc.WriteTo(buf[:n], from)
			e := Entry{Time: at, Client: from.String(), Method: "UDP", Path: fmt.Sprintf("echoed %d bytes", w),
				Bytes: int64(w), Duration: time.Since(at), Preview: preview(buf[:n])}
			if werr != nil {
				e.Path, e.Note = fmt.Sprintf("received %d bytes", n), "could not send back: "+werr.Error()
			}
			s.log.add(e)
		}
	}()
}

// preview copies the first bytes of data for the log.
func preview(data []byte) []byte {
	return append([]byte(nil), data[:min(len(data), previewSize)]...)
}
