package sniff

import (
	"encoding/hex"
	"fmt"
	"net"
	"reflect"
	"strings"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/loopscope/loopscope/internal/safetext"
)

// Layer is one layer of a packet as the detail tree shows it: its name,
// where its bytes are, and its fields.
type Layer struct {
	Name       string
	Start, End int // its header's bytes: data[Start:End]
	Fields     []Field
}

// Field is one field of a layer, its value in words, escaped, and the
// bytes it lies in: data[Start:End] (the whole layer where the layout is
// not known).
type Field struct {
	Name, Value string
	Label       string // the name in words ("Source port"); "" to show Name
	Start, End  int
}

// maxFieldBytes is how many bytes of a byte field are shown in hex.
const maxFieldBytes = 32

// Details decodes every layer of a packet that gopacket knows, for the
// detail tree: slower than Decode, so only for the packet selected. A
// layer that fails to decode ends the list with a "Malformed" layer that
// says why; the bytes after it are the payload.
func Details(data []byte, link layers.LinkType) []Layer {
	p := gopacket.NewPacket(data, link, gopacket.DecodeOptions{Lazy: false, NoCopy: true})
	var out []Layer
	at := 0
	for _, l := range p.Layers() {
		contents := l.LayerContents()
		start := at
		at = min(at+len(contents), len(data))
		name := l.LayerType().String()
		var fields []Field
		switch x := l.(type) {
		case *gopacket.DecodeFailure:
			// gopacket adds the layer that failed, empty, before the failure:
			// name the failure after it instead.
			name = "Malformed"
			if n := len(out); n > 0 && out[n-1].Start == out[n-1].End {
				name += " " + out[n-1].Name
				out = out[:n-1]
			}
			at = len(data) // the rest is what could not be read
			fields = []Field{{Name: "Why", Value: safetext.Line(x.Error().Error(), 300)}, {Name: "Bytes", Value: fmt.Sprint(at - start)}}
		case *gopacket.Payload:
			name = "Payload"
			fields = payloadFields(x.Payload())
			if n := len(out); n > 0 && isICMPError(&out[n-1]) {
				// An ICMP error quotes the start of the packet it answers.
				name = "Packet it answers (quoted)"
				fields = []Field{{Name: "Packet", Label: "Packet", Value: quotedSummary(x.Payload())}, fields[0]} // its bytes as text say nothing
				if len(x.Payload()) > 0 {
					fields = append(fields, Field{Name: "Hex", Value: hexPreview(x.Payload())})
				}
			}
		default:
			fields = structFields(reflect.ValueOf(l))
		}
		ly := Layer{Name: name, Start: start, End: at, Fields: fields}
		placeFields(l.LayerType(), &ly)
		tidyFields(l.LayerType(), &ly)
		out = append(out, ly)
	}
	return out
}

// payloadFields describe application bytes: their size and a preview as
// text (escaped) and hex.
func payloadFields(b []byte) []Field {
	f := []Field{{Name: "Length", Value: fmt.Sprintf("%d bytes", len(b))}}
	if len(b) > 0 {
		f = append(f, Field{Name: "Text", Value: safetext.Line(string(b[:min(len(b), 200)]), 300)},
			Field{Name: "Hex", Value: hexPreview(b)})
	}
	return f
}

func hexPreview(b []byte) string {
	if len(b) > maxFieldBytes {
		return hex.EncodeToString(b[:maxFieldBytes]) + fmt.Sprintf("… (%d bytes)", len(b))
	}
	return hex.EncodeToString(b)
}

// structFields lists a layer's exported fields, without its contents and
// payload (the hex pane shows those).
func structFields(v reflect.Value) []Field {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return nil
	}
	var out []Field
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous || f.PkgPath != "" {
			continue // BaseLayer (Contents, Payload) and unexported fields
		}
		out = append(out, Field{Name: f.Name, Value: safetext.Line(fieldValue(v.Field(i), 0), 300)})
	}
	return out
}

// fieldValue writes one field's value in words.
func fieldValue(v reflect.Value, depth int) string {
	if depth > 3 {
		return "…"
	}
	if v.CanInterface() {
		switch x := v.Interface().(type) {
		case net.IP:
			if x == nil {
				return "—"
			}
			return x.String()
		case net.HardwareAddr:
			return x.String()
		case []byte:
			return hexPreview(x)
		case fmt.Stringer:
			if v.Kind() != reflect.Pointer || !v.IsNil() {
				return x.String()
			}
		}
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return "—"
		}
		return fieldValue(v.Elem(), depth+1)
	case reflect.Slice, reflect.Array:
		n := v.Len()
		if n == 0 {
			return "none"
		}
		parts := make([]string, 0, min(n, 4))
		for j := range min(n, 4) {
			parts = append(parts, fieldValue(v.Index(j), depth+1))
		}
		s := strings.Join(parts, ", ")
		if n > 4 {
			s += fmt.Sprintf(", … (%d in all)", n)
		}
		return s
	case reflect.Struct:
		var parts []string
		t := v.Type()
		for i := range t.NumField() {
			if f := t.Field(i); f.PkgPath == "" && !f.Anonymous {
				parts = append(parts, f.Name+"="+fieldValue(v.Field(i), depth+1))
			}
		}
		return "{" + strings.Join(parts, " ") + "}"
	}
	if v.CanInterface() {
		return fmt.Sprint(v.Interface())
	}
	return "?"
}

// HexLine is one line of a hex dump: 16 bytes from Offset.
type HexLine struct {
	Offset int
	Hex    string // "45 00 00 3c …", two characters and a space a byte, an extra space after the 8th
	ASCII  string // printable bytes as themselves, others as '.'
}

// HexLines is data as a hex dump, 16 bytes a line.
func HexLines(data []byte) []HexLine {
	out := make([]HexLine, 0, (len(data)+15)/16)
	for off := 0; off < len(data); off += 16 {
		row := data[off:min(off+16, len(data))]
		var h, a strings.Builder
		for i, c := range row {
			if i == 8 {
				h.WriteByte(' ')
			}
			fmt.Fprintf(&h, "%02x ", c)
			if c >= 0x20 && c < 0x7f {
				a.WriteByte(c)
			} else {
				a.WriteByte('.')
			}
		}
		out = append(out, HexLine{Offset: off, Hex: strings.TrimRight(h.String(), " "), ASCII: a.String()})
	}
	return out
}

// HexColumn is where byte i of a line starts in HexLine.Hex.
func HexColumn(i int) int {
	c := i * 3
	if i >= 8 {
		c++
	}
	return c
}

// isICMPError reports whether l is an ICMP message about another packet
// (unreachable, time exceeded, a parameter problem, a redirect, too big),
// which quotes that packet's start.
func isICMPError(l *Layer) bool {
	return (l.Name == "ICMPv4" || l.Name == "ICMPv6") &&
		icmpTypeIs(l, "unreachable", "exceeded", "parameter problem", "redirect", "too big", "source quench")
}

// quotedSummary says what the quoted start of a packet is: its protocol,
// and its ends with their ports.
func quotedSummary(b []byte) string {
	link := layers.LinkTypeIPv4
	if len(b) > 0 && b[0]>>4 == 6 {
		link = layers.LinkTypeIPv6
	}
	d, err := NewDecoder(link)
	if err != nil {
		return "—"
	}
	var p Packet
	d.Decode(b, gopacket.CaptureInfo{CaptureLength: len(b), Length: len(b)}, &p)
	if !p.Src.IsValid() {
		return "not an IP packet Loopscope can read"
	}
	what := p.Transport()
	if what == "" {
		what = p.Proto.String()
	}
	return safetext.Line(fmt.Sprintf("%s %s → %s", what, p.Source(), p.Destination()), 200)
}
