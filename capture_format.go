package main

import (
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/loopscope/loopscope/sniff"
)

// packetLine is one packet as `loopscope capture` prints it:
// "12 05:12:01.123456 127.0.0.1:51234 → 127.0.0.1:8080 TCP 74 …info".
func packetLine(p *sniff.Packet, data []byte) string {
	proto := p.Proto.String()
	return fmt.Sprintf("%d %s %s → %s %s %d %s\n", p.No, p.Time.Local().Format("15:04:05.000000"),
		orDash(p.Source()), orDash(p.Destination()), proto, p.Length, sniff.Info(p, data))
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// packetJSON is one packet as a line of JSON, with the keys the README
// lists; written by hand, without reflection, as capture may print
// tens of thousands a second.
func packetJSON(p *sniff.Packet, data []byte) []byte {
	b := make([]byte, 0, 256)
	b = append(b, `{"no":`...)
	b = strconv.AppendUint(b, p.No, 10)
	b = append(b, `,"time":`...)
	b = strconv.AppendQuote(b, p.Time.UTC().Format(time.RFC3339Nano))
	b = append(b, `,"src":`...)
	b = strconv.AppendQuote(b, addrText(p, true))
	b = append(b, `,"dst":`...)
	b = strconv.AppendQuote(b, addrText(p, false))
	b = append(b, `,"proto":`...)
	b = strconv.AppendQuote(b, p.Proto.String())
	b = append(b, `,"length":`...)
	b = strconv.AppendInt(b, int64(p.Length), 10)
	b = append(b, `,"info":`...)
	b = appendJSONString(b, sniff.Info(p, data))
	if p.HasPorts() {
		b = append(b, `,"sport":`...)
		b = strconv.AppendUint(b, uint64(p.SrcPort), 10)
		b = append(b, `,"dport":`...)
		b = strconv.AppendUint(b, uint64(p.DstPort), 10)
		if p.Transport() == "TCP" {
			b = append(b, `,"flags":`...)
			b = strconv.AppendQuote(b, p.Flags.String())
		}
	}
	if p.Malformed != "" {
		b = append(b, `,"malformed":true`...)
	}
	return append(b, "}\n"...)
}

func addrText(p *sniff.Packet, src bool) string {
	a := p.Dst
	if src {
		a = p.Src
	}
	if !a.IsValid() {
		return ""
	}
	return a.String()
}

// appendJSONString quotes s as JSON (Info is already escaped text, but
// JSON has its own rules for quotes and backslashes).
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b = append(b, '\\', byte(r))
		case r < 0x20:
			b = fmt.Appendf(b, `\u%04x`, r)
		default:
			b = utf8.AppendRune(b, r)
		}
	}
	return append(b, '"')
}
