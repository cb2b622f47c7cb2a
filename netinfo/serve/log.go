package serve

import (
	"sync"
	"time"
)

// LogSize is how many entries a server's log keeps: the newest.
const LogSize = 10000

// Entry is one line of a server's request log: an HTTP request it
// answered, or for the echo servers a connection opening or closing, or
// data echoed.
type Entry struct {
	Seq      uint64        // 1 for a server's first entry, counting up
	Time     time.Time     // when the request (or data) arrived
	Client   string        // the client's address and port: "127.0.0.1:54321"
	Method   string        // "GET"; "TCP" or "UDP" for the echo servers
	Path     string        // the request-target as sent; what happened, for TCP and UDP
	Status   int           // the HTTP status; 0 for TCP and UDP
	Bytes    int64         // bytes sent back (the response body; the data echoed)
	Duration time.Duration // from arrival to the last byte sent
	Note     string        // why it was refused, or what answered it
	Preview  []byte        // TCP and UDP: the first bytes received, as they arrived
}

// previewSize caps Entry.Preview.
const previewSize = 64

// Log keeps a server's newest LogSize entries. Adding never waits for a
// reader: a reader copies what it has not seen, when it likes.
type Log struct {
	mu   sync.Mutex // guards ring, next
	ring []Entry    // entry with Seq n is at (n-1) % LogSize
	next uint64     // the Seq the next entry gets

	changed chan struct{} // has a value when entries were added since the last receive
}

func newLog() *Log {
	return &Log{next: 1, changed: make(chan struct{}, 1)}
}

// add appends e, forgetting the oldest entry when the log is full.
func (l *Log) add(e Entry) {
	l.mu.Lock()
	e.Seq = l.next
	l.next++
	if len(l.ring) < LogSize {
		l.ring = append(l.ring, e)
	} else {
		l.ring[(e.Seq-1)%LogSize] = e
	}
	l.mu.Unlock()
	select {
	case l.changed <- struct{}{}:
	default: // a reader has not yet looked since the last one
	}
}

// Since returns the entries after seq that the log still holds, oldest
// first, the seq to ask for next time, and how many entries after seq it
// no longer holds.
func (l *Log) Since(seq uint64) (entries []Entry, next uint64, missed uint64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	first := l.next - uint64(len(l.ring)) // the oldest entry held
	from := max(seq+1, first)
	if seq+1 < first {
		missed = first - (seq + 1)
	}
	for n := from; n < l.next; n++ {
		entries = append(entries, l.ring[(n-1)%LogSize])
	}
	return entries, l.next - 1, missed
}

// Total is how many entries were ever added.
func (l *Log) Total() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.next - 1
}

// Changed receives once after entries were added; a reader then calls
// Since. Several additions may share one receive.
func (l *Log) Changed() <-chan struct{} { return l.changed }
