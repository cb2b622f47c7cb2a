package serve

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// start starts a server for a test and stops it when the test ends.
func start(t *testing.T, cfg Config) *Server {
	t.Helper()
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// free reports whether nothing listens on 127.0.0.1:port over network.
func free(network string, port int) bool {
	hp := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	if network == "udp" {
		pc, err := net.ListenPacket("udp", hp)
		if err == nil {
			pc.Close()
		}
		return err == nil
	}
	ln, err := net.Listen("tcp", hp)
	if err == nil {
		ln.Close()
	}
	return err == nil
}

func TestServersBindLoopbackByDefaultAndCloseFreesThePort(t *testing.T) {
	for _, k := range Kinds() {
		t.Run(string(k), func(t *testing.T) {
			cfg := Config{Kind: k, Dir: t.TempDir()}
			s := start(t, cfg)
			ap, ok := s.addrPort()
			if !ok || !ap.Addr().IsLoopback() || ap.Port() == 0 {
				t.Fatalf("listens on %v, want 127.0.0.1 and a port", s.Addr())
			}
			if s.Exposed() || s.LANURLs() != nil {
				t.Errorf("a default server says it is exposed: %v", s.LANURLs())
			}
			if free(k.Network(), s.Port()) {
				t.Fatalf("port %d is free while the server runs", s.Port())
			}
			s.Close()
			if st, _ := s.State(); st != Stopped {
				t.Errorf("state after Close = %v", st)
			}
			if !free(k.Network(), s.Port()) {
				t.Errorf("port %d still taken after Close", s.Port())
			}
			if err := s.Close(); err != nil {
				t.Errorf("second Close: %v", err)
			}
		})
	}
}

func TestURLNamesTheKindAndPort(t *testing.T) {
	for k, scheme := range map[Kind]string{Echo: "http://", TCPEcho: "tcp://", UDPEcho: "udp://"} {
		s := start(t, Config{Kind: k})
		want := fmt.Sprintf("%s127.0.0.1:%d", scheme, s.Port())
		if !strings.HasPrefix(s.URL(), want) {
			t.Errorf("%s: URL %q, want %q…", k, s.URL(), want)
		}
	}
}

func TestTakenPortIsErrPortInUse(t *testing.T) {
	for _, k := range []Kind{Echo, UDPEcho} {
		first := start(t, Config{Kind: k})
		_, err := New(Config{Kind: k, Port: first.Port()})
		if err != nil {
			t.Fatal(err)
		}
		second, _ := New(Config{Kind: k, Port: first.Port()})
		err = second.Start()
		var be *BindError
		if !errors.Is(err, ErrPortInUse) || !errors.As(err, &be) || be.Port != first.Port() {
			t.Fatalf("%s: second Start on port %d: %v, want ErrPortInUse", k, first.Port(), err)
		}
		if !strings.Contains(err.Error(), "already in use") || !strings.Contains(err.Error(), strconv.Itoa(first.Port())) {
			t.Errorf("message %q does not say the port is in use", err)
		}
		next, err := NextFreePort(Config{Kind: k}, first.Port())
		if err != nil || next == first.Port() || !free(k.Network(), next) {
			t.Errorf("NextFreePort(%d) = %d, %v", first.Port(), next, err)
		}
	}
}

func TestNonLoopbackBindNeedsExpose(t *testing.T) {
	for _, bind := range []string{"0.0.0.0", "::", "192.0.2.7"} {
		if _, err := New(Config{Kind: Echo, Bind: bind}); !errors.Is(err, ErrExposed) {
			t.Errorf("Bind %s without Expose: %v, want ErrExposed", bind, err)
		}
	}
	for _, bind := range []string{"example.com", "fe80::1%eth0", "1.2.3"} {
		if _, err := New(Config{Kind: Echo, Bind: bind, Expose: true}); err == nil {
			t.Errorf("Bind %q accepted", bind)
		}
	}
	s := start(t, Config{Kind: Echo, Bind: "0.0.0.0", Expose: true})
	if !s.Exposed() {
		t.Error("a server on 0.0.0.0 does not say it is exposed")
	}
	for _, u := range s.LANURLs() {
		if strings.Contains(u, "127.0.0.1") || strings.Contains(u, "[") {
			t.Errorf("LAN URL %q of a 0.0.0.0 server", u)
		}
	}
	// 0.0.0.0 is IPv4's every address, not IPv6's too (Go's "tcp" would
	// have listened on [::]).
	if c, err := net.Dial("tcp6", net.JoinHostPort("::1", strconv.Itoa(s.Port()))); err == nil {
		c.Close()
		t.Errorf("a server on 0.0.0.0 took a connection to [::1]:%d", s.Port())
	}
}

func TestPrivilegedPortAdvice(t *testing.T) {
	if PrivilegedPortAdvice(8080) != "" || PrivilegedPortAdvice(0) != "" {
		t.Error("advice for an ordinary port")
	}
	if a := PrivilegedPortAdvice(80); !strings.Contains(a, "1024") || !strings.Contains(a, "80") {
		t.Errorf("advice for 80: %q", a)
	}
}

func TestHostAllowlist(t *testing.T) {
	p := newHostPolicy("127.0.0.1", "8000", false)
	for _, tc := range []struct {
		host   string
		http10 bool
		want   bool
	}{
		{"127.0.0.1:8000", false, true},
		{"localhost:8000", false, true},
		{"LOCALHOST:8000", false, true},
		{"[::1]:8000", false, true},
		{"localhost", false, true},
		{"[::1]", false, true},
		{"127.0.0.1:8001", false, false},
		{"localhost.:8000", false, false},
		{"evil.example:8000", false, false},
		{"localhost.evil.example:8000", false, false},
		{"127.0.0.1.nip.io:8000", false, false},
		{"::1", false, false},
		{"", false, false},
		{"", true, true},
		{"192.168.1.10:8000", false, false},
	} {
		if got := p.allows(tc.host, tc.http10); got != tc.want {
			t.Errorf("allows(%q, http10=%v) = %v, want %v", tc.host, tc.http10, got, tc.want)
		}
	}
	exposed := newHostPolicy("", "8000", true)
	for _, ip := range LANAddrs() {
		host := net.JoinHostPort(ip.String(), "8000")
		if !exposed.allows(host, false) {
			t.Errorf("an exposed server refuses its LAN address %s", host)
		}
		if p.allows(host, false) {
			t.Errorf("a loopback server allows its LAN address %s", host)
		}
	}
}

// rawHTTP sends req as written and returns the response.
func rawHTTP(t *testing.T, addr net.Addr, req string) *http.Response {
	t.Helper()
	c, err := net.Dial("tcp", addr.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if _, err := io.WriteString(c, req); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("reading the answer to %q: %v", req, err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func TestEveryHTTPKindRefusesForeignHosts(t *testing.T) {
	for _, k := range []Kind{Files, Echo, API} {
		s := start(t, Config{Kind: k, Dir: t.TempDir()})
		resp := rawHTTP(t, s.Addr(), "GET / HTTP/1.1\r\nHost: rebind.example:"+strconv.Itoa(s.Port())+"\r\n\r\n")
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusMisdirectedRequest || !strings.Contains(string(body), "DNS rebinding") {
			t.Errorf("%s: foreign Host got %d %q", k, resp.StatusCode, body)
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff on a refusal", k)
		}
		resp = rawHTTP(t, s.Addr(), "GET / HTTP/1.1\r\nHost: localhost:"+strconv.Itoa(s.Port())+"\r\n\r\n")
		if resp.StatusCode == http.StatusMisdirectedRequest {
			t.Errorf("%s: refused localhost", k)
		}
		entries, _, _ := s.Log().Since(0)
		if len(entries) != 2 || entries[0].Status != http.StatusMisdirectedRequest || entries[0].Note == "" {
			t.Errorf("%s: log %+v", k, entries)
		}
	}
}

func TestCORSOnlyForListedOrigins(t *testing.T) {
	s := start(t, Config{Kind: Echo, CORSOrigins: []string{"http://localhost:3000"}})
	host := "Host: 127.0.0.1:" + strconv.Itoa(s.Port()) + "\r\n"
	resp := rawHTTP(t, s.Addr(), "GET / HTTP/1.1\r\n"+host+"Origin: http://evil.example\r\n\r\n")
	if v := resp.Header.Get("Access-Control-Allow-Origin"); v != "" {
		t.Errorf("unlisted origin got Allow-Origin %q", v)
	}
	resp = rawHTTP(t, s.Addr(), "OPTIONS /x HTTP/1.1\r\n"+host+"Origin: http://localhost:3000\r\nAccess-Control-Request-Method: PUT\r\n\r\n")
	if resp.StatusCode != http.StatusNoContent || resp.Header.Get("Access-Control-Allow-Origin") != "http://localhost:3000" {
		t.Errorf("preflight from a listed origin: %d %v", resp.StatusCode, resp.Header)
	}
	plain := start(t, Config{Kind: Echo})
	resp = rawHTTP(t, plain.Addr(), "GET / HTTP/1.1\r\nHost: localhost\r\nOrigin: http://localhost:3000\r\n\r\n")
	if v := resp.Header.Get("Access-Control-Allow-Origin"); v != "" {
		t.Errorf("a server without origins sent Allow-Origin %q", v)
	}
}

func TestOversizedBodyIsRefused(t *testing.T) {
	s := start(t, Config{Kind: Echo})
	c, err := net.Dial("tcp", s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: %d\r\n\r\n", MaxBodyBytes+1)
	go func() { // the server may answer before it has read it all
		chunk := make([]byte, 64<<10)
		for sent := 0; sent <= MaxBodyBytes; sent += len(chunk) {
			if _, err := c.Write(chunk); err != nil {
				return
			}
		}
	}()
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("a body over %d bytes got %d", MaxBodyBytes, resp.StatusCode)
	}
}

func TestSlowHeadersAreCutOff(t *testing.T) {
	old := readHeaderTimeout
	readHeaderTimeout = 300 * time.Millisecond
	t.Cleanup(func() { readHeaderTimeout = old })
	s := start(t, Config{Kind: Echo})
	c, err := net.Dial("tcp", s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: localhost\r\n")
	// Send one header byte at a time, never finishing: the server must
	// close the connection instead of waiting forever. The test's own
	// deadline is only a guard against a hang.
	c.SetDeadline(time.Now().Add(30 * time.Second))
	closed := make(chan error, 1)
	go func() {
		_, err := io.ReadAll(c)
		closed <- err
	}()
	for i := 0; ; i++ {
		select {
		case err := <-closed:
			// A close while we still write can reach us as a reset: closed
			// either way.
			if err != nil && !errors.Is(err, syscall.ECONNRESET) {
				t.Fatalf("the server did not close the slow connection: %v", err)
			}
			return
		case <-time.After(100 * time.Millisecond):
			if _, err := io.WriteString(c, "X"); err != nil {
				return // closed under us: what we wanted
			}
		}
	}
}

func TestCloseDrainsThenCuts(t *testing.T) {
	// A request that would take a minute must not keep the port.
	s := start(t, Config{Kind: API, Routes: []Route{{Method: "GET", Path: "/slow", Status: 200, DelayMS: 60000}}})
	done := make(chan error, 1)
	go func() {
		resp, err := http.Get(s.URL() + "slow")
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	waitFor(t, func() bool { return s.InFlight() == 1 })
	if s.InFlight() != 1 {
		t.Fatal("the slow request never reached the server")
	}
	s.Close()
	if !free("tcp", s.Port()) {
		t.Error("port still taken after Close with a request in progress")
	}
	<-done
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for i := 0; i < 250 && !cond(); i++ {
		time.Sleep(20 * time.Millisecond)
	}
}
