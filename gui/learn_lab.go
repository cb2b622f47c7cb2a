package gui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/loopscope/loopscope/assets"
	"github.com/loopscope/loopscope/netinfo/serve"
	"github.com/loopscope/loopscope/sniff"
)

// lessonPort is the port the lessons use when it is free: the one of
// `python -m http.server 62893 --bind 127.0.0.1`.
const lessonPort = 62893

// The ports of the recording in assets.LessonsPcap.
const (
	recordedHTTP = 62893
	recordedUDP  = 62894
	recordedTCP  = 62895
)

// lab is what the lessons act with: Loopscope's own servers (they show in
// Local Servers and Ports like the user's), the connections a lesson
// keeps open, and captures on loopback. A lesson's things last until the
// learner leaves the lesson or starts it over (reset).
type lab struct {
	mgr         *serve.Manager
	src         SnapshotSource                               // reads the sockets, to say who holds a port
	openCapture func(sniff.LiveConfig) (sniff.Source, error) // tests replace it

	mu      sync.Mutex // guards servers and conns
	servers []*serve.Server
	conns   []net.Conn
}

func newLab(mgr *serve.Manager, src SnapshotSource) *lab {
	return &lab{mgr: mgr, src: src, openCapture: openLessonCapture}
}

// serve starts a server of kind on bind ("" is 127.0.0.1) at port want,
// or the next free port above it when something else holds want.
func (l *lab) serve(kind serve.Kind, bind string, want int) (*serve.Server, error) {
	cfg := serve.Config{Kind: kind, Port: want, Bind: bind, Expose: bind != "" && bind != "127.0.0.1" && bind != "::1"}
	s, err := l.mgr.Start(cfg)
	if errors.Is(err, serve.ErrPortInUse) {
		if cfg.Port, err = serve.NextFreePort(cfg, want); err == nil {
			s, err = l.mgr.Start(cfg)
		}
	}
	if err != nil {
		return nil, err
	}
	l.keep(s)
	return s, nil
}

// keep makes s the lesson's, to stop on reset.
func (l *lab) keep(s *serve.Server) {
	l.mu.Lock()
	l.servers = append(l.servers, s)
	l.mu.Unlock()
}

// stopServer stops s and takes it off Local Servers.
func (l *lab) stopServer(s *serve.Server) {
	if s != nil {
		l.mgr.Remove(s)
	}
}

// dial opens a TCP connection the lesson keeps until reset.
func (l *lab) dial(ctx context.Context, addr string) (net.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	l.conns = append(l.conns, c)
	l.mu.Unlock()
	return c, nil
}

// reset closes every connection and stops every server the lesson
// started.
func (l *lab) reset() {
	l.mu.Lock()
	servers, conns := l.servers, l.conns
	l.servers, l.conns = nil, nil
	l.mu.Unlock()
	for _, c := range conns {
		c.Close()
	}
	for _, s := range servers {
		l.mgr.Remove(s)
	}
}

// echo sends text over c and reads the answer back.
func echo(c net.Conn, text string) (string, error) {
	c.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := c.Write([]byte(text)); err != nil {
		return "", err
	}
	buf := make([]byte, 512)
	n, err := c.Read(buf)
	return string(buf[:n]), err
}

// captured is what a lesson's capture saw.
type captured struct {
	entries  []*sniff.Entry
	recorded string // why this is the recording, not a live capture; "" when live
}

// capture captures on loopback what filter matches while act runs, until
// the traffic has settled. Where this machine does not let Loopscope
// capture, the packets are the recording's instead (act still runs: the
// lesson's other steps need what it did).
func (l *lab) capture(ctx context.Context, filter string, act func() error) (captured, error) {
	src, err := l.openCapture(sniff.LiveConfig{Interface: sniff.LoopbackName(), Filter: filter, Buffer: 1 << 20})
	if err != nil {
		c, rerr := recordedCapture()
		c.recorded = capitalize(err.Error())
		if rerr != nil {
			return c, rerr
		}
		return c, act()
	}
	s := sniff.StartSession(src, sniff.Ring{Max: 10000})
	actErr := act()
	// The kernel hands packets over a moment after they were sent: wait
	// until none came for a little while (at most 2 s).
	last, quiet := uint64(0), time.Now()
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline) && ctx.Err() == nil; {
		time.Sleep(50 * time.Millisecond)
		if n := s.Stats().Captured; n != last {
			last, quiet = n, time.Now()
		} else if time.Since(quiet) > 300*time.Millisecond {
			break
		}
	}
	s.Stop()
	entries, _ := s.Since(0)
	return captured{entries: entries}, actErr
}

// openLessonCapture opens a capture as the Packets tab does without
// asking for rights: through the capture helper when one is installed,
// else in this process.
func openLessonCapture(cfg sniff.LiveConfig) (sniff.Source, error) {
	if _, err := sniff.CaptureReady(); err != nil {
		return nil, err
	}
	if helper, err := sniff.FindHelper(); err == nil {
		return sniff.StartHelper(nil, helper, cfg)
	}
	return sniff.OpenLive(cfg)
}

// recordedCapture reads the recording shipped with Loopscope.
func recordedCapture() (captured, error) {
	r, err := sniff.NewFileReader(bytes.NewReader(assets.LessonsPcap))
	if err != nil {
		return captured{}, fmt.Errorf("the lessons' recording cannot be read: %w", err)
	}
	s := sniff.StartSession(sniff.NewFileSource(r), sniff.Ring{Max: 10000})
	<-s.Done()
	entries, st := s.Since(0)
	return captured{entries: entries}, st.Err
}

// ofPorts keeps the packets to or from any of ports.
func ofPorts(entries []*sniff.Entry, ports ...int) []*sniff.Entry {
	var out []*sniff.Entry
	for _, e := range entries {
		for _, p := range ports {
			if e.HasPorts() && (int(e.SrcPort) == p || int(e.DstPort) == p) {
				out = append(out, e)
				break
			}
		}
	}
	return out
}

// portFilter is the capture filter for ports: "port 1 or port 2".
func portFilter(ports ...int) string {
	f := ""
	for i, p := range ports {
		if i > 0 {
			f += " or "
		}
		f += "port " + strconv.Itoa(p)
	}
	return f
}
