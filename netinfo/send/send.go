// Package send sends one HTTP request and reports everything a learner
// wants to see about it: the status and headers in the order they arrived,
// the body, the exact bytes that went over the wire in both directions, and
// how long each step took (DNS, connect, TLS, send, wait, transfer).
//
// It is the engine of the "Send a request" panel: one request, no
// connection reuse, no proxy, no redirects followed, no compression, so
// what is shown is what happened between Loopscope and the server.
package send

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"time"
)

const (
	// MaxBody is how much of a response body Do reads; the rest is left
	// unread and Response.Truncated is set.
	MaxBody = 10 << 20
	// MaxRaw is how many bytes of the raw request and of the raw response
	// are kept; Response.RawTruncated says when either was cut.
	MaxRaw = 1 << 20
	// DefaultTimeout is used when Request.Timeout is zero or negative.
	DefaultTimeout = 30 * time.Second
	// UserAgent is sent when the request has no User-Agent header of its
	// own (Go would send "Go-http-client/1.1").
	UserAgent = "Loopscope/0.1"
)

// Header is one header line, kept in order and with its name as written.
type Header struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Request is what the user asked to send. It is stored in the history, so
// it has JSON tags.
//
// A Host header sets the Host of the request. Content-Length and
// Transfer-Encoding headers are computed from Body and those given here are
// not sent.
type Request struct {
	Method  string   `json:"method"`
	URL     string   `json:"url"`
	Headers []Header `json:"headers,omitempty"`
	Body    []byte   `json:"body,omitempty"`
	// Insecure skips TLS certificate checks, for local self-signed
	// certificates.
	Insecure bool `json:"insecure,omitempty"`
	// Timeout bounds the whole exchange; 0 means DefaultTimeout.
	Timeout time.Duration `json:"timeout,omitempty"`
}

// Response is what came back, and how.
type Response struct {
	Status     string // "200 OK"
	StatusCode int    // 200
	Proto      string // "HTTP/1.1"
	// Headers are in the order they arrived, names as the server wrote
	// them. When the raw response was cut they come from http.Header
	// instead, sorted by name.
	Headers     []Header
	Body        []byte
	Truncated   bool // the body was longer than MaxBody and was cut
	ContentType string
	Timings     Timings
	// RawRequest and RawResponse are the bytes written to and read from
	// the connection (after TLS decryption for https), up to MaxRaw each.
	RawRequest   []byte
	RawResponse  []byte
	RawTruncated bool
	Remote       string // ip:port connected to
	// TLS describes the connection for https, like "TLS 1.3,
	// TLS_AES_128_GCM_SHA256"; empty for http.
	TLS string
}

// Do sends req once and reads the answer. Errors say what happened and what
// to do (see Error); a canceled ctx returns an error wrapping ctx.Err().
func Do(ctx context.Context, req Request) (*Response, error) {
	u, err := validate(req)
	if err != nil {
		return nil, err
	}
	hreq, err := buildRequest(req, u)
	if err != nil {
		return nil, err
	}
	timeout := req.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	tctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	clock := newClock()
	wire := &wire{sent: tap{limit: MaxRaw}, recv: tap{limit: MaxRaw}}
	client := &http.Client{
		Transport: newTransport(req, wire, clock),
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
	hreq = hreq.WithContext(httptrace.WithClientTrace(tctx, clock.trace()))

	clock.begin()
	hres, err := client.Do(hreq)
	if err != nil {
		got, _ := wire.recv.bytes()
		return nil, explain(ctx, tctx, err, u, timeout, clock, got)
	}
	defer hres.Body.Close()
	body, truncated, err := readBody(hres.Body)
	clock.end()
	if err != nil {
		return nil, explain(ctx, tctx, err, u, timeout, clock, nil)
	}
	hres.Body.Close() // closes the connection, so the raw taps are final

	res := &Response{
		Status:      statusText(hres),
		StatusCode:  hres.StatusCode,
		Proto:       hres.Proto,
		Body:        body,
		Truncated:   truncated,
		ContentType: hres.Header.Get("Content-Type"),
		Timings:     clock.timings(),
		Remote:      clock.remote(),
		TLS:         wire.tlsInfo(),
	}
	res.RawRequest, res.RawTruncated = wire.sent.bytes()
	var cut bool
	res.RawResponse, cut = wire.recv.bytes()
	res.RawTruncated = res.RawTruncated || cut
	res.Headers = responseHeaders(res.RawResponse, cut, hres.Header)
	return res, nil
}

// validate checks the method and the URL and returns the parsed URL.
func validate(req Request) (*url.URL, error) {
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	if !validToken(method) {
		return nil, &Error{Kind: ErrInvalid, Msg: fmt.Sprintf(
			"%q is not a valid method: use letters only, like GET or POST", method)}
	}
	const like = "the URL needs to start with http:// or https://, like http://127.0.0.1:8000/"
	raw := strings.TrimSpace(req.URL)
	u, err := url.Parse(raw)
	if err != nil {
		if !strings.Contains(raw, "://") {
			return nil, &Error{Kind: ErrInvalid, Msg: like, Err: err}
		}
		return nil, &Error{Kind: ErrInvalid, Msg: "the URL is not valid: " + urlReason(err), Err: err}
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, &Error{Kind: ErrInvalid, Msg: like}
	}
	if u.Host == "" || u.Hostname() == "" {
		return nil, &Error{Kind: ErrInvalid, Msg: "the URL has no host: write it like http://127.0.0.1:8000/"}
	}
	return u, nil
}

// urlReason is the part of a url.Parse error after the quoted URL.
func urlReason(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}

// buildRequest makes the http.Request for req, with the user's headers and
// Loopscope's User-Agent unless the user gave one.
func buildRequest(req Request, u *url.URL) (*http.Request, error) {
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	var body io.Reader
	if len(req.Body) > 0 {
		body = bytes.NewReader(req.Body)
	}
	hreq, err := http.NewRequest(method, u.String(), body)
	if err != nil {
		return nil, &Error{Kind: ErrInvalid, Msg: "cannot build the request: " + err.Error(), Err: err}
	}
	for i, h := range req.Headers {
		if err := checkHeader(h.Name, h.Value); err != nil {
			return nil, &Error{Kind: ErrInvalid, Msg: fmt.Sprintf("header %d: %s", i+1, err), Err: err}
		}
		if strings.EqualFold(h.Name, "Host") {
			hreq.Host = h.Value
			continue
		}
		hreq.Header[h.Name] = append(hreq.Header[h.Name], h.Value)
	}
	if !hasHeader(req.Headers, "User-Agent") {
		hreq.Header.Set("User-Agent", UserAgent)
	}
	return hreq, nil
}

func hasHeader(hs []Header, name string) bool {
	for _, h := range hs {
		if strings.EqualFold(h.Name, name) {
			return true
		}
	}
	return false
}

// newTransport makes a one-shot transport: no proxy, no keep-alive, no
// compression, HTTP/1.1 only, dialing through the recording wire.
func newTransport(req Request, w *wire, c *clock) *http.Transport {
	return &http.Transport{
		Proxy:              nil, // never route local requests through HTTP_PROXY
		DisableKeepAlives:  true,
		DisableCompression: true, // the raw bytes are what was sent
		ForceAttemptHTTP2:  false,
		TLSNextProto:       map[string]func(string, *tls.Conn) http.RoundTripper{},
		DialContext:        w.dial,
		DialTLSContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			return w.dialTLS(ctx, network, addr, req.Insecure, c)
		},
	}
}

// readBody reads up to MaxBody bytes and says whether there was more.
func readBody(r io.Reader) ([]byte, bool, error) {
	body, err := io.ReadAll(io.LimitReader(r, MaxBody+1))
	if len(body) > MaxBody {
		return body[:MaxBody], true, nil
	}
	return body, false, err
}

// statusText is "200 OK", without the protocol.
func statusText(r *http.Response) string {
	if r.Status != "" {
		return r.Status
	}
	return fmt.Sprintf("%d %s", r.StatusCode, http.StatusText(r.StatusCode))
}
