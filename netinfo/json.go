package netinfo

import (
	"net/netip"
	"strconv"
	"time"
	"unicode/utf8"
)

// AppendJSON appends sockets as one JSON array, an object per line, with
// the same keys and values encoding/json gives the Socket struct. It exists
// because reflection made encoding/json the slowest part of listing 18,000
// sockets; a test checks the two agree.
func AppendJSON(dst []byte, sockets []Socket) []byte {
	dst = append(dst, '[')
	for i := range sockets {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, '\n')
		dst = appendSocket(dst, &sockets[i])
	}
	if len(sockets) > 0 {
		dst = append(dst, '\n')
	}
	return append(dst, ']', '\n')
}

func appendSocket(b []byte, s *Socket) []byte {
	b = appendStr(append(b, `{"proto":`...), string(s.Proto))
	b = appendStr(append(b, `,"family":`...), string(s.Family))
	b = appendAddr(append(b, `,"local_ip":`...), s.LocalIP)
	b = strconv.AppendUint(append(b, `,"local_port":`...), uint64(s.LocalPort), 10)
	b = appendAddr(append(b, `,"remote_ip":`...), s.RemoteIP)
	b = strconv.AppendUint(append(b, `,"remote_port":`...), uint64(s.RemotePort), 10)
	b = appendStr(append(b, `,"state":`...), s.State)
	b = strconv.AppendInt(append(b, `,"pid":`...), int64(s.PID), 10)
	b = appendStr(append(b, `,"process":`...), s.Process)
	b = appendStr(append(b, `,"exe":`...), s.Exe)
	b = appendStr(append(b, `,"user":`...), s.User)
	b = appendStr(append(b, `,"cmdline":`...), s.Cmdline)
	if !s.Started.IsZero() {
		b = appendStr(append(b, `,"start_time":`...), s.Started.Format(time.RFC3339Nano))
	}
	if s.Parent != 0 {
		b = strconv.AppendInt(append(b, `,"ppid":`...), int64(s.Parent), 10)
	}
	if s.Manager != "" {
		b = appendStr(append(b, `,"manager":`...), s.Manager)
	}
	b = strconv.AppendBool(append(b, `,"owner_hidden":`...), s.OwnerHidden)
	if s.OwnerNote != "" {
		b = appendStr(append(b, `,"owner_note":`...), s.OwnerNote)
	}
	b = appendStr(append(b, `,"exposure":`...), string(s.Exposure))
	if s.Interface != "" {
		b = appendStr(append(b, `,"interface":`...), s.Interface)
	}
	b = appendStr(append(b, `,"port_class":`...), string(s.PortClass))
	b = strconv.AppendBool(append(b, `,"ephemeral":`...), s.Ephemeral)
	b = appendStr(append(b, `,"service":`...), s.Service)
	if s.AcceptsIPv4 != nil {
		b = strconv.AppendBool(append(b, `,"accepts_ipv4":`...), *s.AcceptsIPv4)
	}
	return append(b, '}')
}

func appendAddr(b []byte, a netip.Addr) []byte {
	if !a.IsValid() {
		return append(b, `""`...)
	}
	b = append(b, '"')
	b = a.AppendTo(b)
	return append(b, '"')
}

const hexDigits = "0123456789abcdef"

// appendStr appends s as a JSON string, escaped as encoding/json does
// (including <, > and &, and invalid UTF-8 as U+FFFD).
func appendStr(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c == '\b':
				b = append(b, '\\', 'b')
			case c == '\f':
				b = append(b, '\\', 'f')
			case c < 0x20 || c == '<' || c == '>' || c == '&':
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}
