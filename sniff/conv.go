package sniff

import (
	"cmp"
	"net/netip"
	"slices"
	"time"
)

// ConvKey names a conversation: the transport and its two ends, the lower
// end first, so both directions count together.
type ConvKey struct {
	Transport string // "TCP" or "UDP"
	A, B      netip.AddrPort
}

// KeyOf is p's conversation, for packets with ports.
func KeyOf(p *Packet) (ConvKey, bool) {
	t := p.Transport()
	if t == "" {
		return ConvKey{}, false
	}
	a, b := netip.AddrPortFrom(p.Src, p.SrcPort), netip.AddrPortFrom(p.Dst, p.DstPort)
	if a.Compare(b) > 0 {
		a, b = b, a
	}
	return ConvKey{Transport: t, A: a, B: b}, true
}

// Conversation is what passed between two ends.
type Conversation struct {
	ConvKey
	Packets, Bytes uint64
	First, Last    time.Time
	// State is the TCP state the flags show: "opening" (a SYN, no answer
	// yet), "open", "closing" (a FIN from one side), "closed" (FINs from
	// both), "reset"; "" for UDP.
	State string

	syn, synAck, finA, finB, rst bool
}

func (c *Conversation) add(p *Packet) {
	c.Packets++
	c.Bytes += uint64(p.Length)
	if c.First.IsZero() {
		c.First = p.Time
	}
	c.Last = p.Time
	if c.Transport != "TCP" {
		return
	}
	fromA := netip.AddrPortFrom(p.Src, p.SrcPort) == c.A
	switch {
	case p.Flags&FlagRST != 0:
		c.rst = true
	case p.Flags&(FlagSYN|FlagACK) == FlagSYN|FlagACK:
		c.synAck = true
	case p.Flags&FlagSYN != 0:
		c.syn = true
	}
	if p.Flags&FlagFIN != 0 {
		if fromA {
			c.finA = true
		} else {
			c.finB = true
		}
	}
	switch {
	case c.rst:
		c.State = "reset"
	case c.finA && c.finB:
		c.State = "closed"
	case c.finA || c.finB:
		c.State = "closing"
	case c.syn && !c.synAck:
		c.State = "opening"
	default:
		c.State = "open" // a handshake seen, or a conversation that began before the capture
	}
}

// Conversations counts packets per conversation.
type Conversations struct {
	m map[ConvKey]*Conversation
}

// Add counts p.
func (cs *Conversations) Add(p *Packet) {
	k, ok := KeyOf(p)
	if !ok {
		return
	}
	if cs.m == nil {
		cs.m = map[ConvKey]*Conversation{}
	}
	c := cs.m[k]
	if c == nil {
		c = &Conversation{ConvKey: k}
		cs.m[k] = c
	}
	c.add(p)
}

// List is every conversation, the most recent first.
func (cs *Conversations) List() []Conversation {
	out := make([]Conversation, 0, len(cs.m))
	for _, c := range cs.m {
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b Conversation) int {
		if c := b.Last.Compare(a.Last); c != 0 {
			return c
		}
		return cmp.Compare(a.A.String()+a.B.String(), b.A.String()+b.B.String())
	})
	return out
}

// Len is how many conversations were seen.
func (cs *Conversations) Len() int { return len(cs.m) }
