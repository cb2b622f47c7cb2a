// Package instance keeps one Loopscope window per user: a second start
// hands what it was asked for (a tab to show) to the running one over a
// Unix socket, and ends. With a tray, a second window would mean a second
// icon and every notification twice.
package instance

import (
	"bufio"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Primary is the running instance: it receives what later starts ask for.
type Primary struct {
	l    net.Listener
	path string
	// Requests has one value per later start: the tab it asked for, "" for none.
	Requests chan string
}

// ErrNotAnswering means another instance listens at the path but did not
// answer: it is stopped, or hung.
var ErrNotAnswering = errors.New("instance: Loopscope is already running but does not answer")

// Start makes this process the one instance, listening at path; or, when
// another instance answers there, hands it request and reports handed.
// A socket left by an instance that crashed is taken over; one whose
// instance is alive but does not answer gives ErrNotAnswering.
func Start(path, request string) (p *Primary, handed bool, err error) {
	switch err := hand(path, request); {
	case err == nil:
		return nil, true, nil
	case errors.Is(err, ErrNotAnswering):
		return nil, false, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, false, err
	}
	l, err := net.Listen("unix", path)
	if errors.Is(err, syscall.EADDRINUSE) {
		// Nobody answered: a crashed instance's socket.
		os.Remove(path)
		l, err = net.Listen("unix", path)
	}
	if err != nil {
		return nil, false, err
	}
	p = &Primary{l: l, path: path, Requests: make(chan string, 4)}
	go p.serve()
	return p, false, nil
}

// hand gives request to the instance at path and waits for its answer.
func hand(path, request string) error {
	c, err := net.DialTimeout("unix", path, time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := c.Write([]byte(clean(request) + "\n")); err != nil {
		return ErrNotAnswering
	}
	answer, err := bufio.NewReader(c).ReadString('\n')
	if err != nil || answer != "ok\n" {
		return ErrNotAnswering
	}
	return nil
}

func (p *Primary) serve() {
	for {
		c, err := p.l.Accept()
		if err != nil {
			close(p.Requests)
			return
		}
		go p.take(c)
	}
}

func (p *Primary) take(c net.Conn) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(2 * time.Second))
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return
	}
	select {
	case p.Requests <- clean(line):
	default: // the window has not caught up; one request is as good as many
	}
	c.Write([]byte("ok\n"))
}

// clean keeps a request to one short line of letters and spaces: a tab's name.
func clean(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	s = strings.TrimSpace(s)
	if len(s) > 64 {
		s = s[:64]
	}
	return strings.Map(func(r rune) rune {
		if r == ' ' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			return r
		}
		return -1
	}, s)
}

// Close stops listening and removes the socket.
func (p *Primary) Close() {
	p.l.Close()
	os.Remove(p.path)
}
