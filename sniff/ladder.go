package sniff

import (
	"fmt"
	"net/netip"
)

// Step is one packet of a TCP conversation drawn as a ladder diagram: an
// arrow from one side to the other, labelled, with one sentence that
// says what it does.
type Step struct {
	No         uint64 // the packet's number in the capture
	FromClient bool   // the arrow goes from the client to the server
	Label      string // "SYN", "SYN-ACK", "ACK", "data, 162 bytes", "FIN-ACK", "RST"
	Seq, Ack   uint32 // relative to each side's first sequence number, as Wireshark shows them
	HasAck     bool   // the ACK flag is set: Ack means something (a bare SYN's does not)
	Payload    int    // bytes of data it carries
	Why        string
}

// Ladder is a TCP conversation as a ladder: its client (the side that
// sent the first SYN, or else the first packet) and server, and a step
// for each packet of it in entries, in order. UDP has no ladder.
type Ladder struct {
	Client, Server netip.AddrPort
	Steps          []Step
}

// MakeLadder draws the conversation k from entries (oldest first).
func MakeLadder(entries []*Entry, k ConvKey) Ladder {
	var l Ladder
	if k.Transport != "TCP" {
		return l
	}
	var mine []*Entry
	for _, e := range entries {
		if kk, ok := KeyOf(&e.Packet); ok && kk == k && e.Proto != ProtoUDP && e.Transport() == "TCP" {
			mine = append(mine, e)
		}
	}
	if len(mine) == 0 {
		return l
	}
	first := mine[0]
	for _, e := range mine {
		if e.Flags&FlagSYN != 0 && e.Flags&FlagACK == 0 {
			first = e
			break
		}
	}
	l.Client, l.Server = netip.AddrPortFrom(first.Src, first.SrcPort), netip.AddrPortFrom(first.Dst, first.DstPort)
	var isn [2]uint32 // the client's and the server's first sequence numbers
	var known [2]bool
	w := ladderWords{}
	for _, e := range mine {
		fromClient := netip.AddrPortFrom(e.Src, e.SrcPort) == l.Client
		me, them := 0, 1
		if !fromClient {
			me, them = 1, 0
		}
		if e.Flags&FlagSYN != 0 || !known[me] {
			isn[me], known[me] = e.Seq, true
		}
		s := Step{No: e.No, FromClient: fromClient, Seq: e.Seq - isn[me], Payload: e.Payload, HasAck: e.Flags&FlagACK != 0}
		if s.HasAck && known[them] {
			s.Ack = e.Ack - isn[them]
		}
		s.Label, s.Why = w.say(e, fromClient, me)
		l.Steps = append(l.Steps, s)
	}
	return l
}

// ladderWords label packets and say what each does, remembering what
// came before: whether the handshake finished, and which side closed.
type ladderWords struct {
	opened bool
	finAt  [2]uint32 // the sequence number after each side's FIN
	fin    [2]bool
}

func (w *ladderWords) say(e *Entry, fromClient bool, me int) (label, why string) {
	f, them := e.Flags, 1-me
	switch {
	case f&FlagRST != 0:
		return "RST", "This side aborts the connection at once: nothing more is sent or acknowledged."
	case f&FlagSYN != 0 && f&FlagACK == 0:
		return "SYN", "The client asks to open a connection, and says where its count of bytes starts."
	case f&FlagSYN != 0:
		return "SYN-ACK", "The server agrees, acknowledges the client's SYN, and says where its own count starts."
	case f&FlagFIN != 0:
		label = "FIN"
		if f&FlagACK != 0 {
			label = "FIN-ACK"
		}
		w.fin[me], w.finAt[me] = true, e.Seq+uint32(e.Payload)+1
		if w.fin[them] {
			return label, "This side closes too, acknowledging the other's FIN: both directions are closed once this is acknowledged."
		}
		return label, "This side has nothing more to send; the other may still send, then closes too."
	case e.Payload > 0:
		label = fmt.Sprintf("data, %d bytes", e.Payload)
		why = fmt.Sprintf("%d bytes of data; the other side acknowledges them by counting past them.", e.Payload)
		if info := Info(&e.Packet, e.Data); e.Proto == ProtoHTTP && info != "" {
			why = info + ": " + why
		}
		return label, why
	case fromClient && !w.opened:
		w.opened = true
		return "ACK", "The client acknowledges the server's SYN: the handshake is done, the connection is open."
	case w.fin[them] && e.Ack == w.finAt[them]:
		if w.fin[me] {
			return "ACK", "Acknowledges the other side's FIN: the connection is closed both ways."
		}
		return "ACK", "Acknowledges the other side's FIN: that direction is closed."
	}
	return "ACK", "Acknowledges what arrived: the Ack number is the next byte this side expects."
}
