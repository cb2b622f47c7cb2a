package netinfo

import (
	"net/netip"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
)

// AppendJSON appends sockets as one JSON array, an object per line, with
// the same keys and values encoding/json gives the Socket struct. It exists
// because reflection made encoding/json the slowest part of listing 18,000
// sockets; a test checks the two agree.
func AppendJSON(dst []byte, sockets []Socket) []byte {
	dst = slices.Grow(dst, 480*len(sockets)+4)
	owners := map[int32][]byte{} // a process's fields, encoded once for all its sockets
	dst = append(dst, '[')
	for i := range sockets {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, '\n')
		dst = appendSocket(dst, &sockets[i], owners)
	}
	if len(sockets) > 0 {
		dst = append(dst, '\n')
	}
	return append(dst, ']', '\n')
}

func appendSocket(b []byte, s *Socket, owners map[int32][]byte) []byte {
	b = appendStr(append(b, `{"proto":`...), string(s.Proto))
	b = appendStr(append(b, `,"family":`...), string(s.Family))
	b = appendAddr(append(b, `,"local_ip":`...), s.LocalIP)
	b = strconv.AppendUint(append(b, `,"local_port":`...), uint64(s.LocalPort), 10)
	b = appendAddr(append(b, `,"remote_ip":`...), s.RemoteIP)
	b = strconv.AppendUint(append(b, `,"remote_port":`...), uint64(s.RemotePort), 10)
	b = appendStr(append(b, `,"state":`...), s.State)
	if s.PID <= 0 {
		b = appendOwner(b, &s.Owner)
	} else if enc, ok := owners[s.PID]; ok {
		b = append(b, enc...)
	} else {
		start := len(b)
		b = appendOwner(b, &s.Owner)
		owners[s.PID] = b[start:len(b):len(b)]
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

// appendOwner appends the Owner fields, from "pid" to "owner_note".
func appendOwner(b []byte, o *Owner) []byte {
	b = strconv.AppendInt(append(b, `,"pid":`...), int64(o.PID), 10)
	b = appendStr(append(b, `,"process":`...), o.Process)
	b = appendStr(append(b, `,"exe":`...), o.Exe)
	b = appendStr(append(b, `,"user":`...), o.User)
	b = appendStr(append(b, `,"cmdline":`...), o.Cmdline)
	if !o.Started.IsZero() {
		b = append(b, `,"start_time":"`...)
		b = append(o.Started.AppendFormat(b, time.RFC3339Nano), '"')
	}
	if o.Parent != 0 {
		b = strconv.AppendInt(append(b, `,"ppid":`...), int64(o.Parent), 10)
	}
	if o.Manager != "" {
		b = appendStr(append(b, `,"manager":`...), o.Manager)
	}
	b = strconv.AppendBool(append(b, `,"owner_hidden":`...), o.OwnerHidden)
	if o.OwnerNote != "" {
		b = appendStr(append(b, `,"owner_note":`...), o.OwnerNote)
	}
	return b
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

// plainJSON reports whether s needs no escaping: printable ASCII without
// quote, backslash, <, > or &.
func plainJSON(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= utf8.RuneSelf || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return false
		}
	}
	return true
}

// appendStr appends s as a JSON string, escaped as encoding/json does
// (including <, > and &, and invalid UTF-8 as U+FFFD).
func appendStr(b []byte, s string) []byte {
	b = append(b, '"')
	if plainJSON(s) {
		return append(append(b, s...), '"')
	}
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
