package sniff

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// span is where a field lies in its layer's header: bytes [from, to).
// A field of a few bits is given the byte or bytes that hold it; to 0
// means "to the end of the header" (options).
type span struct{ from, to int }

// fieldSpans are the header layouts of the layers people read most, by
// gopacket's field names, so a field chosen in the tree marks its own
// bytes in the hex dump. A layer or field not listed marks the layer.
var fieldSpans = map[gopacket.LayerType]map[string]span{
	layers.LayerTypeEthernet: {"DstMAC": {0, 6}, "SrcMAC": {6, 12}, "EthernetType": {12, 14}, "Length": {12, 14}},
	layers.LayerTypeLoopback: {"Family": {0, 4}},
	layers.LayerTypeLinuxSLL: {"PacketType": {0, 2}, "AddrType": {2, 4}, "AddrLen": {4, 6}, "Addr": {6, 14}, "EthernetType": {14, 16}},
	layers.LayerTypeIPv4: {"Version": {0, 1}, "IHL": {0, 1}, "TOS": {1, 2}, "Length": {2, 4}, "Id": {4, 6},
		"Flags": {6, 7}, "FragOffset": {6, 8}, "TTL": {8, 9}, "Protocol": {9, 10}, "Checksum": {10, 12},
		"SrcIP": {12, 16}, "DstIP": {16, 20}, "Options": {20, 0}, "Padding": {20, 0}},
	layers.LayerTypeIPv6: {"Version": {0, 1}, "TrafficClass": {0, 2}, "FlowLabel": {1, 4}, "Length": {4, 6},
		"NextHeader": {6, 7}, "HopLimit": {7, 8}, "SrcIP": {8, 24}, "DstIP": {24, 40}},
	layers.LayerTypeTCP: {"SrcPort": {0, 2}, "DstPort": {2, 4}, "Seq": {4, 8}, "Ack": {8, 12},
		"DataOffset": {12, 13}, "NS": {12, 13}, "CWR": {13, 14}, "ECE": {13, 14}, "URG": {13, 14}, "ACK": {13, 14},
		"PSH": {13, 14}, "RST": {13, 14}, "SYN": {13, 14}, "FIN": {13, 14}, "Window": {14, 16},
		"Checksum": {16, 18}, "Urgent": {18, 20}, "Options": {20, 0}, "Padding": {20, 0}},
	layers.LayerTypeUDP:    {"SrcPort": {0, 2}, "DstPort": {2, 4}, "Length": {4, 6}, "Checksum": {6, 8}},
	layers.LayerTypeICMPv4: {"TypeCode": {0, 2}, "Checksum": {2, 4}, "Id": {4, 6}, "Seq": {6, 8}},
	layers.LayerTypeICMPv6: {"TypeCode": {0, 2}, "Checksum": {2, 4}},
	layers.LayerTypeARP: {"AddrType": {0, 2}, "Protocol": {2, 4}, "HwAddressSize": {4, 5}, "ProtAddressSize": {5, 6},
		"Operation": {6, 8}, "SourceHwAddress": {8, 14}, "SourceProtAddress": {14, 18},
		"DstHwAddress": {18, 24}, "DstProtAddress": {24, 28}},
}

// placeFields gives each field of l the bytes it lies in, within the
// layer's own bytes; fields of an unknown layout keep the whole layer.
func placeFields(t gopacket.LayerType, l *Layer) {
	spans := fieldSpans[t]
	for i := range l.Fields {
		f := &l.Fields[i]
		f.Start, f.End = l.Start, l.End
		s, ok := spans[f.Name]
		if !ok {
			continue
		}
		from, to := l.Start+s.from, l.Start+s.to
		if s.to == 0 {
			to = l.End
		}
		if from < to && to <= l.End { // a truncated header keeps the whole layer
			f.Start, f.End = from, to
		}
	}
}

// fieldWords are the names a reader knows the common fields by, with
// gopacket's name kept after them for those who search for it.
var fieldWords = map[string]string{
	"SrcMAC": "Source MAC", "DstMAC": "Destination MAC", "EthernetType": "Type",
	"IHL": "Header length (IHL, in 4-byte words)", "TOS": "Type of service (TOS)", "Length": "Length",
	"Id": "Identification", "FragOffset": "Fragment offset", "TTL": "Time to live (TTL)",
	"Protocol": "Protocol", "SrcIP": "Source", "DstIP": "Destination",
	"TrafficClass": "Traffic class", "FlowLabel": "Flow label", "NextHeader": "Next header", "HopLimit": "Hop limit",
	"SrcPort": "Source port", "DstPort": "Destination port", "Seq": "Sequence number (Seq)",
	"Ack": "Acknowledgment number (Ack)", "DataOffset": "Header length (data offset, in 4-byte words)",
	"Window": "Window (bytes it may receive)", "Urgent": "Urgent pointer", "TypeCode": "Type and code",
	"Operation": "Operation", "SourceHwAddress": "Sender MAC", "SourceProtAddress": "Sender address",
	"DstHwAddress": "Target MAC", "DstProtAddress": "Target address", "Family": "Address family",
}

// tidyFields names the fields of a layer with a known layout in words,
// writes checksums in hex as tools do, and leaves out what is gopacket's
// bookkeeping rather than the header's (a field with no bytes there, such
// as TCP's Multipath) and options that are absent.
func tidyFields(t gopacket.LayerType, l *Layer) {
	spans, known := fieldSpans[t]
	if !known {
		return
	}
	kept := l.Fields[:0]
	for _, f := range l.Fields {
		if _, ok := spans[f.Name]; !ok {
			continue
		}
		if (f.Name == "Options" || f.Name == "Padding") && (f.Value == "none" || f.Value == "") {
			continue
		}
		if f.Name == "Checksum" {
			if n, err := strconv.ParseUint(f.Value, 10, 16); err == nil {
				f.Value = fmt.Sprintf("0x%04x", n)
			}
		}
		isICMP := t == layers.LayerTypeICMPv4 || t == layers.LayerTypeICMPv6
		switch {
		case isICMP && f.Name == "TypeCode":
			f.Value = camelWords(f.Value) // DestinationUnreachable(Port): "Destination unreachable (port)"
		case t == layers.LayerTypeICMPv4 && (f.Name == "Id" || f.Name == "Seq") && !icmpEchoLike(l):
			continue // only echoes and their kin have them; an error's bytes there are unused
		case t == layers.LayerTypeIPv4 && f.Name == "Flags" && f.Value == "":
			f.Value = "none (it may be fragmented)"
		}
		f.Label = fieldWords[f.Name]
		kept = append(kept, f)
	}
	l.Fields = kept
}

// icmpEchoLike reports whether an ICMPv4 layer is of a type that carries
// an identifier and a sequence number: echo, timestamp, information and
// address mask requests and replies.
func icmpEchoLike(l *Layer) bool {
	return icmpTypeIs(l, "echo", "timestamp", "info", "address mask")
}

// icmpTypeIs reports whether an ICMP layer's type and code, in words,
// name one of kinds (lower case).
func icmpTypeIs(l *Layer, kinds ...string) bool {
	for _, f := range l.Fields {
		if f.Name == "TypeCode" {
			v := strings.ToLower(f.Value)
			return slices.ContainsFunc(kinds, func(k string) bool { return strings.Contains(v, k) })
		}
	}
	return false
}

// camelWords writes gopacket's names in words: "DestinationUnreachable(Port)"
// as "Destination unreachable (port)", "EchoRequest" as "Echo request".
func camelWords(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == '(':
			b.WriteString(" (")
			continue
		case i > 0 && unicode.IsUpper(r) && s[i-1] != '(':
			b.WriteByte(' ')
		}
		if i > 0 {
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}
