package sniff

import (
	"errors"
	"io"
	"sync"
	"time"

	"github.com/gopacket/gopacket/layers"
)

// Source is where a session's packets come from: a live capture, the
// capture helper's stream, or a file.
type Source interface {
	// Next returns the next packet; io.EOF or ErrStopped end the source.
	// The packet's Data may be reused by the next call.
	Next() (Record, error)
	// Stop makes a Next in progress return soon; safe from any goroutine.
	Stop()
	Close()
}

// statser is a source that knows the kernel's drop count.
type statser interface{ Stats() (Stats, error) }

// SessionStats are a session's counters.
type SessionStats struct {
	Captured      uint64 // packets read from the source
	Malformed     uint64 // of those, packets the decoder could not read whole
	Left          uint64 // packets that left the ring to make room
	KernelDropped int    // packets the kernel dropped (live captures)
	Held          int    // packets in the ring
	Holds         int    // the most packets the ring keeps (its Max)
	Oldest        uint64 // the number (Packet.No) of the oldest packet held, 0 when none
	Running       bool
	Err           error // why the session ended early, nil when it did not
}

// Session reads a source on its own goroutine into a ring, decoding every
// packet and counting conversations, so a window can take the new packets
// in batches at its own pace (Since).
type Session struct {
	src Source

	mu      sync.Mutex // guards everything below
	ring    Ring
	convs   Conversations
	st      SessionStats
	stopped bool

	done chan struct{}
}

// StartSession starts reading src; ring bounds what is kept (the zero
// Ring keeps the defaults).
func StartSession(src Source, ring Ring) *Session {
	s := &Session{src: src, ring: ring, done: make(chan struct{})}
	s.st.Running = true
	go s.run()
	return s
}

func (s *Session) run() {
	defer close(s.done)
	defer s.src.Close()
	decoders := map[layers.LinkType]*Decoder{}
	var store slab
	var lastStats time.Time
	for {
		rec, err := s.src.Next()
		if err != nil {
			s.finish(err)
			return
		}
		d := decoders[rec.Link]
		if d == nil {
			if d, err = NewDecoder(rec.Link); err != nil {
				s.finish(err)
				return
			}
			decoders[rec.Link] = d
		}
		e := store.entry()
		e.Data, e.Link = store.bytes(rec.Data), uint16(rec.Link)
		s.mu.Lock()
		s.st.Captured++
		e.No = s.st.Captured
		d.Decode(e.Data, rec.CI, &e.Packet)
		if e.Malformed != "" {
			s.st.Malformed++
		}
		s.convs.Add(&e.Packet)
		s.ring.Add(e)
		s.mu.Unlock()
		if now := time.Now(); now.Sub(lastStats) > 500*time.Millisecond {
			lastStats = now
			s.readStats()
		}
	}
}

// finish records why the source ended.
func (s *Session) finish(err error) {
	s.readStats()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.Running = false
	if !errors.Is(err, io.EOF) && !errors.Is(err, ErrStopped) {
		s.st.Err = err
	}
}

func (s *Session) readStats() {
	if st, ok := s.src.(statser); ok {
		if k, err := st.Stats(); err == nil {
			s.mu.Lock()
			s.st.KernelDropped = k.Dropped
			s.mu.Unlock()
		}
	}
}

// Stop ends the session and waits for its goroutine, at most a second
// (a live source stops within its read timeout).
func (s *Session) Stop() {
	s.src.Stop()
	select {
	case <-s.done:
	case <-time.After(time.Second):
	}
}

// Done is closed once the session has ended.
func (s *Session) Done() <-chan struct{} { return s.done }

// Since returns the packets captured after packet no that the ring still
// holds, and the counters. The entries are shared and never change.
// The stats are read with the packets, so a table that drops the rows
// before Oldest and adds these holds what the ring holds, no fewer.
func (s *Session) Since(no uint64) ([]*Entry, SessionStats) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ring.Since(no), s.stats()
}

// Stats are the counters alone.
func (s *Session) Stats() SessionStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats()
}

// stats are the counters with the ring's; s.mu must be held.
func (s *Session) stats() SessionStats {
	st := s.st
	st.Left, st.Held = s.ring.Left(), s.ring.Len()
	st.Holds, _ = s.ring.limits()
	if s.ring.Len() > 0 {
		st.Oldest = s.ring.At(0).No
	}
	return st
}

// Conversations lists the conversations seen so far.
func (s *Session) Conversations() []Conversation {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.convs.List()
}

// Packets returns every packet held, for saving, and the number of the
// newest (0 for none): what a save of them all covers.
func (s *Session) Packets() (packets []Record, newest uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	packets = make([]Record, s.ring.Len())
	for i := range packets {
		packets[i] = s.ring.At(i).Record()
	}
	if len(packets) > 0 {
		newest = s.ring.At(len(packets) - 1).No
	}
	return packets, newest
}

// slab hands out entries and copies of packet bytes from blocks, so a
// capture of 100,000 packets a second makes a few hundred allocations a
// second instead of 200,000. Packets leave the ring oldest first, so a
// block is freed soon after its last packet leaves.
type slab struct {
	entries []Entry
	data    []byte
}

const (
	slabEntries = 512
	slabBytes   = 256 << 10
)

// entry is a new, zeroed entry.
func (s *slab) entry() *Entry {
	if len(s.entries) == cap(s.entries) {
		s.entries = make([]Entry, 0, slabEntries)
	}
	s.entries = s.entries[:len(s.entries)+1]
	return &s.entries[len(s.entries)-1]
}

// bytes is a copy of p; a big packet gets an allocation of its own.
func (s *slab) bytes(p []byte) []byte {
	if len(p) > slabBytes/16 {
		return append([]byte(nil), p...)
	}
	if len(s.data)+len(p) > cap(s.data) {
		s.data = make([]byte, 0, slabBytes)
	}
	n := len(s.data)
	s.data = append(s.data, p...)
	return s.data[n:len(s.data):len(s.data)]
}

// FileSource reads a capture file as a session's source.
type FileSource struct {
	*FileReader
	stop chan struct{}
	once sync.Once
}

// NewFileSource wraps r.
func NewFileSource(r *FileReader) *FileSource {
	return &FileSource{FileReader: r, stop: make(chan struct{})}
}

// Next reads the next packet, or ErrStopped after Stop.
func (f *FileSource) Next() (Record, error) {
	select {
	case <-f.stop:
		return Record{}, ErrStopped
	default:
	}
	return f.FileReader.Next()
}

// Stop ends the reading.
func (f *FileSource) Stop() { f.once.Do(func() { close(f.stop) }) }

// Close closes the file.
func (f *FileSource) Close() { f.FileReader.Close() }
