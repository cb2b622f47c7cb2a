package serve

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// rawStep either feeds bytes to a recorder, as the connection would, or
// takes a request off it, as the echo handler would.
type rawStep struct {
	feed string

	line  string // the request line net/http parsed
	f     rawFraming
	want  string
	trunc bool
}

func rawFeed(s string) rawStep { return rawStep{feed: s} }

func rawTake(line string, f rawFraming, want string, trunc bool) rawStep {
	return rawStep{line: line, f: f, want: want, trunc: trunc}
}

var (
	rawSized   = func(n int64) rawFraming { return rawFraming{length: n} }
	rawChunked = rawFraming{chunked: true}
)

const (
	rawGet    = "GET /b HTTP/1.1\r\nHost: h\r\n\r\n"
	rawGetRL  = "GET /b HTTP/1.1"
	rawPost   = "POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"
	rawPostRL = "POST /a HTTP/1.1"
)

var rawLongChunked = "POST /a HTTP/1.1\r\n\r\n20\r\n" + strings.Repeat("c", 32) + "\r\n0\r\n\r\n"

var rawTests = []struct {
	name  string
	limit int // 0 means plenty
	steps []rawStep
}{
	{"content-length then the next request", 0, []rawStep{
		rawFeed(rawPost + rawGet),
		rawTake(rawPostRL, rawSized(3), rawPost, false),
		rawTake(rawGetRL, rawSized(0), rawGet, false),
	}},
	{"bare LF lines", 0, []rawStep{
		rawFeed("POST /a HTTP/1.1\nHost: h\nContent-Length: 2\n\nhi" + rawGet),
		rawTake(rawPostRL, rawSized(2), "POST /a HTTP/1.1\nHost: h\nContent-Length: 2\n\nhi", false),
		rawTake(rawGetRL, rawSized(0), rawGet, false),
	}},
	{"empty lines after a POST go with the next request", 0, []rawStep{
		rawFeed(rawPost + "\r\n" + rawGet),
		rawTake(rawPostRL, rawSized(3), rawPost, false),
		rawTake(rawGetRL, rawSized(0), "\r\n"+rawGet, false),
	}},
	{"chunked: extensions, upper-case hex, trailers", 0, []rawStep{
		rawFeed("POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5;a=b;c=\"d;e\"\r\nhello\r\nA \r\n0123456789\r\n" +
			"0;last\r\nX-T: 1\r\nY-T: 2\r\n\r\n" + rawGet),
		rawTake(rawPostRL, rawChunked, "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5;a=b;c=\"d;e\"\r\nhello\r\nA \r\n0123456789\r\n"+
			"0;last\r\nX-T: 1\r\nY-T: 2\r\n\r\n", false),
		rawTake(rawGetRL, rawSized(0), rawGet, false),
	}},
	{"chunk data that looks like the end", 0, []rawStep{
		rawFeed("POST /a HTTP/1.1\r\n\r\nc\r\n0\r\n\r\nGET / X\r\n0\r\n\r\n" + rawGet),
		rawTake(rawPostRL, rawChunked, "POST /a HTTP/1.1\r\n\r\nc\r\n0\r\n\r\nGET / X\r\n0\r\n\r\n", false),
		rawTake(rawGetRL, rawSized(0), rawGet, false),
	}},
	{"arriving a byte at a time is the same", 0, rawBytewise(rawPost+rawGet,
		rawTake(rawPostRL, rawSized(3), rawPost, false),
		rawTake(rawGetRL, rawSized(0), rawGet, false),
	)},
	{"requests net/http answered itself are skipped", 0, []rawStep{
		rawFeed("OPTIONS * HTTP/1.1\r\nHost: h\r\ncontent-length:  3\r\n\r\nabc" +
			"PUT /421 HTTP/1.1\r\nHost: evil\r\nTRANSFER-ENCODING: Chunked\r\nContent-Length: 99\r\n\r\n3\r\nxyz\r\n0\r\n\r\n" +
			"POST /old HTTP/1.0\r\nTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\nhi" + rawGet),
		rawTake(rawGetRL, rawSized(0), rawGet, false),
	}},
	{"a request line that is nowhere drifts", 0, []rawStep{
		rawFeed(rawPost),
		rawTake(rawGetRL, rawSized(0), "", true),
		rawFeed(rawGet),
		rawTake(rawGetRL, rawSized(0), "", true),
	}},
	{"headers not all there", 0, []rawStep{
		rawFeed("GET /b HTTP/1.1\r\nHost: h\r\n"),
		rawTake(rawGetRL, rawSized(0), "GET /b HTTP/1.1\r\nHost: h\r\n", true),
	}},
	{"body shorter than its Content-Length", 0, []rawStep{
		rawFeed(rawPost),
		rawTake(rawPostRL, rawSized(10), rawPost, true),
	}},
	{"malformed chunk", 0, []rawStep{
		rawFeed("POST /a HTTP/1.1\r\n\r\nzz\r\nhello\r\n0\r\n\r\n"),
		rawTake(rawPostRL, rawChunked, "POST /a HTTP/1.1\r\n\r\nzz\r\nhello\r\n0\r\n\r\n", true),
	}},
	{"limit smaller than the request, then whole again", 53, []rawStep{
		rawFeed(rawPost),
		rawFeed("123456789"),
		rawTake(rawPostRL, rawSized(12), rawPost+"12", true),
		rawFeed(rawGet),
		rawTake(rawGetRL, rawSized(0), rawGet, false),
	}},
	{"limit smaller than the request line", 5, []rawStep{
		rawFeed(rawPost),
		rawTake(rawPostRL, rawSized(3), "POST ", true),
		rawFeed(rawGet),
		rawTake(rawGetRL, rawSized(0), "", true),
	}},
	{"the next request began among the lost bytes", 53, []rawStep{
		rawFeed(rawPost + "123456789" + rawGet),
		rawTake(rawPostRL, rawSized(12), rawPost+"12", true),
		rawTake(rawGetRL, rawSized(0), "", true),
	}},
	{"bytes after a loss are not kept out of place", 53, []rawStep{
		rawFeed(rawGet + rawPost), // the POST's last 26 bytes are lost
		rawTake(rawGetRL, rawSized(0), rawGet, false),
		rawFeed(rawGet), // room again, but these would not follow the kept bytes
		rawTake(rawPostRL, rawSized(3), rawPost[:25], true),
		rawTake(rawGetRL, rawSized(0), "", true),
	}},
	{"a long chunked body cannot be passed over", 60, []rawStep{
		rawFeed(rawLongChunked),
		rawTake(rawPostRL, rawChunked, rawLongChunked[:60], true),
		rawFeed(rawGet),
		rawTake(rawGetRL, rawSized(0), "", true),
	}},
	{"a Content-Length too large to add", 0, []rawStep{
		rawFeed(rawPost),
		rawTake(rawPostRL, rawSized(1<<62), rawPost, true),
	}},
}

// rawBytewise feeds s one byte at a time, then takes.
func rawBytewise(s string, takes ...rawStep) []rawStep {
	var steps []rawStep
	for i := range len(s) {
		steps = append(steps, rawFeed(s[i:i+1]))
	}
	return append(steps, takes...)
}

func TestRawRecorderTake(t *testing.T) {
	for _, tt := range rawTests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &rawRecorder{limit: tt.limit}
			if rec.limit == 0 {
				rec.limit = 1 << 20
			}
			for i, st := range tt.steps {
				if st.feed != "" {
					rec.record([]byte(st.feed))
					continue
				}
				raw, trunc := rec.take(st.line, st.f)
				if string(raw) != st.want || trunc != st.trunc {
					t.Errorf("step %d: take(%q) = %q, %v; want %q, %v", i, st.line, raw, trunc, st.want, st.trunc)
				}
			}
		})
	}
}

// TestRawRecorderStaysSmall: a long keep-alive connection, and one large
// request on it, leave no large buffer behind.
func TestRawRecorderStaysSmall(t *testing.T) {
	rec := &rawRecorder{limit: 4 << 20}
	for range 1000 {
		rec.record([]byte(rawPost))
		if raw, trunc := rec.take(rawPostRL, rawSized(3)); string(raw) != rawPost || trunc {
			t.Fatalf("take = %q, %v", raw, trunc)
		}
	}
	if cap(rec.buf) > 4096 {
		t.Errorf("after 1000 small requests the buffer holds %d bytes", cap(rec.buf))
	}
	head := "POST /a HTTP/1.1\r\nContent-Length: 2097152\r\n\r\n"
	rec.record([]byte(head))
	rec.record(bytes.Repeat([]byte("x"), 2<<20))
	rec.record([]byte(rawGet)) // read ahead
	if raw, trunc := rec.take("POST /a HTTP/1.1", rawSized(2<<20)); len(raw) != len(head)+2<<20 || trunc {
		t.Fatalf("take = %d bytes, %v", len(raw), trunc)
	}
	if cap(rec.buf) > rawShrinkAbove || string(rec.buf) != rawGet {
		t.Errorf("after a large request the buffer holds %q in %d bytes", rec.buf, cap(rec.buf))
	}
}

func TestRawRequestWithoutRecorder(t *testing.T) {
	c1, c2 := net.Pipe()
	defer c1.Close()
	defer c2.Close()
	if ctx := context.Background(); rawConnContext(ctx, c1) != ctx {
		t.Error("rawConnContext changed the context of a connection it does not record")
	}
	if raw, trunc := rawRequest(httptest.NewRequest("GET", "/", nil)); raw != nil || !trunc {
		t.Errorf("rawRequest = %q, %v; want nothing, truncated", raw, trunc)
	}
}

// FuzzRawRecorderTake: whatever a client sends, take neither panics nor
// returns bytes the client did not send in that order.
func FuzzRawRecorderTake(f *testing.F) {
	for _, tt := range rawTests {
		var s strings.Builder
		for _, st := range tt.steps {
			s.WriteString(st.feed)
		}
		f.Add([]byte(s.String()), uint16(tt.limit), false, uint32(3))
		f.Add([]byte(s.String()), uint16(tt.limit), true, uint32(0))
	}
	f.Fuzz(func(t *testing.T, stream []byte, limit uint16, isChunked bool, length uint32) {
		rec := &rawRecorder{limit: int(limit)}
		rec.record(stream)
		line, _ := rawFirstLine(stream)
		for range 3 {
			raw, trunc := rec.take(line, rawFraming{chunked: isChunked, length: int64(length)})
			if !bytes.Contains(stream, raw) || !trunc && len(raw) == 0 {
				t.Fatalf("take = %q, %v from %q", raw, trunc, stream)
			}
		}
	})
}

// TestEchoConnection: requests on one connection, sent one at a time
// (keep-alive) or in one write (pipelined), each show only their own bytes.
func TestEchoConnection(t *testing.T) {
	s := startEchoTest(t, echoTestLimit)
	reqs := []string{
		"POST /one HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nfirst",
		"POST /two HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\ntwo\r\n0\r\n\r\n",
		"GET /three HTTP/1.1\r\nHost: h\r\nX-Last: yes\r\n\r\n",
	}
	for _, pipelined := range []bool{false, true} {
		c := s.dial(t)
		if pipelined {
			c.send(t, strings.Join(reqs, ""))
		}
		for _, req := range reqs {
			if !pipelined {
				c.send(t, req)
			}
			e := c.echo(t)
			if got := string(e.rawBytes(t)); got != req || e.RawTruncated || e.Remote != c.LocalAddr().String() {
				t.Errorf("pipelined %v: raw = %q from %s, want %q from %s", pipelined, got, e.Remote, req, c.LocalAddr())
			}
		}
	}
}

func TestEchoExpectContinue(t *testing.T) {
	head := "PUT /up HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"
	c := startEchoTest(t, echoTestLimit).dial(t)
	c.send(t, head)
	if resp, _ := c.response(t, "PUT"); resp.StatusCode != http.StatusContinue {
		t.Fatalf("got %s before the body, want 100 Continue", resp.Status)
	}
	c.send(t, "hello")
	if got := string(c.echo(t).rawBytes(t)); got != head+"hello" {
		t.Errorf("raw = %q", got)
	}
}

// TestEchoSkipsUnseenRequests: net/http answers "OPTIONS *" itself, so
// the echo must not show those bytes with the next request.
func TestEchoSkipsUnseenRequests(t *testing.T) {
	get := "GET /after HTTP/1.1\r\nHost: h\r\n\r\n"
	c := startEchoTest(t, echoTestLimit).dial(t)
	c.send(t, "OPTIONS * HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"+get)
	if resp, body := c.response(t, "OPTIONS"); resp.StatusCode != http.StatusOK || len(body) != 0 {
		t.Fatalf("OPTIONS * got %s %q", resp.Status, body)
	}
	if e := c.echo(t); string(e.rawBytes(t)) != get || e.RawTruncated {
		t.Errorf("raw = %q (truncated %v), want %q", e.rawBytes(t), e.RawTruncated, get)
	}
}

// TestEchoTruncated: a request longer than the recorder keeps is cut
// short, and the next one on the connection is whole again.
func TestEchoTruncated(t *testing.T) {
	head := "POST /big HTTP/1.1\r\nHost: h\r\nContent-Length: 200\r\n\r\n"
	c := startEchoTest(t, 64).dial(t)
	c.send(t, head+strings.Repeat("b", 200))
	e := c.echo(t)
	if want := (head + "bbbbbbbbbbbbbbbbbbbb")[:64]; string(e.rawBytes(t)) != want || !e.RawTruncated || e.BodyBytes != 200 {
		t.Errorf("raw = %q (truncated %v, body %d), want %q", e.rawBytes(t), e.RawTruncated, e.BodyBytes, want)
	}
	get := "GET /small HTTP/1.1\r\nHost: h\r\n\r\n"
	c.send(t, get)
	if e := c.echo(t); string(e.rawBytes(t)) != get || e.RawTruncated {
		t.Errorf("next raw = %q (truncated %v), want %q", e.rawBytes(t), e.RawTruncated, get)
	}
}
