package sniff

import (
	"bytes"
	"errors"
	"fmt"
	"net/netip"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// Decoder turns a packet's bytes into its summary. It keeps one of each
// layer and reuses them, so decoding allocates nothing once warm. One
// Decoder serves one goroutine.
type Decoder struct {
	link    layers.LinkType
	parser  *gopacket.DecodingLayerParser // for the link's first layer
	parser6 *gopacket.DecodingLayerParser // raw IP: parser starts at IPv4, this one at IPv6
	decoded []gopacket.LayerType

	loop  layers.Loopback
	eth   layers.Ethernet
	sll   layers.LinuxSLL
	sll2  layers.LinuxSLL2
	ip4   layers.IPv4
	ip6   layers.IPv6
	tcp   layers.TCP
	udp   layers.UDP
	icmp4 layers.ICMPv4
	icmp6 layers.ICMPv6
	arp   layers.ARP
	pay   gopacket.Payload
}

// ErrLinkType is returned for a link type Loopscope does not decode.
var ErrLinkType = errors.New("unsupported link type")

// NewDecoder returns a decoder for packets of a link type: loopback
// (Null, Loop), Ethernet, Linux cooked (SLL, SLL2) or raw IP.
func NewDecoder(link layers.LinkType) (*Decoder, error) {
	d := &Decoder{link: link, decoded: make([]gopacket.LayerType, 0, 8)}
	var first gopacket.LayerType
	switch link {
	case layers.LinkTypeNull, layers.LinkTypeLoop:
		first = layers.LayerTypeLoopback
	case layers.LinkTypeEthernet:
		first = layers.LayerTypeEthernet
	case layers.LinkTypeLinuxSLL:
		first = layers.LayerTypeLinuxSLL
	case layers.LinkTypeLinuxSLL2:
		first = layers.LayerTypeLinuxSLL2
	case layers.LinkTypeRaw, layers.LinkTypeIPv4, layers.LinkTypeIPv6:
		first = layers.LayerTypeIPv4 // or IPv6, by the version nibble
		d.parser6 = d.newParser(layers.LayerTypeIPv6)
	default:
		return nil, fmt.Errorf("%w %s (%d)", ErrLinkType, link, int(link))
	}
	d.parser = d.newParser(first)
	return d, nil
}

// newParser is a parser over the decoder's layers, starting at first.
func (d *Decoder) newParser(first gopacket.LayerType) *gopacket.DecodingLayerParser {
	p := gopacket.NewDecodingLayerParser(first)
	// A sparse container finds each next layer by indexing, not hashing:
	// the map gopacket uses by default costs a quarter of the time.
	dlc := gopacket.DecodingLayerContainer(gopacket.DecodingLayerSparse(nil))
	for _, l := range []gopacket.DecodingLayer{&d.loop, &d.eth, &d.sll, &d.sll2, &d.ip4, &d.ip6, &d.tcp, &d.udp, &d.icmp4, &d.icmp6, &d.arp, &d.pay} {
		dlc = dlc.Put(l)
	}
	p.SetDecodingLayerContainer(dlc)
	p.IgnoreUnsupported = true // IPv6 extension headers, VLANs…: the summary says what was reached
	p.IgnorePanic = true       // Decode recovers, and marks the packet
	return p
}

// LinkType is the link type the decoder reads.
func (d *Decoder) LinkType() layers.LinkType { return d.link }

// Decode fills p from data, captured at ci. A packet that cannot be
// decoded whole is still summarised as far as it goes, with Malformed
// saying why; a decoder that panics marks only this packet.
func (d *Decoder) Decode(data []byte, ci gopacket.CaptureInfo, p *Packet) {
	*p = Packet{No: p.No, Time: ci.Timestamp, Length: ci.Length, CapLen: len(data)}
	if p.Length < p.CapLen {
		p.Length = p.CapLen
	}
	defer func() {
		if r := recover(); r != nil {
			p.Malformed = fmt.Sprint("the decoder failed: ", r)
		}
	}()
	parser := d.parser
	if d.parser6 != nil {
		switch ipVersion(data) {
		case 4:
		case 6:
			parser = d.parser6
		default:
			p.Malformed = "not an IP packet"
			return
		}
	}
	err := parser.DecodeLayers(data, &d.decoded)
	d.summarise(data, p)
	if err != nil {
		p.Malformed = err.Error()
	} else if parser.Truncated {
		p.Malformed = "truncated"
	}
}

// ipVersion is the IP version a raw IP packet starts with, 0 for none.
func ipVersion(data []byte) int {
	if len(data) == 0 {
		return 0
	}
	return int(data[0] >> 4)
}

// summarise copies what the decoded layers say into p.
func (d *Decoder) summarise(data []byte, p *Packet) {
	for _, t := range d.decoded {
		switch t {
		case layers.LayerTypeIPv4:
			p.Proto = ProtoIPv4
			p.Src, _ = netip.AddrFromSlice(d.ip4.SrcIP)
			p.Dst, _ = netip.AddrFromSlice(d.ip4.DstIP)
		case layers.LayerTypeIPv6:
			p.Proto = ProtoIPv6
			p.Src, _ = netip.AddrFromSlice(d.ip6.SrcIP)
			p.Dst, _ = netip.AddrFromSlice(d.ip6.DstIP)
		case layers.LayerTypeARP:
			p.Proto = ProtoARP
			p.ARPOp = d.arp.Operation
			p.arpMACN = uint8(copy(p.arpMAC[:], d.arp.SourceHwAddress))
			p.Src, _ = netip.AddrFromSlice(d.arp.SourceProtAddress)
			p.Dst, _ = netip.AddrFromSlice(d.arp.DstProtAddress)
		case layers.LayerTypeICMPv4:
			p.Proto = ProtoICMP
			p.ICMPType, p.ICMPCode = d.icmp4.TypeCode.Type(), d.icmp4.TypeCode.Code()
		case layers.LayerTypeICMPv6:
			p.Proto = ProtoICMPv6
			p.ICMPType, p.ICMPCode = d.icmp6.TypeCode.Type(), d.icmp6.TypeCode.Code()
		case layers.LayerTypeTCP:
			p.Proto, p.overTCP = ProtoTCP, true
			p.SrcPort, p.DstPort = uint16(d.tcp.SrcPort), uint16(d.tcp.DstPort)
			p.Seq, p.Ack, p.Window = d.tcp.Seq, d.tcp.Ack, d.tcp.Window
			p.Flags = tcpFlags(&d.tcp)
			p.Payload = len(d.tcp.Payload)
			p.payloadAt = len(data) - len(d.tcp.Payload)
		case layers.LayerTypeUDP:
			p.Proto = ProtoUDP
			p.SrcPort, p.DstPort = uint16(d.udp.SrcPort), uint16(d.udp.DstPort)
			p.Payload = len(d.udp.Payload)
			p.payloadAt = len(data) - len(d.udp.Payload)
		}
	}
	if p.Src.Is4In6() {
		p.Src = p.Src.Unmap()
	}
	if p.Dst.Is4In6() {
		p.Dst = p.Dst.Unmap()
	}
	if p.HasPorts() && p.Payload > 0 {
		p.Proto = application(p, data[p.payloadAt:])
	}
}

func tcpFlags(t *layers.TCP) TCPFlags {
	var f TCPFlags
	set := func(on bool, x TCPFlags) {
		if on {
			f |= x
		}
	}
	set(t.FIN, FlagFIN)
	set(t.SYN, FlagSYN)
	set(t.RST, FlagRST)
	set(t.PSH, FlagPSH)
	set(t.ACK, FlagACK)
	set(t.URG, FlagURG)
	set(t.ECE, FlagECE)
	set(t.CWR, FlagCWR)
	set(t.NS, FlagNS)
	return f
}

// httpStarts are how HTTP/1 requests and responses begin.
var httpStarts = [][]byte{[]byte("GET "), []byte("POST "), []byte("PUT "), []byte("HEAD "), []byte("DELETE "),
	[]byte("PATCH "), []byte("OPTIONS "), []byte("CONNECT "), []byte("TRACE "), []byte("HTTP/1.")}

// application recognises what a TCP or UDP payload carries, by its first
// bytes (and the port, for DNS): a guess the Info column then confirms.
func application(p *Packet, payload []byte) Proto {
	if p.overTCP {
		if len(payload) >= 6 && payload[0] == 0x16 && payload[1] == 0x03 && payload[5] <= 0x02 {
			return ProtoTLS // a TLS handshake record: ClientHello or ServerHello
		}
		if len(payload) > 0 && payload[0] >= 'C' && payload[0] <= 'T' { // every start below begins with C…T
			for _, s := range httpStarts {
				if bytes.HasPrefix(payload, s) {
					return ProtoHTTP
				}
			}
		}
	}
	if (p.SrcPort == 53 || p.DstPort == 53 || p.SrcPort == 5353 || p.DstPort == 5353) && len(payload) >= 12 {
		return ProtoDNS
	}
	return p.Proto
}
