package sniff

import (
	"crypto/tls"
	"errors"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// build serialises layers into a packet's bytes, with lengths and
// checksums computed as a real stack would.
func build(t testing.TB, ls ...gopacket.SerializableLayer) []byte {
	t.Helper()
	var ip gopacket.NetworkLayer
	for _, l := range ls {
		if n, ok := l.(gopacket.NetworkLayer); ok {
			ip = n
		}
	}
	for _, l := range ls {
		if x, ok := l.(interface {
			SetNetworkLayerForChecksum(gopacket.NetworkLayer) error
		}); ok && ip != nil {
			x.SetNetworkLayerForChecksum(ip)
		}
	}
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ls...); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var (
	macA = net.HardwareAddr{0x02, 0, 0, 0, 0, 0xa}
	macB = net.HardwareAddr{0x02, 0, 0, 0, 0, 0xb}
)

func eth(typ layers.EthernetType) *layers.Ethernet {
	return &layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: typ}
}

func ip4(proto layers.IPProtocol) *layers.IPv4 {
	return &layers.IPv4{Version: 4, TTL: 64, Protocol: proto, SrcIP: net.IP{127, 0, 0, 1}, DstIP: net.IP{127, 0, 0, 2}}
}

func ip6(next layers.IPProtocol) *layers.IPv6 {
	return &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: next, SrcIP: net.IPv6loopback, DstIP: net.IPv6loopback}
}

// sllHeader is a Linux cooked header (v1) for an IPv4 packet from the
// loopback device: packet type, ARPHRD_LOOPBACK, address length and
// address, protocol.
func sllHeader() []byte {
	return []byte{0, 0, 0x03, 0x04, 0, 6, 2, 0, 0, 0, 0, 0xa, 0, 0, 0x08, 0x00}
}

// sll2Header is the version 2 header the "any" device gives: protocol,
// reserved, interface index, ARPHRD, packet type, address length, address.
func sll2Header() []byte {
	return []byte{0x08, 0x00, 0, 0, 0, 0, 0, 1, 0x03, 0x04, 0, 6, 2, 0, 0, 0, 0, 0xa, 0, 0}
}

func decode(t testing.TB, link layers.LinkType, data []byte) (*Packet, string) {
	t.Helper()
	d, err := NewDecoder(link)
	if err != nil {
		t.Fatal(err)
	}
	var p Packet
	d.Decode(data, gopacket.CaptureInfo{Timestamp: time.Unix(1, 0), Length: len(data), CaptureLength: len(data)}, &p)
	return &p, Info(&p, data)
}

// clientHello is a real ClientHello record, as crypto/tls writes it.
func clientHello(t *testing.T, name string) []byte {
	t.Helper()
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	go tls.Client(a, &tls.Config{ServerName: name}).Handshake()
	buf := make([]byte, 4096)
	b.SetReadDeadline(time.Now().Add(5 * time.Second))
	n, err := b.Read(buf)
	if err != nil {
		t.Fatal(err)
	}
	return buf[:n]
}

func TestDecodeSummaries(t *testing.T) {
	dnsQuery := &layers.DNS{ID: 7, RD: true, Questions: []layers.DNSQuestion{{Name: []byte("example.test"), Type: layers.DNSTypeA, Class: layers.DNSClassIN}}}
	dnsAnswer := &layers.DNS{ID: 7, QR: true, Questions: dnsQuery.Questions,
		Answers: []layers.DNSResourceRecord{{Name: []byte("example.test"), Type: layers.DNSTypeA, Class: layers.DNSClassIN, TTL: 60, IP: net.IP{192, 0, 2, 7}}}}
	tests := []struct {
		name     string
		link     layers.LinkType
		data     []byte
		proto    Proto
		src, dst string
		flags    string
		info     string
	}{
		{"ethernet tcp syn", layers.LinkTypeEthernet,
			build(t, eth(layers.EthernetTypeIPv4), ip4(layers.IPProtocolTCP), &layers.TCP{SrcPort: 51234, DstPort: 8080, SYN: true, Seq: 1000, Window: 65495}),
			ProtoTCP, "127.0.0.1:51234", "127.0.0.2:8080", "SYN", "51234 → 8080 SYN seq=1000 win=65495 len=0"},
		{"ethernet tcp syn-ack", layers.LinkTypeEthernet,
			build(t, eth(layers.EthernetTypeIPv4), ip4(layers.IPProtocolTCP), &layers.TCP{SrcPort: 8080, DstPort: 51234, SYN: true, ACK: true, Seq: 5, Ack: 1001, Window: 100}),
			ProtoTCP, "127.0.0.1:8080", "127.0.0.2:51234", "SYN,ACK", "8080 → 51234 SYN,ACK seq=5 ack=1001 win=100 len=0"},
		{"loopback ipv6 udp dns query", layers.LinkTypeNull,
			build(t, &layers.Loopback{Family: layers.ProtocolFamilyIPv6Linux}, ip6(layers.IPProtocolUDP), &layers.UDP{SrcPort: 40000, DstPort: 53}, dnsQuery),
			ProtoDNS, "[::1]:40000", "[::1]:53", "", "DNS query A example.test"},
		{"sll dns answer", layers.LinkTypeLinuxSLL,
			append(sllHeader(), build(t, ip4(layers.IPProtocolUDP), &layers.UDP{SrcPort: 53, DstPort: 40000}, dnsAnswer)...),
			ProtoDNS, "127.0.0.1:53", "127.0.0.2:40000", "", "DNS response A example.test → 192.0.2.7"},
		{"sll2 http request", layers.LinkTypeLinuxSLL2,
			append(sll2Header(), build(t, ip4(layers.IPProtocolTCP),
				&layers.TCP{SrcPort: 51000, DstPort: 80, PSH: true, ACK: true}, gopacket.Payload("GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n"))...),
			ProtoHTTP, "127.0.0.1:51000", "127.0.0.2:80", "PSH,ACK", "GET /index.html HTTP/1.1"},
		{"raw ipv6 icmpv6 echo", layers.LinkTypeRaw,
			build(t, ip6(layers.IPProtocolICMPv6), &layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(layers.ICMPv6TypeEchoRequest, 0)}, gopacket.Payload("ping")),
			ProtoICMPv6, "::1", "::1", "", "echo request (ping)"},
		{"raw ipv4 icmp unreachable", layers.LinkTypeRaw,
			build(t, ip4(layers.IPProtocolICMPv4), &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(layers.ICMPv4TypeDestinationUnreachable, layers.ICMPv4CodePort)}),
			ProtoICMP, "127.0.0.1", "127.0.0.2", "", "destination unreachable: no program listens on that UDP port"},
		{"ethernet arp request", layers.LinkTypeEthernet,
			build(t, eth(layers.EthernetTypeARP), &layers.ARP{AddrType: layers.LinkTypeEthernet, Protocol: layers.EthernetTypeIPv4, HwAddressSize: 6, ProtAddressSize: 4,
				Operation: layers.ARPRequest, SourceHwAddress: macA, SourceProtAddress: []byte{10, 0, 0, 2}, DstHwAddress: make([]byte, 6), DstProtAddress: []byte{10, 0, 0, 1}}),
			ProtoARP, "10.0.0.2", "10.0.0.1", "", "who has 10.0.0.1? tell 10.0.0.2"},
		{"ethernet arp reply", layers.LinkTypeEthernet,
			build(t, eth(layers.EthernetTypeARP), &layers.ARP{AddrType: layers.LinkTypeEthernet, Protocol: layers.EthernetTypeIPv4, HwAddressSize: 6, ProtAddressSize: 4,
				Operation: layers.ARPReply, SourceHwAddress: macB, SourceProtAddress: []byte{10, 0, 0, 1}, DstHwAddress: macA, DstProtAddress: []byte{10, 0, 0, 2}}),
			ProtoARP, "10.0.0.1", "10.0.0.2", "", "10.0.0.1 is at 02:00:00:00:00:0b"},
		{"tls client hello", layers.LinkTypeEthernet,
			build(t, eth(layers.EthernetTypeIPv4), ip4(layers.IPProtocolTCP), &layers.TCP{SrcPort: 52000, DstPort: 443, PSH: true, ACK: true}, gopacket.Payload(clientHello(t, "loopscope.test"))),
			ProtoTLS, "127.0.0.1:52000", "127.0.0.2:443", "PSH,ACK", "TLS ClientHello, server name loopscope.test"},
		{"http response with an escape sequence", layers.LinkTypeEthernet,
			build(t, eth(layers.EthernetTypeIPv4), ip4(layers.IPProtocolTCP), &layers.TCP{SrcPort: 80, DstPort: 51000, ACK: true}, gopacket.Payload("HTTP/1.1 200 \x1b[31mOK\r\n\r\n")),
			ProtoHTTP, "127.0.0.1:80", "127.0.0.2:51000", "ACK", `HTTP/1.1 200 \x1b[31mOK`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, info := decode(t, tt.link, tt.data)
			if p.Malformed != "" {
				t.Errorf("malformed: %s", p.Malformed)
			}
			if p.Proto != tt.proto || p.Source() != tt.src || p.Destination() != tt.dst || p.Flags.String() != tt.flags || info != tt.info {
				t.Errorf("got %s %s → %s [%s] %q\nwant %s %s → %s [%s] %q", p.Proto, p.Source(), p.Destination(), p.Flags, info,
					tt.proto, tt.src, tt.dst, tt.flags, tt.info)
			}
			if p.Length != len(tt.data) || p.CapLen != len(tt.data) {
				t.Errorf("length %d/%d, want %d", p.Length, p.CapLen, len(tt.data))
			}
		})
	}
}

// A packet cut short is summarised as far as it goes and marked; a link
// type Loopscope does not read is refused by name.
func TestDecodeDamage(t *testing.T) {
	full := build(t, eth(layers.EthernetTypeIPv4), ip4(layers.IPProtocolTCP), &layers.TCP{SrcPort: 1, DstPort: 2, SYN: true})
	p, info := decode(t, layers.LinkTypeEthernet, full[:30])
	if p.Malformed == "" || !strings.Contains(info, "malformed") {
		t.Errorf("a truncated packet: %+v, %q", p, info)
	}
	p, _ = decode(t, layers.LinkTypeRaw, []byte{0x50, 1, 2})
	if p.Malformed != "not an IP packet" {
		t.Errorf("raw non-IP: %q", p.Malformed)
	}
	if _, err := NewDecoder(layers.LinkTypeIEEE802_11); !errors.Is(err, ErrLinkType) {
		t.Errorf("802.11: %v", err)
	}
	var ok netip.Addr
	if p.Src != ok {
		t.Errorf("a non-IP packet has a source %v", p.Src)
	}
}

// FuzzDecode: no bytes make a decoder panic, on any link type, and what
// comes out reads as one line.
func FuzzDecode(f *testing.F) {
	f.Add(uint8(0), build(f, eth(layers.EthernetTypeIPv4), ip4(layers.IPProtocolTCP), &layers.TCP{SrcPort: 1, DstPort: 443, PSH: true}, gopacket.Payload("\x16\x03\x01\x00\x10\x01\x00\x00\x0c\x03\x03")))
	f.Add(uint8(1), build(f, &layers.Loopback{Family: layers.ProtocolFamilyIPv4}, ip4(layers.IPProtocolUDP), &layers.UDP{SrcPort: 53, DstPort: 9}, gopacket.Payload("\x00\x01\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00")))
	f.Add(uint8(4), []byte{0x45, 0, 0, 20})
	links := []layers.LinkType{layers.LinkTypeEthernet, layers.LinkTypeNull, layers.LinkTypeLoop, layers.LinkTypeLinuxSLL, layers.LinkTypeRaw, layers.LinkTypeLinuxSLL2}
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		d, err := NewDecoder(links[int(which)%len(links)])
		if err != nil {
			t.Fatal(err)
		}
		var p Packet
		d.Decode(data, gopacket.CaptureInfo{Length: len(data), CaptureLength: len(data)}, &p)
		if info := Info(&p, data); strings.ContainsAny(info, "\n\r\x1b") {
			t.Errorf("info %q is not one safe line", info)
		}
	})
}
