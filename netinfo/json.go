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
	owners := map[int32][]byte{} // a process's fields, encoded once for all its sockets
	dst = slices.Grow(dst, jsonSize(sockets, owners))
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

// jsonSize estimates the encoded size of sockets, encoding each owner
// into owners on the way, so the output grows once instead of copying
// itself over and over.
func jsonSize(sockets []Socket, owners map[int32][]byte) int {
	n := 4
	var scratch []byte
	for i := range sockets {
		s := &sockets[i]
		n += 400
		for j := range s.Holders {
			o := &s.Holders[j]
			if o.PID <= 0 {
				continue
			}
			enc, ok := owners[o.PID]
			if !ok {
				scratch = appendOwner(scratch[:0], o)
				enc = slices.Clone(scratch)
				owners[o.PID] = enc
			}
			n += len(enc) + 2
			if j == 0 {
				n += len(enc)
			}
		}
	}
	return n
}

func appendSocket(b []byte, s *Socket, owners map[int32][]byte) []byte {
	b = appendStr(append(b, `{"proto":`...), string(s.Proto))
	b = appendStr(append(b, `,"family":`...), string(s.Family))
	b = appendAddr(append(b, `,"local_ip":`...), s.LocalIP)
	b = strconv.AppendUint(append(b, `,"local_port":`...), uint64(s.LocalPort), 10)
	b = appendAddr(append(b, `,"remote_ip":`...), s.RemoteIP)
	b = strconv.AppendUint(append(b, `,"remote_port":`...), uint64(s.RemotePort), 10)
	b = appendStr(append(b, `,"state":`...), s.State)
	b = appendCachedOwner(b, &s.Owner, owners)
	b = appendOwnerList(append(b, `,"holders":`...), s.Holders, owners)
	if s.NoProcess != "" {
		b = appendStr(append(b, `,"no_process":`...), string(s.NoProcess))
	}
	if len(s.PossibleHolders) > 0 {
		b = appendOwnerList(append(b, `,"possible_holders":`...), s.PossibleHolders, owners)
	}
	b = appendStr(append(b, `,"exposure":`...), string(s.Exposure))
	if s.Interface != "" {
		b = appendStr(append(b, `,"interface":`...), s.Interface)
	}
	if s.Device != "" {
		b = appendStr(append(b, `,"device":`...), s.Device)
	}
	b = appendStr(append(b, `,"port_class":`...), string(s.PortClass))
	b = strconv.AppendBool(append(b, `,"ephemeral":`...), s.Ephemeral)
	b = appendStr(append(b, `,"service":`...), s.Service)
	if s.AcceptsIPv4 != nil {
		b = strconv.AppendBool(append(b, `,"accepts_ipv4":`...), *s.AcceptsIPv4)
	}
	return append(b, '}')
}

// appendCachedOwner appends o's fields, each process's encoded only once.
func appendCachedOwner(b []byte, o *Owner, owners map[int32][]byte) []byte {
	if o.PID <= 0 {
		return appendOwner(b, o)
	}
	if enc, ok := owners[o.PID]; ok {
		return append(b, enc...)
	}
	start := len(b)
	b = appendOwner(b, o)
	owners[o.PID] = b[start:len(b):len(b)]
	return b
}

// appendOwnerList appends owners as a JSON array of objects.
func appendOwnerList(b []byte, list []Owner, owners map[int32][]byte) []byte {
	b = append(b, '[')
	for i := range list {
		if i > 0 {
			b = append(b, ',')
		}
		start := len(b)
		b = appendCachedOwner(b, &list[i], owners)
		b[start] = '{' // the fields start with a comma
		b = append(b, '}')
	}
	return append(b, ']')
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
