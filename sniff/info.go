package sniff

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/loopscope/loopscope/internal/safetext"
)

// Info is the packet's Info column: what a reader wants to know at a
// glance, in words. data is the packet's bytes, as decoded into p. Text
// from the packet (an HTTP request line, a DNS name, a server name) is
// escaped and capped: it is the sender's, not Loopscope's.
func Info(p *Packet, data []byte) string {
	var payload []byte
	if p.HasPorts() && p.payloadAt > 0 && p.payloadAt <= len(data) {
		payload = data[p.payloadAt:]
	}
	var s string
	switch p.Proto {
	case ProtoTCP:
		s = tcpInfo(p)
	case ProtoUDP:
		s = fmt.Sprintf("%d → %d len=%d", p.SrcPort, p.DstPort, p.Payload)
	case ProtoHTTP:
		s = httpInfo(payload)
	case ProtoTLS:
		s = tlsInfo(payload)
	case ProtoDNS:
		s = dnsInfo(payload, p.overTCP)
	case ProtoICMP:
		s = icmp4Words(p.ICMPType, p.ICMPCode)
	case ProtoICMPv6:
		s = icmp6Words(p.ICMPType, p.ICMPCode)
	case ProtoARP:
		s = arpInfo(p)
	case ProtoIPv4, ProtoIPv6:
		s = "IP, protocol not decoded"
	default:
		s = fmt.Sprintf("%d bytes, not decoded", p.CapLen)
	}
	if p.Malformed != "" {
		s += " [malformed: " + safetext.Line(p.Malformed, 120) + "]"
	}
	return s
}

// tcpInfo is "51234 → 8080 SYN seq=… win=65495 len=0".
func tcpInfo(p *Packet) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d → %d %s seq=%d", p.SrcPort, p.DstPort, p.Flags, p.Seq)
	if p.Flags&FlagACK != 0 {
		fmt.Fprintf(&b, " ack=%d", p.Ack)
	}
	fmt.Fprintf(&b, " win=%d len=%d", p.Window, p.Payload)
	return b.String()
}

// httpInfo is the request or status line, and a note when it is only
// part of a segment's worth.
func httpInfo(payload []byte) string {
	line, _, _ := bytes.Cut(payload, []byte("\n"))
	return safetext.Line(strings.TrimRight(string(line), "\r"), 200)
}

// tlsInfo names the handshake message and, for a ClientHello, the server
// name the client asked for.
func tlsInfo(payload []byte) string {
	if len(payload) < 6 {
		return "TLS handshake"
	}
	switch payload[5] {
	case 1:
		if name := serverName(payload); name != "" {
			return "TLS ClientHello, server name " + safetext.Line(name, 200)
		}
		return "TLS ClientHello"
	case 2:
		return "TLS ServerHello"
	}
	return "TLS handshake"
}

// serverName reads the SNI extension of a ClientHello record; "" when it
// has none or the record is cut short. Every length is checked.
func serverName(rec []byte) string {
	b := rec[5:] // the handshake message
	if len(b) < 4 {
		return ""
	}
	b = b[4:] // type and length
	// version (2), random (32)
	if len(b) < 34 {
		return ""
	}
	b = b[34:]
	skip := func(lenBytes int) bool {
		if len(b) < lenBytes {
			return false
		}
		n := 0
		for _, c := range b[:lenBytes] {
			n = n<<8 | int(c)
		}
		if len(b) < lenBytes+n {
			return false
		}
		b = b[lenBytes+n:]
		return true
	}
	if !skip(1) || !skip(2) || !skip(1) { // session id, cipher suites, compression
		return ""
	}
	if len(b) < 2 {
		return ""
	}
	ext := b[2:min(len(b), 2+int(binary.BigEndian.Uint16(b)))]
	for len(ext) >= 4 {
		typ, n := binary.BigEndian.Uint16(ext), int(binary.BigEndian.Uint16(ext[2:]))
		ext = ext[4:]
		if n > len(ext) {
			return ""
		}
		if typ == 0 { // server_name: list length, then type 0, length, name
			e := ext[:n]
			if len(e) >= 5 && e[2] == 0 {
				l := int(binary.BigEndian.Uint16(e[3:]))
				if 5+l <= len(e) {
					return string(e[5 : 5+l])
				}
			}
			return ""
		}
		ext = ext[n:]
	}
	return ""
}

// dnsInfo is "query A example.com" or "response A example.com → 93.184.215.14".
func dnsInfo(payload []byte, overTCP bool) string {
	if overTCP && len(payload) >= 2 {
		payload = payload[2:] // DNS over TCP starts with the message's length
	}
	var dns layers.DNS
	if err := dns.DecodeFromBytes(payload, gopacket.NilDecodeFeedback); err != nil {
		return "DNS (could not read it: " + safetext.Line(err.Error(), 80) + ")"
	}
	var b strings.Builder
	if dns.QR {
		b.WriteString("DNS response")
		if dns.ResponseCode != layers.DNSResponseCodeNoErr {
			b.WriteString(" " + dns.ResponseCode.String())
		}
	} else {
		b.WriteString("DNS query")
	}
	for i, q := range dns.Questions {
		if i == 3 {
			b.WriteString(" …")
			break
		}
		fmt.Fprintf(&b, " %s %s", q.Type, safetext.Line(string(q.Name), 120))
	}
	var answers []string
	for _, a := range dns.Answers {
		switch {
		case a.IP != nil:
			answers = append(answers, a.IP.String())
		case len(a.CNAME) > 0:
			answers = append(answers, "CNAME "+safetext.Line(string(a.CNAME), 120))
		}
	}
	if len(answers) > 0 {
		if len(answers) > 4 {
			answers = append(answers[:4], "+"+strconv.Itoa(len(answers)-4)+" more")
		}
		b.WriteString(" → " + strings.Join(answers, ", "))
	}
	return b.String()
}

// arpInfo is "who has 10.0.0.1? tell 10.0.0.2" or "10.0.0.1 is at aa:bb:…".
func arpInfo(p *Packet) string {
	if p.ARPOp == layers.ARPReply {
		return fmt.Sprintf("%s is at %s", p.Src, net.HardwareAddr(p.arpMAC[:p.arpMACN]))
	}
	if p.ARPOp == layers.ARPRequest {
		return fmt.Sprintf("who has %s? tell %s", p.Dst, p.Src)
	}
	return fmt.Sprintf("ARP operation %d", p.ARPOp)
}

// icmp4Words names the ICMP messages people meet in plain words; the
// rest as gopacket names them.
func icmp4Words(typ, code uint8) string {
	switch typ {
	case layers.ICMPv4TypeEchoRequest:
		return "echo request (ping)"
	case layers.ICMPv4TypeEchoReply:
		return "echo reply (ping answered)"
	case layers.ICMPv4TypeTimeExceeded:
		return "time exceeded (the packet's TTL ran out on the way)"
	case layers.ICMPv4TypeDestinationUnreachable:
		switch code {
		case layers.ICMPv4CodePort:
			return "destination unreachable: no program listens on that UDP port"
		case layers.ICMPv4CodeHost:
			return "destination unreachable: host"
		case layers.ICMPv4CodeNet:
			return "destination unreachable: network"
		}
		return "destination unreachable"
	}
	return layers.CreateICMPv4TypeCode(typ, code).String()
}

func icmp6Words(typ, code uint8) string {
	switch typ {
	case layers.ICMPv6TypeEchoRequest:
		return "echo request (ping)"
	case layers.ICMPv6TypeEchoReply:
		return "echo reply (ping answered)"
	case layers.ICMPv6TypeNeighborSolicitation:
		return "neighbour solicitation: who has this address?"
	case layers.ICMPv6TypeNeighborAdvertisement:
		return "neighbour advertisement: this address is here"
	case layers.ICMPv6TypeDestinationUnreachable:
		if code == layers.ICMPv6CodePortUnreachable {
			return "destination unreachable: no program listens on that UDP port"
		}
		return "destination unreachable"
	}
	return layers.CreateICMPv6TypeCode(typ, code).String()
}
