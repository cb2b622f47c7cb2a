package send

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"testing"
	"time"
)

func TestCurlText(t *testing.T) {
	tests := []struct {
		name string
		req  Request
		want string
	}{
		{"post json", Request{Method: "POST", URL: "http://127.0.0.1:8000/x",
			Headers: []Header{{"Content-Type", "application/json"}}, Body: []byte(`{"a":1}`)},
			`curl -i -X POST 'http://127.0.0.1:8000/x' -H 'Content-Type: application/json' --data-binary '{"a":1}'`},
		{"plain get", Request{Method: "GET", URL: "http://localhost/"}, `curl -i 'http://localhost/'`},
		{"head", Request{Method: "HEAD", URL: "https://localhost/", Insecure: true}, `curl -I -k 'https://localhost/'`},
		{"quotes", Request{Method: "PUT", URL: "http://h/it's", Body: []byte("it's")},
			`curl -i -X PUT 'http://h/it'\''s' --data-binary 'it'\''s'`},
		{"empty header", Request{URL: "http://h/", Headers: []Header{{"X-Empty", ""}}}, `curl -i 'http://h/' -H 'X-Empty;'`},
		{"binary", Request{Method: "POST", URL: "http://h/", Body: []byte("\xff'\\\x01a")}, `curl -i -X POST 'http://h/' --data-binary $'\xff\'\\\x01a'`},
		{"nul", Request{Method: "POST", URL: "http://h/", Body: []byte("a\x00%'\\")}, `curl -i -X POST 'http://h/' --data-binary @<(printf 'a\x00%%\x27\\')`},
		{"at sign", Request{Method: "POST", URL: "http://h/", Body: []byte("@/etc/passwd")}, `curl -i -X POST 'http://h/' --data-raw '@/etc/passwd'`},
		{"odd method", Request{Method: "M$", URL: "http://h/"}, `curl -i -X 'M$' 'http://h/'`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Curl(tt.req); got != tt.want {
				t.Errorf("Curl =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// seen is what the test server received.
type seen struct {
	method string
	header http.Header
	body   []byte
}

// TestCurlRoundTrip runs each command under bash against a server that
// records what arrives, and compares it with the request.
func TestCurlRoundTrip(t *testing.T) {
	curl, err := exec.LookPath("curl")
	if err != nil {
		t.Skip("curl is not installed")
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash is not installed")
	}
	got := make(chan seen, 1)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got <- seen{r.Method, r.Header, body}
	})
	plain := httptest.NewServer(h)
	defer plain.Close()
	secure := quietTLSServer(h)
	defer secure.Close()

	allBytes := make([]byte, 256)
	for i := range allBytes {
		allBytes[i] = byte(i)
	}
	tests := []struct {
		name string
		req  Request
	}{
		{"get", Request{URL: plain.URL + "/a?b=c"}},
		{"json with quotes", Request{Method: "POST", URL: plain.URL,
			Headers: []Header{{"Content-Type", "application/json"}, {"X-Note", `it's "quoted" $HOME`}},
			Body:    []byte("{\"name\": \"O'Brien\",\n \"cmd\": \"$(echo hi) `x` \\\\\"}\n")}},
		{"non-utf-8", Request{Method: "PUT", URL: plain.URL, Body: []byte("\xff\xfe'\\\x1b[31m\r\n")}},
		{"every byte", Request{Method: "POST", URL: plain.URL, Body: allBytes}},
		{"at sign", Request{Method: "POST", URL: plain.URL, Body: []byte("@/etc/hostname")}},
		{"empty header", Request{URL: plain.URL, Headers: []Header{{"X-Empty", ""}}}},
		{"get with body", Request{Method: "GET", URL: plain.URL, Body: []byte("q")}},
		{"delete", Request{Method: "DELETE", URL: plain.URL}},
		{"insecure https", Request{Method: "PATCH", URL: secure.URL, Insecure: true, Body: []byte("x=1")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			cmdline := Curl(tt.req)
			cmd := exec.CommandContext(ctx, bash, "--norc", "--noprofile", "-c", cmdline)
			// No proxy variables and no ~/.curlrc: only the command counts.
			cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("%s (%s):\n%s\n%v", cmdline, curl, out, err)
			}
			s := <-got
			method := tt.req.Method
			if method == "" {
				method = "GET"
			}
			if s.method != method {
				t.Errorf("method %q, want %q\n%s", s.method, method, cmdline)
			}
			if !bytes.Equal(s.body, tt.req.Body) {
				t.Errorf("body %q, want %q\n%s", s.body, tt.req.Body, cmdline)
			}
			for _, h := range tt.req.Headers {
				if v, ok := s.header[http.CanonicalHeaderKey(h.Name)]; !ok || v[0] != h.Value {
					t.Errorf("header %s = %q (present %v), want %q\n%s", h.Name, v, ok, h.Value, cmdline)
				}
			}
		})
	}
}
