// Package sniff captures packets, reads and writes capture files, and
// decodes packets into the summaries the Packets tab and `loopscope
// capture` show. It knows nothing of Fyne or of netinfo: the window joins
// packets to the programs that own their ports.
package sniff

import (
	"net/netip"
	"strings"
	"time"
)

// Proto is what a packet is, as far as the summary goes: the highest
// layer recognised.
type Proto uint8

const (
	ProtoUnknown Proto = iota
	ProtoARP
	ProtoIPv4 // IPv4 carrying something not decoded further
	ProtoIPv6
	ProtoICMP
	ProtoICMPv6
	ProtoTCP
	ProtoUDP
	ProtoDNS
	ProtoHTTP
	ProtoTLS
)

var protoNames = [...]string{"?", "ARP", "IPv4", "IPv6", "ICMP", "ICMPv6", "TCP", "UDP", "DNS", "HTTP", "TLS"}

func (p Proto) String() string {
	if int(p) < len(protoNames) {
		return protoNames[p]
	}
	return "?"
}

// TCPFlags are a TCP segment's flags, as bits.
type TCPFlags uint16

const (
	FlagFIN TCPFlags = 1 << iota
	FlagSYN
	FlagRST
	FlagPSH
	FlagACK
	FlagURG
	FlagECE
	FlagCWR
	FlagNS
)

// flagOrder is how flags are written: the way tcpdump users read them,
// ACK last ("SYN,ACK", "PSH,ACK", "FIN,ACK").
var flagOrder = []struct {
	f    TCPFlags
	name string
}{{FlagSYN, "SYN"}, {FlagFIN, "FIN"}, {FlagRST, "RST"}, {FlagPSH, "PSH"}, {FlagURG, "URG"},
	{FlagECE, "ECE"}, {FlagCWR, "CWR"}, {FlagNS, "NS"}, {FlagACK, "ACK"}}

// String is the flags as "SYN,ACK"; "" for none.
func (f TCPFlags) String() string {
	var b strings.Builder
	for _, x := range flagOrder {
		if f&x.f != 0 {
			if b.Len() > 0 {
				b.WriteByte(',')
			}
			b.WriteString(x.name)
		}
	}
	return b.String()
}

// Packet is one packet's summary: enough to list, filter and sort it
// without its bytes. Decoding fills it without allocating; Info makes
// the words for it, from the bytes, only for the packets shown.
type Packet struct {
	No     uint64    // 1 for the first packet of a capture
	Time   time.Time // when it was captured
	Length int       // its length on the wire
	CapLen int       // how much of it was captured

	Proto            Proto
	Src, Dst         netip.Addr // IP addresses; for ARP, the protocol addresses
	SrcPort, DstPort uint16

	Flags    TCPFlags
	Seq, Ack uint32
	Window   uint16
	Payload  int // bytes of TCP or UDP payload captured
	ICMPType uint8
	ICMPCode uint8
	ARPOp    uint16
	arpMAC   [8]byte // the ARP sender's hardware address
	arpMACN  uint8

	// Malformed says why decoding stopped early ("" when it did not): a
	// truncated header, a length that does not add up, a decoder panic.
	Malformed string

	payloadAt int  // where the TCP or UDP payload starts in the bytes
	overTCP   bool // the ports are TCP ports (DNS can be either)
}

// HasPorts reports whether the packet is TCP or UDP (or a protocol on
// top of them), so its ports mean something.
func (p *Packet) HasPorts() bool {
	switch p.Proto {
	case ProtoTCP, ProtoUDP, ProtoDNS, ProtoHTTP, ProtoTLS:
		return true
	}
	return false
}

// Transport is "TCP" or "UDP" for a packet with ports, "" otherwise.
func (p *Packet) Transport() string {
	switch {
	case !p.HasPorts():
		return ""
	case p.overTCP:
		return "TCP"
	}
	return "UDP"
}

// Endpoint is an address and, for TCP and UDP, a port: "127.0.0.1:8080",
// "[::1]:8080", or the address alone.
func Endpoint(a netip.Addr, port uint16, withPort bool) string {
	if !a.IsValid() {
		return ""
	}
	if !withPort {
		return a.String()
	}
	return netip.AddrPortFrom(a, port).String()
}

// Source is where the packet came from, as Endpoint writes it.
func (p *Packet) Source() string { return Endpoint(p.Src, p.SrcPort, p.HasPorts()) }

// Destination is where it went, as Endpoint writes it.
func (p *Packet) Destination() string { return Endpoint(p.Dst, p.DstPort, p.HasPorts()) }
