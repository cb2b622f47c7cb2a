package serve

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// echoTestServer is the echo handler behind what the real server puts in
// front of it (the body limit, the note), on a recording listener.
type echoTestServer struct {
	addr  string
	notes chan string // the note of each request the handler saw
}

func startEchoTest(t *testing.T, limit int) *echoTestServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &echoTestServer{addr: ln.Addr().String(), notes: make(chan string, 64)}
	echo := newEchoHandler(Config{Kind: Echo})
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w, note := withNote(w)
			r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
			echo.ServeHTTP(w, r)
			select {
			case s.notes <- note.get():
			default:
			}
		}),
		ConnContext:    rawConnContext,
		MaxHeaderBytes: MaxHeaderBytes,
		ErrorLog:       log.New(io.Discard, "", 0),
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		srv.Serve(recordingListener(ln, limit))
	}()
	t.Cleanup(func() {
		srv.Close()
		<-done
	})
	return s
}

// echoTestLimit is the limit the real server gives the recorder.
const echoTestLimit = echoRecordLimit

// echoClient is a raw TCP client: it writes exactly the bytes it is given.
type echoClient struct {
	net.Conn
	br *bufio.Reader
}

func (s *echoTestServer) dial(t *testing.T) *echoClient {
	t.Helper()
	c, err := net.Dial("tcp", s.addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(time.Minute)) // a broken test fails instead of hanging
	return &echoClient{Conn: c, br: bufio.NewReader(c)}
}

func (c *echoClient) send(t *testing.T, b string) {
	t.Helper()
	if _, err := io.WriteString(c, b); err != nil {
		t.Fatal(err)
	}
}

// response reads one response to a request of the given method.
func (c *echoClient) response(t *testing.T, method string) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.ReadResponse(c.br, &http.Request{Method: method})
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// echo reads one JSON echo.
func (c *echoClient) echo(t *testing.T) *echoReply {
	t.Helper()
	resp, body := c.response(t, "GET")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("got %s %q: %s", resp.Status, resp.Header.Get("Content-Type"), body)
	}
	var e echoReply
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("%v in %s", err, body)
	}
	return &e
}

func (e *echoReply) rawBytes(t *testing.T) []byte {
	t.Helper()
	if e.Raw != nil {
		return []byte(*e.Raw)
	}
	b, err := base64.StdEncoding.DecodeString(e.RawBase64)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestEchoRawMatchesWire(t *testing.T) {
	s := startEchoTest(t, echoTestLimit)
	tests := []struct {
		name, req, body string
	}{
		{"odd case and spacing", "GET /odd?a=1 HTTP/1.1\r\nhOsT: example.test\r\nx-ODD-case:    spaced   value  \r\nACCEPT:application/json\r\n\r\n", ""},
		{"content-length body", "POST /form HTTP/1.1\r\nHost: h\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello world", "hello world"},
		{"chunked with extension and trailer", "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n" +
			"5;name=\"v\"\r\nhello\r\nA\r\n 012345678\r\n0\r\nX-Sum: 42\r\n\r\n", "hello 012345678"},
		{"bare LF line ends", "PUT /lf HTTP/1.1\nHost: h\nContent-Length: 2\n\nhi", "hi"},
		{"HTTP/1.0", "GET /old HTTP/1.0\r\nUser-Agent:  old  \r\n\r\n", ""},
		{"absolute form", "DELETE http://h/abs?q=1 HTTP/1.1\r\nHost: h\r\n\r\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := s.dial(t)
			c.send(t, tt.req)
			e := c.echo(t)
			if got := string(e.rawBytes(t)); got != tt.req || e.RawTruncated {
				t.Errorf("raw = %q (truncated %v), want %q", got, e.RawTruncated, tt.req)
			}
			if e.Body == nil || *e.Body != tt.body || e.BodyBytes != int64(len(tt.body)) {
				t.Errorf("body = %v (%d bytes), want %q", e.Body, e.BodyBytes, tt.body)
			}
		})
	}
}

func TestEchoChunkedTrailers(t *testing.T) {
	c := startEchoTest(t, echoTestLimit).dial(t)
	c.send(t, "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n2\r\nok\r\n0\r\nx-sum: 7\r\n\r\n")
	if e := c.echo(t); !reflect.DeepEqual(e.Trailers, map[string][]string{"X-Sum": {"7"}}) {
		t.Errorf("trailers = %v", e.Trailers)
	}
}

func TestEchoBinaryBody(t *testing.T) {
	body := "\x00\xff\xfe\x1b[1m\r\n"
	req := "POST /bin HTTP/1.1\r\nHost: h\r\nContent-Length: 9\r\n\r\n" + body
	c := startEchoTest(t, echoTestLimit).dial(t)
	c.send(t, req)
	e := c.echo(t)
	if e.Body != nil || e.BodyBase64 != base64.StdEncoding.EncodeToString([]byte(body)) || e.BodyBytes != int64(len(body)) {
		t.Errorf("body = %v, base64 %q, %d bytes", e.Body, e.BodyBase64, e.BodyBytes)
	}
	if e.Raw != nil || string(e.rawBytes(t)) != req {
		t.Errorf("raw = %v, raw_base64 %q", e.Raw, e.RawBase64)
	}
}

func TestEchoJSONFields(t *testing.T) {
	c := startEchoTest(t, echoTestLimit).dial(t)
	c.send(t, "GET /p/a%20b?x=1&x=2&y=z HTTP/1.1\r\nHost: h:8080\r\nx-multi: 1\r\nX-Multi: 2\r\nOrigin: http://evil.test\r\n\r\n")
	resp, body := c.response(t, "GET")
	for name, want := range map[string]string{
		"Content-Type": "application/json", "X-Content-Type-Options": "nosniff", "Access-Control-Allow-Origin": "",
	} {
		if got := resp.Header.Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	var e echoReply
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatal(err)
	}
	want := echoReply{
		Method: "GET", URL: "/p/a%20b?x=1&x=2&y=z", Path: "/p/a b", Proto: "HTTP/1.1", Host: "h:8080",
		Query:   map[string][]string{"x": {"1", "2"}, "y": {"z"}},
		Remote:  c.LocalAddr().String(),
		Headers: map[string][]string{"X-Multi": {"1", "2"}, "Origin": {"http://evil.test"}},
		Body:    e.Body, Raw: e.Raw, Received: e.Received,
	}
	if !reflect.DeepEqual(e, want) {
		t.Errorf("got  %+v\nwant %+v", e, want)
	}
	if e.Body == nil || *e.Body != "" {
		t.Errorf("body = %v, want an empty string", e.Body)
	}
	if _, err := time.Parse(time.RFC3339Nano, e.Received); err != nil {
		t.Errorf("received: %v", err)
	}
}

const browserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

func TestEchoTextForBrowser(t *testing.T) {
	c := startEchoTest(t, echoTestLimit).dial(t)
	// net/http refuses C0 controls in header values, but lets C1 ones
	// (here CSI, U+009B, an escape sequence to some terminals) and
	// invalid UTF-8 through; the body may hold anything.
	c.send(t, "POST /page HTTP/1.1\r\nHost: h\r\nAccept: "+browserAccept+"\r\nX-Evil: \u009b31mred\xff\r\n"+
		"Content-Length: 11\r\n\r\n\x1b[2Jwiped\x00!")
	resp, body := c.response(t, "POST")
	if ct := resp.Header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
		t.Fatalf("Content-Type = %q", ct)
	}
	page := string(body)
	for _, want := range []string{
		"Loopscope HTTP echo: the request as it arrived\n", "Method:   POST\n", "Path:     /page\n",
		"  X-Evil: \\u009b31mred\\xff\n", // in the summary
		"\nX-Evil: \\u009b31mred\\xff\n", // in the raw bytes, line breaks kept
		"\n\\x1b[2Jwiped\\x00!\n",        // the body
		"From:     " + c.LocalAddr().String(),
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q:\n%s", want, page)
		}
	}
	if strings.ContainsAny(page, "\x1b\x00\r\u009b") || !strings.HasPrefix(page, "Loopscope") || !utf8.Valid(body) {
		t.Errorf("page shows control bytes raw:\n%q", page)
	}
}

func TestEchoFormat(t *testing.T) {
	s := startEchoTest(t, echoTestLimit)
	tests := []struct{ target, accept, want string }{
		{"/", browserAccept, "text/plain; charset=utf-8"},
		{"/?format=json", browserAccept, "application/json"},
		{"/?format=text", "", "text/plain; charset=utf-8"},
		{"/", "*/*", "application/json"},
		{"/", "", "application/json"},
		{"/", "application/json, text/html;q=0.5", "application/json"},
		{"/", "text/*", "text/plain; charset=utf-8"},
	}
	for _, tt := range tests {
		c := s.dial(t)
		c.send(t, "GET "+tt.target+" HTTP/1.1\r\nHost: h\r\nAccept: "+tt.accept+"\r\n\r\n")
		if resp, _ := c.response(t, "GET"); resp.Header.Get("Content-Type") != tt.want {
			t.Errorf("%s with Accept %q: %q, want %q", tt.target, tt.accept, resp.Header.Get("Content-Type"), tt.want)
		}
	}
}

func TestEchoHead(t *testing.T) {
	c := startEchoTest(t, echoTestLimit).dial(t)
	c.send(t, "HEAD /h HTTP/1.1\r\nHost: h\r\n\r\n")
	resp, body := c.response(t, "HEAD")
	if resp.StatusCode != http.StatusOK || resp.ContentLength <= 0 || len(body) != 0 {
		t.Fatalf("HEAD got %s, Content-Length %d, body %q", resp.Status, resp.ContentLength, body)
	}
	// Any body bytes after the HEAD answer would spoil the next response.
	get := "GET /g HTTP/1.1\r\nHost: h\r\n\r\n"
	c.send(t, get)
	if got := string(c.echo(t).rawBytes(t)); got != get {
		t.Errorf("raw after HEAD = %q", got)
	}
}

func TestEchoOversizedBody(t *testing.T) {
	chunk := strings.Repeat("x", 1<<20)
	tests := []struct{ name, head, piece string }{
		{"content-length", "POST /big HTTP/1.1\r\nHost: h\r\nContent-Length: 10485761\r\n\r\n", chunk},
		{"chunked", "POST /big HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n", "100000\r\n" + chunk + "\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := startEchoTest(t, echoTestLimit)
			c := s.dial(t)
			go func() { // the server may stop reading: write on, and give up when it closes
				io.WriteString(c, tt.head)
				for range 11 {
					if _, err := io.WriteString(c, tt.piece); err != nil {
						return
					}
				}
				io.WriteString(c, "1\r\nx\r\n0\r\n\r\n") // ends a chunked body; noise after a sized one
			}()
			resp, body := c.response(t, "POST")
			if resp.StatusCode != http.StatusRequestEntityTooLarge || !bytes.Contains(body, []byte("10 MiB")) {
				t.Errorf("got %s %q, want 413", resp.Status, body)
			}
			if note := <-s.notes; note != "body over 10 MiB" {
				t.Errorf("note = %q", note)
			}
		})
	}
}

func TestAcceptWeight(t *testing.T) {
	tests := []struct {
		accept, typ string
		want        float64
	}{
		{"", "text/html", 0},
		{"text/html", "text/html", 1},
		{"TEXT/HTML;q=0.4", "text/html", 0.4},
		{"text/*;q=0.3, text/html;q=0.7", "text/html", 0.7},
		{"*/*;q=0.2, text/*;q=0.5", "text/html", 0.5},
		{"*/*;q=0.2", "application/json", 0.2},
		{"text/html;level=1;q=0", "text/html", 0},
		{"text/html;q=NaN", "text/html", 0},
		{"text/html;q=2", "text/html", 0},
	}
	for _, tt := range tests {
		if got := acceptWeight([]string{tt.accept}, tt.typ); got != tt.want {
			t.Errorf("acceptWeight(%q, %q) = %v, want %v", tt.accept, tt.typ, got, tt.want)
		}
	}
}

// A 10 MiB body is counted and hashed whole but echoed only in part: the
// answer stays small, whatever the body (zeros would grow sixfold as
// JSON escapes), and the next request on the connection is echoed as
// it arrived.
func TestEchoBigBodyGivesABoundedAnswer(t *testing.T) {
	body := make([]byte, MaxBodyBytes)
	c := startEchoTest(t, echoTestLimit).dial(t)
	c.send(t, fmt.Sprintf("POST /big HTTP/1.1\r\nHost: h\r\nContent-Length: %d\r\n\r\n", len(body)))
	if _, err := c.Write(body); err != nil {
		t.Fatal(err)
	}
	resp, out := c.response(t, "POST")
	if resp.StatusCode != http.StatusOK || len(out) > 2<<20 { // it was 126 MB
		t.Fatalf("%s, %d bytes of answer; want 200 and under 2 MiB", resp.Status, len(out))
	}
	var e echoReply
	if err := json.Unmarshal(out, &e); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(body)
	if e.BodyBytes != int64(len(body)) || !e.BodyTruncated || !e.RawTruncated || e.BodySHA256 != hex.EncodeToString(sum[:]) ||
		e.Body == nil || len(*e.Body) != EchoKeep {
		t.Errorf("body_bytes %d, truncated %v/%v, sha %q, kept %d", e.BodyBytes, e.BodyTruncated, e.RawTruncated, e.BodySHA256, len(*e.Body))
	}

	next := "GET /after HTTP/1.1\r\nHost: h\r\nX-Spelling:  kept \r\n\r\n"
	c.send(t, next)
	if e := c.echo(t); string(e.rawBytes(t)) != next || e.RawTruncated || e.BodyTruncated || e.BodySHA256 != "" {
		t.Errorf("the request after a big one: raw %q, truncated %v", e.rawBytes(t), e.RawTruncated)
	}
}
