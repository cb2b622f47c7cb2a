package sniff

import (
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// BenchmarkDecodeSummary: decoding a packet into its summary, what a
// capture does for every packet (the target is at most 300 ns and no
// allocation per packet; Info is made only for packets shown).
func BenchmarkDecodeSummary(b *testing.B) {
	for _, tc := range []struct {
		name string
		link layers.LinkType
		data []byte
	}{
		{"ethernet-tcp", layers.LinkTypeEthernet, build(b, eth(layers.EthernetTypeIPv4), ip4(layers.IPProtocolTCP),
			&layers.TCP{SrcPort: 51234, DstPort: 8080, PSH: true, ACK: true}, gopacket.Payload(make([]byte, 200)))},
		{"ethernet-udp", layers.LinkTypeEthernet, build(b, eth(layers.EthernetTypeIPv4), ip4(layers.IPProtocolUDP),
			&layers.UDP{SrcPort: 40000, DstPort: 9999}, gopacket.Payload(make([]byte, 64)))},
		{"loopback-ipv6-tcp", layers.LinkTypeNull, build(b, &layers.Loopback{Family: layers.ProtocolFamilyIPv6Linux}, ip6(layers.IPProtocolTCP),
			&layers.TCP{SrcPort: 1, DstPort: 2, ACK: true})},
	} {
		b.Run(tc.name, func(b *testing.B) {
			d, err := NewDecoder(tc.link)
			if err != nil {
				b.Fatal(err)
			}
			ci := gopacket.CaptureInfo{Length: len(tc.data), CaptureLength: len(tc.data)}
			var p Packet
			b.ReportAllocs()
			for b.Loop() {
				d.Decode(tc.data, ci, &p)
			}
			if p.Malformed != "" {
				b.Fatal(p.Malformed)
			}
		})
	}
}
