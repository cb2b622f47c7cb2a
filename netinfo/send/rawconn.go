package send

import (
	"bytes"
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// tap keeps the first limit bytes that went one way through a connection.
type tap struct {
	mu        sync.Mutex // guards buf and truncated
	limit     int
	buf       []byte
	truncated bool
}

// add keeps what fits of p and returns a mark for undo.
func (t *tap) add(p []byte) tapMark {
	t.mu.Lock()
	defer t.mu.Unlock()
	m := tapMark{at: len(t.buf), truncated: t.truncated}
	room := t.limit - len(t.buf)
	if len(p) > room {
		p = p[:max(room, 0)]
		t.truncated = true
	}
	t.buf = append(t.buf, p...)
	return m
}

// tapMark is where an add started.
type tapMark struct {
	at        int
	truncated bool
}

// undo keeps only the first n bytes of the add that made m: the write
// recorded ahead was short.
func (t *tap) undo(m tapMark, n int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = t.buf[:min(len(t.buf), m.at+n)]
	t.truncated = m.truncated || m.at+n > t.limit
}

// bytes returns a copy of what was kept and whether more went by.
func (t *tap) bytes() ([]byte, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return bytes.Clone(t.buf), t.truncated
}

// wire dials the one connection of a request and records what goes over
// it: the request written and the response read. For https it records the
// plaintext inside TLS, so both sides read as HTTP/1.1.
type wire struct {
	sent, recv tap
	mu         sync.Mutex // guards tls
	tls        string     // "TLS 1.3, TLS_AES_128_GCM_SHA256"
}

// recConn is a connection whose reads and writes are copied to a wire.
type recConn struct {
	net.Conn
	w *wire
}

func (c *recConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.w.recv.add(p[:n])
	return n, err
}

// Write records p before writing it: the answer can arrive, and Do return,
// before the transport's write goroutine is back from Write.
func (c *recConn) Write(p []byte) (int, error) {
	m := c.w.sent.add(p)
	n, err := c.Conn.Write(p)
	if n < len(p) {
		c.w.sent.undo(m, n)
	}
	return n, err
}

var dialer = &net.Dialer{KeepAlive: -1} // one short exchange: no TCP keep-alive probes

// dial opens a plain TCP connection that records its bytes.
func (w *wire) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	conn, err := dialer.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	return &recConn{Conn: conn, w: w}, nil
}

// dialTLS opens a TCP connection, does the TLS handshake itself (so it can
// time it and offer only HTTP/1.1), and records the plaintext side.
func (w *wire) dialTLS(ctx context.Context, network, addr string, insecure bool, c *clock) (net.Conn, error) {
	raw, err := dialer.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	host, _, _ := net.SplitHostPort(addr)
	tc := tls.Client(raw, &tls.Config{
		ServerName:         host, // an IP address is checked against the certificate's IP names
		InsecureSkipVerify: insecure,
		NextProtos:         []string{"http/1.1"},
	})
	start := time.Now()
	if err := tc.HandshakeContext(ctx); err != nil {
		raw.Close()
		return nil, &handshakeError{err}
	}
	c.setTLS(time.Since(start))
	st := tc.ConnectionState()
	w.mu.Lock()
	w.tls = tls.VersionName(st.Version) + ", " + tls.CipherSuiteName(st.CipherSuite)
	w.mu.Unlock()
	return &recConn{Conn: tc, w: w}, nil
}

func (w *wire) tlsInfo() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.tls
}

// handshakeError marks an error of the TLS handshake, so that explain can
// tell a plain-HTTP server closing the connection from any other EOF.
type handshakeError struct{ err error }

func (e *handshakeError) Error() string { return "tls handshake: " + e.err.Error() }
func (e *handshakeError) Unwrap() error { return e.err }

// responseHeaders returns the headers of the final response in the order
// they arrived, parsed from the raw bytes; when those were cut or do not
// parse, it falls back to h sorted by name.
func responseHeaders(raw []byte, cut bool, h http.Header) []Header {
	if !cut {
		if hs, ok := parseRawHeaders(raw); ok {
			return hs
		}
	}
	names := make([]string, 0, len(h))
	for name := range h {
		names = append(names, name)
	}
	sort.Strings(names)
	var hs []Header
	for _, name := range names {
		for _, v := range h[name] {
			hs = append(hs, Header{Name: name, Value: v})
		}
	}
	return hs
}

// parseRawHeaders reads the header block of the final response in raw,
// skipping interim 1xx responses such as 100 Continue.
func parseRawHeaders(raw []byte) ([]Header, bool) {
	rest := string(raw)
	for range 10 { // Go's client accepts a few interim responses, not endless ones
		status, after, ok := cutLine(rest)
		if !ok || !strings.HasPrefix(status, "HTTP/") {
			return nil, false
		}
		hs := []Header{}
		for {
			var line string
			line, after, ok = cutLine(after)
			if !ok {
				return nil, false
			}
			if line == "" {
				break
			}
			if line[0] == ' ' || line[0] == '\t' { // an obsolete folded line
				if len(hs) == 0 {
					return nil, false
				}
				hs[len(hs)-1].Value += " " + strings.Trim(line, " \t")
				continue
			}
			name, value, ok := strings.Cut(line, ":")
			if !ok {
				return nil, false
			}
			hs = append(hs, Header{Name: name, Value: strings.Trim(value, " \t")})
		}
		if code := statusCode(status); code >= 100 && code < 200 && code != http.StatusSwitchingProtocols {
			rest = after
			continue
		}
		return hs, true
	}
	return nil, false
}

// cutLine splits s after its first line, dropping "\r\n" or "\n".
func cutLine(s string) (line, rest string, ok bool) {
	line, rest, ok = strings.Cut(s, "\n")
	return strings.TrimSuffix(line, "\r"), rest, ok
}

// statusCode reads the code from "HTTP/1.1 200 OK", or returns 0.
func statusCode(status string) int {
	_, after, _ := strings.Cut(status, " ")
	code, _, _ := strings.Cut(after, " ")
	n, err := strconv.Atoi(code)
	if err != nil {
		return 0
	}
	return n
}
