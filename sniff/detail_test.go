package sniff

import (
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// The detail tree names each layer with its fields and the bytes it
// spans, the spans following each other to the payload.
func TestDetails(t *testing.T) {
	data := build(t, eth(layers.EthernetTypeIPv4), ip4(layers.IPProtocolTCP),
		&layers.TCP{SrcPort: 51234, DstPort: 8080, SYN: true, Seq: 7, Window: 1000}, gopacket.Payload("GET / HTTP/1.1\r\n\x1b[2J"))
	ls := Details(data, layers.LinkTypeEthernet)
	var names []string
	for _, l := range ls {
		names = append(names, l.Name)
	}
	if strings.Join(names, " ") != "Ethernet IPv4 TCP Payload" {
		t.Fatalf("layers %v", names)
	}
	if ls[0].Start != 0 || ls[0].End != 14 || ls[1].Start != 14 || ls[1].End != 34 || ls[2].End != 54 || ls[3].End != len(data) {
		t.Errorf("spans %+v", ls)
	}
	find := func(l Layer, name string) string {
		for _, f := range l.Fields {
			if f.Name == name {
				return f.Value
			}
		}
		return "(none)"
	}
	if find(ls[1], "SrcIP") != "127.0.0.1" || find(ls[2], "DstPort") != "8080(http-alt)" || find(ls[2], "SYN") != "true" || find(ls[0], "SrcMAC") != "02:00:00:00:00:0a" {
		t.Errorf("fields: ip %v, tcp %v", ls[1].Fields, ls[2].Fields)
	}
	if text := find(ls[3], "Text"); text != `GET / HTTP/1.1\r\n\x1b[2J` {
		t.Errorf("payload text %q", text)
	}
	cut := Details(data[:40], layers.LinkTypeEthernet)
	if last := cut[len(cut)-1]; len(cut) != 3 || last.Name != "Malformed TCP" || !strings.Contains(find(last, "Why"), "TCP header") || last.Start != 34 || last.End != 40 {
		t.Errorf("a cut packet: %+v", cut)
	}
}

// Each field of the common headers knows its own bytes, so the hex pane
// can mark just them: the bytes there are the field's value.
func TestFieldSpans(t *testing.T) {
	data := build(t, eth(layers.EthernetTypeIPv4), ip4(layers.IPProtocolTCP),
		&layers.TCP{SrcPort: 51234, DstPort: 8080, SYN: true, Seq: 7, Window: 1000}, gopacket.Payload("hi"))
	ls := Details(data, layers.LinkTypeEthernet)
	field := func(l Layer, name string) []byte {
		for _, f := range l.Fields {
			if f.Name == name {
				return data[f.Start:f.End]
			}
		}
		t.Fatalf("%s has no field %s", l.Name, name)
		return nil
	}
	for _, c := range []struct {
		layer int
		name  string
		want  []byte
	}{
		{0, "SrcMAC", []byte{2, 0, 0, 0, 0, 0x0a}},
		{0, "EthernetType", []byte{0x08, 0x00}},
		{1, "TTL", []byte{64}},
		{1, "SrcIP", []byte{127, 0, 0, 1}},
		{2, "DstPort", []byte{0x1f, 0x90}},
		{2, "Seq", []byte{0, 0, 0, 7}},
		{2, "SYN", []byte{0x02}},
		{2, "Window", []byte{0x03, 0xe8}},
		{3, "Text", []byte("hi")}, // a field without a layout marks its layer
	} {
		if got := field(ls[c.layer], c.name); string(got) != string(c.want) {
			t.Errorf("%s %s lies in % x, want % x", ls[c.layer].Name, c.name, got, c.want)
		}
	}
	// A header cut short keeps its fields to the bytes that are there.
	for _, l := range Details(data[:40], layers.LinkTypeEthernet) {
		for _, f := range l.Fields {
			if f.Start < l.Start || f.End > l.End || f.End > 40 {
				t.Errorf("%s %s spans %d–%d outside its layer %d–%d", l.Name, f.Name, f.Start, f.End, l.Start, l.End)
			}
		}
	}
}

func TestHexLines(t *testing.T) {
	lines := HexLines([]byte("0123456789abcdefXY\x00"))
	if len(lines) != 2 || lines[0].Hex != "30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66" || lines[1].ASCII != "XY." || lines[1].Offset != 16 {
		t.Errorf("%+v", lines)
	}
	if lines[0].Hex[HexColumn(8):HexColumn(8)+2] != "38" || lines[0].Hex[HexColumn(15):HexColumn(15)+2] != "66" {
		t.Error("HexColumn does not point at the bytes")
	}
}

// FuzzDetails: no bytes make the detail tree panic, and every value is
// one safe line.
func FuzzDetails(f *testing.F) {
	f.Add(build(f, eth(layers.EthernetTypeIPv4), ip4(layers.IPProtocolUDP), &layers.UDP{SrcPort: 53, DstPort: 9}, gopacket.Payload("\x00\x01\x81\x80")))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, l := range Details(data, layers.LinkTypeEthernet) {
			if l.Start > l.End || l.End > len(data) {
				t.Fatalf("span %d..%d of %d bytes", l.Start, l.End, len(data))
			}
			for _, fl := range l.Fields {
				if strings.ContainsAny(fl.Value, "\n\r\x1b") {
					t.Fatalf("%s.%s = %q", l.Name, fl.Name, fl.Value)
				}
				if fl.Start < l.Start || fl.Start > fl.End || fl.End > l.End {
					t.Fatalf("%s.%s spans %d..%d in a layer of %d..%d", l.Name, fl.Name, fl.Start, fl.End, l.Start, l.End)
				}
			}
		}
	})
}

// An ICMP error reads in words, shows only the fields its type has, and
// names the packet it answers from the bytes it quotes.
func TestICMPErrorDetails(t *testing.T) {
	quoted := build(t, ip4(layers.IPProtocolUDP), &layers.UDP{SrcPort: 38297, DstPort: 5514}, gopacket.Payload("hi"))
	icmp := &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(layers.ICMPv4TypeDestinationUnreachable, layers.ICMPv4CodePort)}
	data := build(t, eth(layers.EthernetTypeIPv4), ip4(layers.IPProtocolICMPv4), icmp, gopacket.Payload(quoted))
	ls := Details(data, layers.LinkTypeEthernet)
	if len(ls) != 4 {
		t.Fatalf("layers %+v", ls)
	}
	var names, values []string
	for _, f := range ls[2].Fields {
		names, values = append(names, f.Name), append(values, f.Value)
	}
	if strings.Join(names, " ") != "TypeCode Checksum" || values[0] != "Destination unreachable (port)" {
		t.Errorf("ICMP fields %v = %v", names, values)
	}
	if ls[3].Name != "Packet it answers (quoted)" || ls[3].Fields[0].Value != "UDP 127.0.0.1:38297 → 127.0.0.2:5514" || len(ls[3].Fields) != 3 {
		t.Errorf("the quoted packet: %q %+v", ls[3].Name, ls[3].Fields)
	}
	echo := build(t, eth(layers.EthernetTypeIPv4), ip4(layers.IPProtocolICMPv4),
		&layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(layers.ICMPv4TypeEchoRequest, 0), Id: 7, Seq: 3}, gopacket.Payload("ping"))
	ls = Details(echo, layers.LinkTypeEthernet)
	names = nil
	for _, f := range ls[2].Fields {
		names = append(names, f.Name+"="+f.Value)
	}
	if got := strings.Join(names, " "); !strings.HasPrefix(got, "TypeCode=Echo request ") || !strings.HasSuffix(got, " Id=7 Seq=3") {
		t.Errorf("echo fields %v", names)
	}
	if ls[3].Name != "Payload" {
		t.Errorf("an echo's data is its payload, not a quoted packet: %q", ls[3].Name)
	}
	for _, f := range ls[1].Fields {
		if f.Name == "Flags" && f.Value == "" {
			t.Error("IPv4 flags with none set show nothing")
		}
	}
}
