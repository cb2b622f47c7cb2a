package serve

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// The echo server shows a request exactly as it arrived, but net/http
// parses requests and forgets their spelling (header case and spacing,
// chunk sizes and extensions). So its listener keeps what each connection
// sends, and the handler cuts this request's bytes off the front.

// recordingListener wraps ln so that what is read from each accepted
// connection is also kept, at most limit bytes of it at a time; bytes
// beyond that are counted, not kept, and the request they belong to is
// marked truncated. Reading goes on normally either way.
func recordingListener(ln net.Listener, limit int) net.Listener {
	return &rawListener{Listener: ln, limit: limit}
}

type rawListener struct {
	net.Listener
	limit int
}

func (l *rawListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &rawConn{Conn: c, rec: &rawRecorder{limit: l.limit}}, nil
}

// rawConn is an accepted connection that keeps what it reads.
type rawConn struct {
	net.Conn
	rec *rawRecorder
}

func (c *rawConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.rec.record(p[:n])
	}
	return n, err
}

// CloseWrite keeps net/http's graceful close (half-close, then wait), so
// a client refused mid-body still reads its 413 instead of a reset.
func (c *rawConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

type rawKey struct{}

// rawConnContext is the http.Server's ConnContext: it lets the requests
// of c find the bytes c recorded.
func rawConnContext(ctx context.Context, c net.Conn) context.Context {
	if rc, ok := c.(*rawConn); ok {
		return context.WithValue(ctx, rawKey{}, rc.rec)
	}
	return ctx
}

// rawRequest returns the bytes of r as they arrived (request line,
// headers, body with its framing) and moves the connection on to the
// next request. Call it once per request, after reading the body to EOF.
// truncated reports bytes that were not kept, or bytes that did not add
// up; raw is then the best part known.
func rawRequest(r *http.Request) (raw []byte, truncated bool) {
	rec, _ := r.Context().Value(rawKey{}).(*rawRecorder)
	if rec == nil || r.ProtoMajor != 1 {
		return nil, true
	}
	// net/http has settled the framing (chunked wins over Content-Length,
	// HTTP/1.0 ignores Transfer-Encoding); follow it rather than guess.
	f := rawFraming{length: max(r.ContentLength, 0)}
	if slices.Contains(r.TransferEncoding, "chunked") {
		f = rawFraming{chunked: true}
	}
	return rec.take(r.Method+" "+r.RequestURI+" "+r.Proto, f)
}

// rawFraming says where a request's body ends.
type rawFraming struct {
	chunked bool
	length  int64 // the Content-Length, when not chunked
}

// rawShrinkAbove is the capacity beyond which a buffer is given back when
// mostly emptied: one large request must not pin memory for as long as
// the connection is kept alive.
const rawShrinkAbove = 64 << 10

// rawRecorder keeps the bytes one connection sent from the start of the
// request not yet taken (the cursor) on. net/http reads ahead, and reads
// in the background while a handler runs, hence the mutex.
type rawRecorder struct {
	limit  int
	mu     sync.Mutex // guards buf, lost and adrift
	buf    []byte     // bytes from the cursor on, at most limit
	lost   int64      // bytes read after buf but not kept
	adrift bool       // where the next request starts is unknown
}

func (rec *rawRecorder) record(p []byte) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if rec.adrift {
		return
	}
	// After one lost byte the next ones would not follow buf: count them
	// until the cursor has passed them all.
	keep := 0
	if rec.lost == 0 {
		keep = min(len(p), max(rec.limit-len(rec.buf), 0))
	}
	if keep > cap(rec.buf)-len(rec.buf) {
		grown := make([]byte, len(rec.buf), min(max(2*cap(rec.buf), len(rec.buf)+keep, 4096), rec.limit))
		copy(grown, rec.buf)
		rec.buf = grown
	}
	rec.buf = append(rec.buf, p[:keep]...)
	rec.lost += int64(len(p) - keep)
}

// take cuts the request whose request line is line, framed as f, off the
// front of the buffer.
func (rec *rawRecorder) take(line string, f rawFraming) ([]byte, bool) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if rec.adrift || !rec.skipTo(line) {
		rec.drift()
		return nil, true
	}
	n, ok := rawRequestLen(rec.buf, f)
	have := int64(len(rec.buf))
	if ok && n <= have {
		raw := bytes.Clone(rec.buf[:n])
		rec.consume(int(n))
		return raw, false
	}
	raw := bytes.Clone(rec.buf)
	if ok && n-have <= rec.lost {
		// Too long to keep, but its end is known: pass over the rest.
		rec.lost -= n - have
		rec.consume(len(rec.buf))
		if rec.lost > 0 {
			rec.drift() // the next request began among the lost bytes
		}
		return raw, true
	}
	rec.drift()
	return raw, true
}

// skipTo passes over requests that never reached rawRequest (net/http
// answers "OPTIONS *" itself; the server refuses a wrong Host before the
// echo handler), so the cursor rests on the request whose line is line.
// It reports false when it cannot find it.
func (rec *rawRecorder) skipTo(line string) bool {
	for {
		got, whole := rawFirstLine(rec.buf)
		if !whole {
			return strings.HasPrefix(line, got)
		}
		if got == line {
			return true
		}
		n, ok := rawRequestLen(rec.buf, rawFramingOf(rec.buf))
		if !ok || n > int64(len(rec.buf)) {
			return false
		}
		rec.consume(int(n))
	}
}

// consume moves the cursor n bytes on, compacting the buffer.
func (rec *rawRecorder) consume(n int) {
	rest := rec.buf[n:]
	if cap(rec.buf) > rawShrinkAbove && len(rest) < cap(rec.buf)/4 {
		rec.buf = bytes.Clone(rest)
		return
	}
	rec.buf = rec.buf[:copy(rec.buf, rest)]
}

// drift gives up on the connection: later requests get no raw bytes.
func (rec *rawRecorder) drift() {
	rec.adrift, rec.buf, rec.lost = true, nil, 0
}

// rawLeadingBreaks counts the empty lines net/http tolerates before a
// request (after a POST); they are shown with the request that follows.
func rawLeadingBreaks(b []byte) int { return len(b) - len(bytes.TrimLeft(b, "\r\n")) }

// rawFirstLine is the request line at the start of b, without its line
// break, and whether b holds all of it.
func rawFirstLine(b []byte) (string, bool) {
	b = b[rawLeadingBreaks(b):]
	line, _, whole := bytes.Cut(b, []byte("\n"))
	if whole {
		line = bytes.TrimSuffix(line, []byte("\r"))
	}
	return string(line), whole
}

// rawMaxLength (a petabyte) is more than any body read to its end; a
// larger Content-Length does not add up, and adding it could overflow.
const rawMaxLength = 1 << 50

// rawRequestLen is the length on the wire of the request at the start of
// b, framed as f. It may exceed len(b) when only the start of a long body
// was kept; ok is false when b does not hold enough to tell.
func rawRequestLen(b []byte, f rawFraming) (n int64, ok bool) {
	start := rawLeadingBreaks(b)
	nl := bytes.IndexByte(b[start:], '\n')
	if nl < 0 || f.length > rawMaxLength {
		return 0, false
	}
	end, ok := rawHeaderEnd(b, start+nl+1)
	if !ok || !f.chunked {
		return int64(end) + f.length, ok
	}
	end, ok = rawChunkedEnd(b, end)
	return int64(end), ok
}

// rawHeaderEnd finds the empty line that ends the header (or trailer)
// lines starting at p, as net/textproto does: "\r\n" or a bare "\n".
func rawHeaderEnd(b []byte, p int) (int, bool) {
	for {
		rest := b[p:]
		if bytes.HasPrefix(rest, []byte("\r\n")) {
			return p + 2, true
		}
		if bytes.HasPrefix(rest, []byte("\n")) {
			return p + 1, true
		}
		nl := bytes.IndexByte(rest, '\n')
		if nl < 0 {
			return 0, false
		}
		p += nl + 1
	}
}

// rawChunkedEnd walks a chunked body starting at p, with net/http's
// rules: size lines end in CRLF, extensions follow ';', data ends in
// CRLF, and the last chunk is followed by trailer lines.
func rawChunkedEnd(b []byte, p int) (int, bool) {
	for {
		nl := bytes.IndexByte(b[p:], '\n')
		if nl < 0 {
			return 0, false
		}
		size, ok := rawChunkSize(b[p : p+nl])
		if !ok {
			return 0, false
		}
		p += nl + 1
		if size == 0 {
			return rawHeaderEnd(b, p)
		}
		if size > uint64(len(b)-p) || !bytes.HasPrefix(b[p+int(size):], []byte("\r\n")) {
			return 0, false
		}
		p += int(size) + 2
	}
}

// rawChunkSize parses a chunk-size line without its "\n".
func rawChunkSize(line []byte) (uint64, bool) {
	line, ok := bytes.CutSuffix(line, []byte("\r"))
	if !ok {
		return 0, false
	}
	line, _, _ = bytes.Cut(line, []byte(";"))
	line = bytes.TrimRight(line, " \t")
	if len(line) == 0 || len(line) > 16 {
		return 0, false
	}
	n, err := strconv.ParseUint(string(line), 16, 64)
	return n, err == nil
}

// rawFramingOf reads the framing of a request rawRequest never saw from
// its own header lines, with net/http's rules: chunked wins, and
// HTTP/1.0 ignores Transfer-Encoding.
func rawFramingOf(b []byte) rawFraming {
	var f rawFraming
	reqLine, _ := rawFirstLine(b)
	_, lines, _ := bytes.Cut(b[rawLeadingBreaks(b):], []byte("\n"))
	for {
		line, rest, whole := bytes.Cut(lines, []byte("\n"))
		line = bytes.TrimSuffix(line, []byte("\r"))
		if !whole || len(line) == 0 {
			return f
		}
		name, value, _ := bytes.Cut(line, []byte(":"))
		value = bytes.TrimSpace(value)
		switch strings.ToLower(string(name)) {
		case "content-length":
			if n, err := strconv.ParseInt(string(value), 10, 64); err == nil && n >= 0 {
				f.length = n
			}
		case "transfer-encoding":
			if !strings.HasSuffix(reqLine, " HTTP/1.0") && bytes.EqualFold(value, []byte("chunked")) {
				f.chunked = true
			}
		}
		lines = rest
	}
}
