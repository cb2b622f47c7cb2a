package send

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

// quietTLSServer is httptest.NewTLSServer without the handshake errors
// that failing clients make it log.
func quietTLSServer(h http.Handler) *httptest.Server {
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	return srv
}

func TestDoHTTPS(t *testing.T) {
	srv := quietTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, "secret "+r.Proto)
	}))
	defer srv.Close()

	_, err := Do(context.Background(), Request{URL: srv.URL + "/hello"})
	if !errors.Is(err, ErrUntrusted) || !strings.Contains(err.Error(), "turn on Skip certificate check for a local self-signed certificate") {
		t.Errorf("without Insecure: err = %v, want ErrUntrusted with the advice", err)
	}

	res, err := Do(context.Background(), Request{URL: srv.URL + "/hello", Insecure: true})
	if err != nil {
		t.Fatalf("with Insecure: %v", err)
	}
	if res.StatusCode != 200 || string(res.Body) != "secret HTTP/1.1" {
		t.Errorf("got %d %q", res.StatusCode, res.Body)
	}
	if res.Timings.TLS <= 0 || res.Timings.Connect <= 0 {
		t.Errorf("TLS = %v, Connect = %v, want both > 0", res.Timings.TLS, res.Timings.Connect)
	}
	if !strings.HasPrefix(res.TLS, "TLS 1.") {
		t.Errorf("TLS = %q", res.TLS)
	}
	// The recording is of the plaintext inside TLS.
	if !bytes.HasPrefix(res.RawRequest, []byte("GET /hello HTTP/1.1\r\n")) {
		t.Errorf("RawRequest is not readable HTTP: %q", res.RawRequest)
	}
	if !bytes.HasPrefix(res.RawResponse, []byte("HTTP/1.1 200 OK\r\n")) || !bytes.HasSuffix(res.RawResponse, []byte("secret HTTP/1.1")) {
		t.Errorf("RawResponse is not readable HTTP: %q", res.RawResponse)
	}
}

func TestDoHTTPSToPlainPort(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	_, err := Do(context.Background(), Request{URL: strings.Replace(srv.URL, "http://", "https://", 1)})
	if !errors.Is(err, ErrNotTLS) || !strings.Contains(err.Error(), "plain HTTP") || !strings.Contains(err.Error(), "use http://") {
		t.Errorf("err = %v, want ErrNotTLS saying plain HTTP and use http://", err)
	}
}

func TestDoDoesNotFollowRedirects(t *testing.T) {
	var followed atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/old", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/new", http.StatusFound) })
	mux.HandleFunc("/new", func(w http.ResponseWriter, r *http.Request) { followed.Add(1) })
	srv := httptest.NewServer(mux)
	defer srv.Close()

	res, err := Do(context.Background(), Request{URL: srv.URL + "/old"})
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusFound || res.Status != "302 Found" {
		t.Errorf("status = %q, want 302 Found", res.Status)
	}
	if !hasHeaderValue(res.Headers, "Location", "/new") {
		t.Errorf("headers %q lack Location: /new", res.Headers)
	}
	if n := followed.Load(); n != 0 {
		t.Errorf("the redirect was followed %d times", n)
	}
}

func hasHeaderValue(hs []Header, name, value string) bool {
	for _, h := range hs {
		if h.Name == name && h.Value == value {
			return true
		}
	}
	return false
}

func TestDoBodyCap(t *testing.T) {
	chunk := bytes.Repeat([]byte("0123456789abcdef"), 4096) // 64 KiB
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		if r.URL.Path == "/exact" {
			w.Header().Set("Content-Length", strconv.Itoa(MaxBody))
			for range MaxBody / len(chunk) {
				w.Write(chunk)
			}
			return
		}
		for range 11 << 20 / len(chunk) { // 11 MiB, chunked
			if _, err := w.Write(chunk); err != nil {
				return // the client stopped reading
			}
		}
	}))
	defer srv.Close()

	res, err := Do(context.Background(), Request{URL: srv.URL + "/stream"})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Truncated || len(res.Body) != MaxBody {
		t.Errorf("Truncated=%v with %d bytes, want true with %d", res.Truncated, len(res.Body), MaxBody)
	}
	if !bytes.Equal(res.Body[:len(chunk)], chunk) {
		t.Errorf("the body does not start with what the server sent")
	}
	if !res.RawTruncated || len(res.RawResponse) != MaxRaw {
		t.Errorf("RawTruncated=%v with %d raw bytes, want true with %d", res.RawTruncated, len(res.RawResponse), MaxRaw)
	}
	// The raw bytes were cut, so the headers come from http.Header.
	if !hasHeaderValue(res.Headers, "Content-Type", "application/octet-stream") {
		t.Errorf("headers %q lack Content-Type", res.Headers)
	}

	res, err = Do(context.Background(), Request{URL: srv.URL + "/exact"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Truncated || len(res.Body) != MaxBody {
		t.Errorf("a body of exactly MaxBody: Truncated=%v with %d bytes", res.Truncated, len(res.Body))
	}
}
