package send

import (
	"net/http/httptrace"
	"sync"
	"time"
)

// Timings says how long each step of one exchange took. A step that did not
// happen is 0: DNS for an IP address, TLS for http.
type Timings struct {
	DNS      time.Duration // looking up the host name
	Connect  time.Duration // the TCP handshake
	TLS      time.Duration // the TLS handshake
	Send     time.Duration // writing the request, from connected to written
	Wait     time.Duration // from the request written to the first byte of the answer
	Transfer time.Duration // from the first byte to the end of the body read
	Total    time.Duration // from the start of Do to the end of the body read
}

// clock collects the moments httptrace reports. Its callbacks run on the
// transport's goroutines.
type clock struct {
	mu                 sync.Mutex // guards everything below
	start, done        time.Time
	dnsStart, dnsDone  time.Time
	connStart, connEnd time.Time
	gotConn, wrote     time.Time
	firstByte          time.Time
	// tls is measured by wire.dialTLS: the transport does not report
	// handshakes it did not do itself.
	tls  time.Duration
	addr string
}

func newClock() *clock { return &clock{} }

func (c *clock) mark(t *time.Time) {
	now := time.Now()
	c.mu.Lock()
	*t = now
	c.mu.Unlock()
}

// markFirst sets *t only the first time: with several addresses to try the
// first lookup or dial started the step.
func (c *clock) markFirst(t *time.Time) {
	now := time.Now()
	c.mu.Lock()
	if t.IsZero() {
		*t = now
	}
	c.mu.Unlock()
}

func (c *clock) begin() { c.mark(&c.start) }
func (c *clock) end()   { c.mark(&c.done) }

func (c *clock) setTLS(d time.Duration) {
	c.mu.Lock()
	c.tls = d
	c.mu.Unlock()
}

// trace returns the hooks that feed c.
func (c *clock) trace() *httptrace.ClientTrace {
	return &httptrace.ClientTrace{
		DNSStart: func(httptrace.DNSStartInfo) { c.markFirst(&c.dnsStart) },
		DNSDone:  func(httptrace.DNSDoneInfo) { c.mark(&c.dnsDone) },
		ConnectStart: func(string, string) {
			c.markFirst(&c.connStart)
		},
		ConnectDone: func(_, _ string, err error) {
			if err == nil {
				c.mark(&c.connEnd)
			}
		},
		GotConn: func(info httptrace.GotConnInfo) {
			now := time.Now()
			c.mu.Lock()
			c.gotConn = now
			c.addr = info.Conn.RemoteAddr().String()
			c.mu.Unlock()
		},
		WroteRequest:         func(httptrace.WroteRequestInfo) { c.mark(&c.wrote) },
		GotFirstResponseByte: func() { c.markFirst(&c.firstByte) },
	}
}

// connected reports whether a connection was made.
func (c *clock) connected() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return !c.gotConn.IsZero()
}

// answered reports whether any byte of the answer arrived.
func (c *clock) answered() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return !c.firstByte.IsZero()
}

func (c *clock) remote() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.addr
}

func (c *clock) timings() Timings {
	c.mu.Lock()
	defer c.mu.Unlock()
	return Timings{
		DNS:      span(c.dnsStart, c.dnsDone),
		Connect:  span(c.connStart, c.connEnd),
		TLS:      c.tls,
		Send:     span(c.gotConn, c.wrote),
		Wait:     span(c.wrote, c.firstByte),
		Transfer: span(c.firstByte, c.done),
		Total:    span(c.start, c.done),
	}
}

// span is b-a, or 0 when either moment is missing or they are out of order
// (a server may answer before the whole request was written).
func span(a, b time.Time) time.Duration {
	if a.IsZero() || b.IsZero() || b.Before(a) {
		return 0
	}
	return b.Sub(a)
}
