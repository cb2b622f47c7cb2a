package serve

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/loopscope/loopscope/internal/safetext"
)

// EchoKeep is how much of a body, and of the raw bytes, the echo sends
// back. It reads the whole body (up to MaxBodyBytes) to count and hash
// it, but answers with at most this much of it: echoing 10 MiB back,
// escaped into JSON twice, would make a 120 MB answer and cost the
// server hundreds of MB for one request from anyone who can reach it.
const EchoKeep = 64 << 10

// echoRecordLimit is what the raw recorder keeps of a connection: the
// headers, the kept part of a body, and room for chunk framing.
const echoRecordLimit = MaxHeaderBytes + EchoKeep + 16<<10

// newEchoHandler answers every method and path with the request it
// received: JSON by default, a plain-text page for a browser. The echo has
// no settings; it takes the Config like the other handlers.
func newEchoHandler(Config) http.Handler { return http.HandlerFunc(serveEcho) }

// echoReply is the echo's answer: the request as net/http understood it,
// and the bytes as they arrived.
type echoReply struct {
	Method        string              `json:"method"`
	URL           string              `json:"url"` // the request-target as sent
	Path          string              `json:"path"`
	Query         map[string][]string `json:"query"`
	Proto         string              `json:"proto"`
	Host          string              `json:"host"`
	Remote        string              `json:"remote"`
	Headers       map[string][]string `json:"headers"`
	Trailers      map[string][]string `json:"trailers,omitempty"`
	Body          *string             `json:"body"` // nil when not UTF-8; at most EchoKeep bytes
	BodyBase64    string              `json:"body_base64,omitempty"`
	BodyBytes     int64               `json:"body_bytes"` // the whole body's size
	BodyTruncated bool                `json:"body_truncated"`
	BodySHA256    string              `json:"body_sha256,omitempty"` // of the whole body, when one came
	Raw           *string             `json:"raw"`                   // nil when not UTF-8
	RawBase64     string              `json:"raw_base64,omitempty"`
	RawTruncated  bool                `json:"raw_truncated"`
	Received      string              `json:"received"`
}

func serveEcho(w http.ResponseWriter, r *http.Request) {
	received := time.Now()
	body, err := readEchoBody(r)
	if err != nil {
		refuseEcho(w, r, err)
		return
	}
	raw, truncated := rawRequest(r)
	if body.size > EchoKeep {
		annotate(w, fmt.Sprintf("echoed the first %d KiB", EchoKeep>>10))
	} else if truncated {
		annotate(w, "raw bytes cut short")
	}
	reply := newEchoReply(r, body, raw, truncated, received)
	out, ctype := reply.json(), "application/json"
	if echoWantsText(r) {
		out, ctype = reply.text(raw), "text/plain; charset=utf-8"
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	h.Add("Vary", "Accept")
	h.Set("Content-Length", strconv.Itoa(len(out)))
	if r.Method == http.MethodHead {
		return // the headers say what a GET would get
	}
	w.Write(out)
}

// echoBody is what the echo keeps of a body: its start, its size and
// its hash.
type echoBody struct {
	kept []byte // the first EchoKeep bytes at most
	size int64
	sum  []byte // SHA-256 of all of it
}

// readEchoBody reads the whole body, keeping only its start. It refuses
// more than MaxBodyBytes itself too, so the echo stays bounded even
// without the server's http.MaxBytesReader.
func readEchoBody(r *http.Request) (echoBody, error) {
	var kept bytes.Buffer
	if r.ContentLength > 0 {
		kept.Grow(int(min(r.ContentLength, EchoKeep)))
	}
	h := sha256.New()
	keep := &limitedWriter{w: &kept, n: EchoKeep}
	n, err := io.Copy(io.MultiWriter(h, keep), io.LimitReader(r.Body, MaxBodyBytes+1))
	if err == nil && n > MaxBodyBytes {
		err = &http.MaxBytesError{Limit: MaxBodyBytes}
	}
	return echoBody{kept: kept.Bytes(), size: n, sum: h.Sum(nil)}, err
}

// limitedWriter keeps the first n bytes written to it and drops the rest,
// reporting every write as whole.
type limitedWriter struct {
	w io.Writer
	n int64
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	if l.n > 0 {
		k := min(int64(len(p)), l.n)
		if _, err := l.w.Write(p[:k]); err != nil {
			return 0, err
		}
		l.n -= k
	}
	return len(p), nil
}

// refuseEcho answers a request whose body could not be read.
func refuseEcho(w http.ResponseWriter, r *http.Request, err error) {
	code, note := http.StatusBadRequest, "unreadable body"
	msg := "Loopscope could not read the request body: " + safetext.Line(err.Error(), 200)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		code, note = http.StatusRequestEntityTooLarge, "body over 10 MiB"
		msg = "The request body is over 10 MiB, the most this echo server reads."
	}
	annotate(w, note)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	io.WriteString(w, msg+"\n")
}

func newEchoReply(r *http.Request, body echoBody, raw []byte, truncated bool, received time.Time) *echoReply {
	if len(raw) > EchoKeep+MaxHeaderBytes {
		raw, truncated = raw[:EchoKeep+MaxHeaderBytes], true
	}
	e := &echoReply{
		Method: r.Method, URL: r.RequestURI, Path: r.URL.Path, Query: r.URL.Query(),
		Proto: r.Proto, Host: r.Host, Remote: r.RemoteAddr, Headers: r.Header,
		BodyBytes: body.size, BodyTruncated: body.size > int64(len(body.kept)),
		RawTruncated: truncated || body.size > int64(len(body.kept)),
		Received:     received.Format(time.RFC3339Nano),
	}
	if body.size > 0 {
		e.BodySHA256 = hex.EncodeToString(body.sum)
	}
	if e.Headers == nil {
		e.Headers = http.Header{}
	}
	for name, values := range r.Trailer {
		if len(values) > 0 { // declared in Trailer: but never sent
			if e.Trailers == nil {
				e.Trailers = map[string][]string{}
			}
			e.Trailers[name] = values
		}
	}
	e.Body, e.BodyBase64 = echoString(body.kept)
	e.Raw, e.RawBase64 = echoString(raw)
	return e
}

// echoString is b as a JSON string when it is UTF-8 text, else in base64:
// JSON would replace invalid bytes, and the echo must keep them.
func echoString(b []byte) (*string, string) {
	if utf8.Valid(b) {
		s := string(b)
		return &s, ""
	}
	return nil, base64.StdEncoding.EncodeToString(b)
}

func (e *echoReply) json() []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // served as JSON with nosniff; keep it readable
	enc.SetIndent("", "  ")
	if err := enc.Encode(e); err != nil {
		return []byte(`{"error": "the echo could not be encoded"}` + "\n")
	}
	return b.Bytes()
}

// text is the page for a browser: plain text, never HTML, because every
// byte of it came from the client. Whatever came from outside goes
// through safetext, so it can neither run as markup nor pose as our text.
func (e *echoReply) text(raw []byte) []byte {
	var b bytes.Buffer
	b.WriteString("Loopscope HTTP echo: the request as it arrived\n\n")
	fmt.Fprintf(&b, "Method:   %s\n", safetext.Line(e.Method, 64))
	fmt.Fprintf(&b, "Path:     %s\n", safetext.Line(e.Path, 400))
	fmt.Fprintf(&b, "Host:     %s\n", safetext.Line(e.Host, 200))
	fmt.Fprintf(&b, "From:     %s\n", safetext.Line(e.Remote, 64))
	fmt.Fprintf(&b, "Received: %s\n", e.Received)
	fmt.Fprintf(&b, "Body:     %s\n", echoBodySummary(e))
	fmt.Fprintf(&b, "Headers:  %d\n", echoCount(e.Headers))
	for _, name := range slices.Sorted(maps.Keys(e.Headers)) {
		for _, v := range e.Headers[name] {
			fmt.Fprintf(&b, "  %s: %s\n", safetext.Line(name, 100), safetext.Line(v, 400))
		}
	}
	fmt.Fprintf(&b, "\nThe %d bytes as they arrived", len(raw))
	if e.RawTruncated {
		b.WriteString(" (cut short: Loopscope did not keep all of them)")
	}
	b.WriteString(". Line breaks are kept; other control bytes and invalid UTF-8 are shown escaped, like \\x1b.\n\n")
	echoWriteRaw(&b, raw)
	return b.Bytes()
}

func echoBodySummary(e *echoReply) string {
	switch {
	case e.BodyBytes == 0:
		return "none"
	case e.BodyTruncated:
		return fmt.Sprintf("%d bytes (SHA-256 %s); the first %d KiB are below", e.BodyBytes, e.BodySHA256, EchoKeep>>10)
	case e.Body == nil:
		return fmt.Sprintf("%d bytes, not UTF-8 text", e.BodyBytes)
	}
	return fmt.Sprintf("%d bytes", e.BodyBytes)
}

func echoCount(h map[string][]string) int {
	n := 0
	for _, v := range h {
		n += len(v)
	}
	return n
}

// echoWriteRaw writes raw line by line, CRLF and LF both as a line break,
// every line escaped.
func echoWriteRaw(b *bytes.Buffer, raw []byte) {
	for len(raw) > 0 {
		line, rest, found := bytes.Cut(raw, []byte("\n"))
		if found {
			line = bytes.TrimSuffix(line, []byte("\r"))
		}
		b.WriteString(safetext.Escape(string(line)))
		b.WriteByte('\n')
		raw = rest
	}
}

// echoWantsText reports whether the client asked for the text page:
// ?format=text, or an Accept that prefers HTML to JSON, as a browser's
// does. ?format=json forces JSON.
func echoWantsText(r *http.Request) bool {
	switch r.URL.Query().Get("format") {
	case "text":
		return true
	case "json":
		return false
	}
	accept := r.Header.Values("Accept")
	return acceptWeight(accept, "text/html") > acceptWeight(accept, "application/json")
}

// acceptWeight is the q that Accept gives mediaType: that of the most
// specific range matching it ("text/html", then "text/*", then "*/*"),
// or 0 when none does.
func acceptWeight(accept []string, mediaType string) float64 {
	typ, _, _ := strings.Cut(mediaType, "/")
	best, q := -1, 0.0
	for _, field := range accept {
		for part := range strings.SplitSeq(field, ",") {
			rng, params, _ := strings.Cut(part, ";")
			spec := -1
			switch strings.ToLower(strings.TrimSpace(rng)) {
			case mediaType:
				spec = 2
			case typ + "/*":
				spec = 1
			case "*/*":
				spec = 0
			}
			if spec > best {
				best, q = spec, acceptQ(params)
			}
		}
	}
	return q
}

// acceptQ reads q from a media range's parameters ("q=0.8;level=1").
func acceptQ(params string) float64 {
	for p := range strings.SplitSeq(params, ";") {
		k, v, _ := strings.Cut(p, "=")
		if strings.TrimSpace(k) == "q" {
			q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil || !(q >= 0 && q <= 1) { // NaN too
				return 0
			}
			return q
		}
	}
	return 1
}
