package send

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// rawServer is a TCP server that answers each connection with fixed bytes
// after reading one request, and keeps the bytes it received.
type rawServer struct {
	ln   net.Listener
	got  chan []byte // the bytes of each request, as received
	wg   sync.WaitGroup
	resp []byte
	wait time.Duration // sleep before answering
}

func startRaw(t *testing.T, wait time.Duration, resp string) *rawServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &rawServer{ln: ln, got: make(chan []byte, 10), resp: []byte(resp), wait: wait}
	s.wg.Go(s.serve)
	t.Cleanup(func() { ln.Close(); s.wg.Wait() })
	return s
}

func (s *rawServer) url() string { return "http://" + s.ln.Addr().String() }

func (s *rawServer) serve() {
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.wg.Go(func() {
			defer conn.Close()
			var in bytes.Buffer
			req, err := http.ReadRequest(bufio.NewReader(io.TeeReader(conn, &in)))
			if err != nil {
				return
			}
			io.Copy(io.Discard, req.Body)
			s.got <- in.Bytes()
			time.Sleep(s.wait)
			conn.Write(s.resp)
		})
	}
}

func TestDoRecordsTheWire(t *testing.T) {
	const wire = "HTTP/1.1 201 Created\r\n" +
		"Zeta: 1\r\n" +
		"Content-Type: application/json\r\n" +
		"alpha: two\r\n" +
		"Content-Length: 9\r\n" +
		"\r\n" +
		"{\"ok\":1}\n"
	const delay = 50 * time.Millisecond
	srv := startRaw(t, delay, wire)
	res, err := Do(context.Background(), Request{
		Method:  "POST",
		URL:     srv.url() + "/things?q=1",
		Headers: []Header{{"X-B", "2"}, {"Content-Type", "application/json"}},
		Body:    []byte(`{"a":1}`),
	})
	if err != nil {
		t.Fatal(err)
	}
	received := <-srv.got
	if !bytes.Equal(res.RawRequest, received) {
		t.Errorf("RawRequest:\n%q\nserver received:\n%q", res.RawRequest, received)
	}
	if !bytes.Equal(res.RawResponse, []byte(wire)) {
		t.Errorf("RawResponse:\n%q\nserver wrote:\n%q", res.RawResponse, wire)
	}
	if res.RawTruncated || res.Truncated {
		t.Errorf("RawTruncated=%v Truncated=%v for a small exchange", res.RawTruncated, res.Truncated)
	}
	for _, want := range []string{"POST /things?q=1 HTTP/1.1\r\n", "User-Agent: Loopscope/0.1\r\n",
		"X-B: 2\r\n", "Content-Length: 7\r\n", "Connection: close\r\n"} {
		if !bytes.Contains(received, []byte(want)) {
			t.Errorf("request lacks %q:\n%s", want, received)
		}
	}
	if bytes.Contains(received, []byte("Accept-Encoding")) {
		t.Errorf("request asks for compression:\n%s", received)
	}
	wantHeaders := []Header{{"Zeta", "1"}, {"Content-Type", "application/json"}, {"alpha", "two"}, {"Content-Length", "9"}}
	if !slices.Equal(res.Headers, wantHeaders) {
		t.Errorf("Headers = %q, want wire order %q", res.Headers, wantHeaders)
	}
	if res.Status != "201 Created" || res.StatusCode != 201 || res.Proto != "HTTP/1.1" {
		t.Errorf("status = %q %d %q", res.Status, res.StatusCode, res.Proto)
	}
	if string(res.Body) != "{\"ok\":1}\n" || res.ContentType != "application/json" {
		t.Errorf("body %q, type %q", res.Body, res.ContentType)
	}
	if res.Remote != srv.ln.Addr().String() {
		t.Errorf("Remote = %q, want %q", res.Remote, srv.ln.Addr())
	}
	tm := res.Timings
	if tm.DNS != 0 || tm.TLS != 0 {
		t.Errorf("DNS %v, TLS %v for http to an IP address: want 0", tm.DNS, tm.TLS)
	}
	if tm.Connect <= 0 {
		t.Errorf("Connect = %v, want > 0", tm.Connect)
	}
	if tm.Wait < delay {
		t.Errorf("Wait = %v, but the server waited %v before answering", tm.Wait, delay)
	}
	if tm.Total < tm.Connect+tm.Wait {
		t.Errorf("Total %v < Connect %v + Wait %v", tm.Total, tm.Connect, tm.Wait)
	}
}

func TestDoHeadersAndHost(t *testing.T) {
	srv := startRaw(t, 0, "HTTP/1.1 204 No Content\r\n\r\n")
	res, err := Do(context.Background(), Request{
		URL:     srv.url(),
		Headers: []Header{{"user-agent", "mine/1"}, {"Host", "example.test"}, {"X-Empty", ""}},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := string(<-srv.got)
	for _, want := range []string{"GET / HTTP/1.1\r\n", "Host: example.test\r\n", "user-agent: mine/1\r\n", "X-Empty: \r\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("request lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "Loopscope") {
		t.Errorf("Loopscope's User-Agent was added to the user's:\n%s", got)
	}
	if res.StatusCode != 204 || len(res.Body) != 0 {
		t.Errorf("got %d with %d bytes", res.StatusCode, len(res.Body))
	}
}

func TestDoSkipsInterimResponses(t *testing.T) {
	srv := startRaw(t, 0, "HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n"+
		"HTTP/1.1 200 OK\r\nB: 1\r\nA: 2\r\nContent-Length: 2\r\n\r\nhi")
	res, err := Do(context.Background(), Request{URL: srv.url()})
	if err != nil {
		t.Fatal(err)
	}
	want := []Header{{"B", "1"}, {"A", "2"}, {"Content-Length", "2"}}
	if res.StatusCode != 200 || !slices.Equal(res.Headers, want) || string(res.Body) != "hi" {
		t.Errorf("got %d %q %q, want 200 %q \"hi\"", res.StatusCode, res.Headers, res.Body, want)
	}
	if !bytes.HasPrefix(res.RawResponse, []byte("HTTP/1.1 103 Early Hints\r\n")) {
		t.Errorf("RawResponse lost the interim response: %q", res.RawResponse)
	}
}

func TestDoInvalidRequests(t *testing.T) {
	tests := []struct{ name, method, url, want string }{
		{"no scheme", "GET", "127.0.0.1:8000", "needs to start with http:// or https://"},
		{"name without scheme", "GET", "localhost:8000/x", "needs to start with http:// or https://"},
		{"ftp", "GET", "ftp://127.0.0.1/", "needs to start with http:// or https://"},
		{"empty", "GET", "", "needs to start with http:// or https://"},
		{"no host", "GET", "http:///path", "has no host"},
		{"bad method", "GE T", "http://127.0.0.1:8000/", `"GE T" is not a valid method`},
		{"bad port", "GET", "http://127.0.0.1:80x/", "not valid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Do(context.Background(), Request{Method: tt.method, URL: tt.url})
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want ErrInvalid saying %q", err, tt.want)
			}
		})
	}
	_, err := Do(context.Background(), Request{URL: "http://127.0.0.1:1/", Headers: []Header{{"X", "a\r\nEvil: 1"}}})
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "header 1") {
		t.Errorf("header with CRLF: err = %v, want ErrInvalid naming header 1", err)
	}
}

func TestDoConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	_, err = Do(context.Background(), Request{URL: "http://" + addr + "/"})
	want := "nothing is listening on " + addr + " (connection refused): start a server on that port, or check the URL"
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v\nwant   %s", err, want)
	}
	if !errors.Is(err, ErrRefused) || !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("err does not match ErrRefused and ECONNREFUSED: %#v", err)
	}
}

func TestDoUnknownHost(t *testing.T) {
	_, err := Do(context.Background(), Request{URL: "http://nothing-here.invalid/", Timeout: 10 * time.Second})
	if !errors.Is(err, ErrNoHost) || !strings.HasPrefix(err.Error(), "cannot find host nothing-here.invalid") {
		t.Errorf("err = %v, want ErrNoHost: cannot find host nothing-here.invalid", err)
	}
	var dnsErr *net.DNSError
	if !errors.As(err, &dnsErr) {
		t.Errorf("err does not wrap the *net.DNSError: %#v", err)
	}
}

// silentServer accepts connections and never answers; accepted gets each.
func silentServer(t *testing.T) (addr string, accepted chan struct{}) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	accepted = make(chan struct{}, 10)
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			accepted <- struct{}{}
			wg.Go(func() { io.Copy(io.Discard, conn); conn.Close() }) // until the client gives up
		}
	})
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	return ln.Addr().String(), accepted
}

func TestDoTimeout(t *testing.T) {
	addr, _ := silentServer(t)
	_, err := Do(context.Background(), Request{URL: "http://" + addr + "/", Timeout: 100 * time.Millisecond})
	want := "no answer from " + addr + " within 100ms"
	if !errors.Is(err, ErrTimeout) || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("err = %v, want ErrTimeout starting %q", err, want)
	}
}

func TestDoCanceled(t *testing.T) {
	addr, accepted := silentServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-accepted; cancel() }()
	_, err := Do(ctx, Request{URL: "http://" + addr + "/"})
	if !errors.Is(err, context.Canceled) || errors.Is(err, ErrTimeout) {
		t.Errorf("err = %v, want context.Canceled wrapped", err)
	}
}

// TestDoIgnoresProxy sends to this machine's non-loopback address (which
// net/http would send through a proxy) with HTTP_PROXY pointing at a
// listener that counts connections.
func TestDoIgnoresProxy(t *testing.T) {
	ip := nonLoopbackIPv4(t)
	proxy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var proxied sync.WaitGroup
	hits := 0
	proxied.Go(func() {
		for {
			conn, err := proxy.Accept()
			if err != nil {
				return
			}
			hits++
			conn.Close()
		}
	})
	defer func() { proxy.Close(); proxied.Wait() }()
	for _, k := range []string{"HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy"} {
		t.Setenv(k, "http://"+proxy.Addr().String())
	}
	t.Setenv("NO_PROXY", "")
	t.Setenv("no_proxy", "")

	ln, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
	if err != nil {
		t.Skipf("cannot listen on %s: %v", ip, err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "direct") })}
	go srv.Serve(ln)
	defer srv.Close()

	res, err := Do(context.Background(), Request{URL: "http://" + ln.Addr().String() + "/"})
	if err != nil {
		t.Fatalf("with a proxy in the environment: %v", err)
	}
	if string(res.Body) != "direct" {
		t.Errorf("body = %q, want direct", res.Body)
	}
	proxy.Close()
	proxied.Wait()
	if hits != 0 {
		t.Errorf("the proxy got %d connections", hits)
	}
}

func nonLoopbackIPv4(t *testing.T) string {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Skip(err)
	}
	for _, a := range addrs {
		if ipn, ok := a.(*net.IPNet); ok && !ipn.IP.IsLoopback() && ipn.IP.To4() != nil && !ipn.IP.IsLinkLocalUnicast() {
			return ipn.IP.String()
		}
	}
	t.Skip("no non-loopback IPv4 address")
	return ""
}

func TestDoServerHangsUp(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			conn.Close()
		}
	})
	defer func() { ln.Close(); wg.Wait() }()
	addr := ln.Addr().String()

	_, err = Do(context.Background(), Request{URL: "http://" + addr + "/"})
	if !errors.Is(err, ErrClosed) || !strings.HasPrefix(err.Error(), addr+" closed the connection without an answer") {
		t.Errorf("http: err = %v, want ErrClosed", err)
	}
	_, err = Do(context.Background(), Request{URL: "https://" + addr + "/"})
	if !errors.Is(err, ErrNotTLS) || !strings.Contains(err.Error(), "during the TLS handshake") {
		t.Errorf("https: err = %v, want ErrNotTLS about the handshake", err)
	}
}

func TestDoAnswersThatAreNotHTTP(t *testing.T) {
	ssh := startRaw(t, 0, "SSH-2.0-OpenSSH_9.6\r\n")
	_, err := Do(context.Background(), Request{URL: ssh.url()})
	if !errors.Is(err, ErrNotHTTP) || !strings.Contains(err.Error(), `(it began "SSH-2.0-OpenSSH_9.6")`) {
		t.Errorf("err = %v, want ErrNotHTTP quoting the banner", err)
	}
	short := startRaw(t, 0, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly")
	_, err = Do(context.Background(), Request{URL: short.url()})
	if !errors.Is(err, ErrClosed) || !strings.Contains(err.Error(), "before the whole answer arrived") {
		t.Errorf("err = %v, want ErrClosed in the middle of the body", err)
	}
}

func TestDoTimesTheLookup(t *testing.T) {
	if addrs, err := net.LookupHost("localhost"); err != nil || !slices.Contains(addrs, "127.0.0.1") {
		t.Skipf("localhost is %v here (%v)", addrs, err)
	}
	srv := startRaw(t, 0, "HTTP/1.1 204 No Content\r\n\r\n")
	_, port, _ := net.SplitHostPort(srv.ln.Addr().String())
	res, err := Do(context.Background(), Request{URL: "http://localhost:" + port + "/"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Timings.DNS <= 0 || res.Remote != srv.ln.Addr().String() {
		t.Errorf("DNS = %v, Remote = %q: want a lookup time and %s", res.Timings.DNS, res.Remote, srv.ln.Addr())
	}
}
