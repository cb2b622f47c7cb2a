package sniff

import (
	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// Ring keeps the newest packets of a capture: at most Max packets and
// MaxBytes of packet data, whichever is reached first; older ones leave
// (and are counted). Each entry keeps its summary and its bytes, for the
// detail view and for saving. Entries are never changed once added, so
// the pointers Since returns may be read on any goroutine; the ring
// itself is not safe for concurrent use: the capture session guards it.
type Ring struct {
	Max      int // packets; DefaultRingSize when 0
	MaxBytes int // bytes of packet data; DefaultRingBytes when 0

	entries []*Entry
	start   int // index of the oldest entry
	n       int
	bytes   int
	left    uint64 // packets that left to make room
}

// Entry is a packet in the ring.
type Entry struct {
	Packet
	Data []byte
	Link uint16 // the link type, as layers.LinkType, for decoding again
}

const (
	// DefaultRingSize is how many packets a capture keeps by default.
	DefaultRingSize = 100_000
	// DefaultRingBytes bounds the packet data kept: on loopback a single
	// packet can be 64 KiB, and 100,000 of those would be 6 GiB.
	DefaultRingBytes = 192 << 20
)

func (r *Ring) limits() (int, int) {
	n, b := r.Max, r.MaxBytes
	if n <= 0 {
		n = DefaultRingSize
	}
	if b <= 0 {
		b = DefaultRingBytes
	}
	return n, b
}

// Add keeps e, which must not change afterwards (its Data is kept as
// given: pass a copy).
func (r *Ring) Add(e *Entry) {
	maxN, maxB := r.limits()
	for r.n > 0 && (r.n >= maxN || r.bytes+len(e.Data) > maxB) {
		r.dropOldest()
	}
	if len(r.entries) < maxN && r.n == len(r.entries) {
		// Grow: the ring is full up to its current capacity.
		grown := make([]*Entry, r.n, min(max(2*r.n, 1024), maxN))
		for i := range r.n {
			grown[i] = r.entries[(r.start+i)%len(r.entries)]
		}
		r.entries, r.start = grown[:cap(grown)], 0
	}
	r.entries[(r.start+r.n)%len(r.entries)] = e
	r.n++
	r.bytes += len(e.Data)
}

func (r *Ring) dropOldest() {
	r.bytes -= len(r.entries[r.start].Data)
	r.entries[r.start] = nil
	r.start = (r.start + 1) % len(r.entries)
	r.n--
	r.left++
}

// Len is how many packets the ring holds.
func (r *Ring) Len() int { return r.n }

// Bytes is how many bytes of packet data it holds.
func (r *Ring) Bytes() int { return r.bytes }

// Left is how many packets left the ring to make room.
func (r *Ring) Left() uint64 { return r.left }

// At returns the i-th packet held, oldest first.
func (r *Ring) At(i int) *Entry {
	return r.entries[(r.start+i)%len(r.entries)]
}

// Since returns the packets numbered after no (Packet.No), oldest first.
func (r *Ring) Since(no uint64) []*Entry {
	if r.n == 0 {
		return nil
	}
	first, last := r.At(0).No, r.At(r.n-1).No
	if no >= last {
		return nil
	}
	skip := 0
	if no >= first {
		skip = int(no - first + 1)
	}
	out := make([]*Entry, 0, r.n-skip)
	for i := skip; i < r.n; i++ {
		out = append(out, r.At(i))
	}
	return out
}

// Reset empties the ring.
func (r *Ring) Reset() { *r = Ring{Max: r.Max, MaxBytes: r.MaxBytes} }

// Record is the entry as a file record, for saving.
func (e *Entry) Record() Record {
	return Record{Data: e.Data, Link: layers.LinkType(e.Link), CI: captureInfo(e)}
}

// captureInfo rebuilds what the capture said of a kept packet.
func captureInfo(e *Entry) gopacket.CaptureInfo {
	return gopacket.CaptureInfo{Timestamp: e.Time, CaptureLength: len(e.Data), Length: e.Length}
}
