package serve

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"
)

// apiProbe is a mock API on real loopback that tells the test when each
// handler starts and, with its note, when it returns.
type apiProbe struct {
	srv     *httptest.Server
	started chan string // the request's path, as the handler begins
	done    chan string // the handler's note, as it returns
}

func newAPIProbe(t *testing.T, routes []Route) *apiProbe {
	t.Helper()
	h, err := newAPIHandler(routes)
	if err != nil {
		t.Fatal(err)
	}
	p := &apiProbe{started: make(chan string, 64), done: make(chan string, 64)}
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w, note := withNote(w)
		trySend(p.started, r.URL.Path)
		defer func() { trySend(p.done, note.get()) }()
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(p.srv.Close)
	return p
}

// trySend never blocks a handler on a test that does not read.
func trySend(ch chan string, s string) {
	select {
	case ch <- s:
	default:
	}
}

// do sends one request and returns the response with its body read.
func (p *apiProbe) do(t *testing.T, method, path string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, p.srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := p.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// tagged is a route that says which it is in an X-Route header, so even
// a HEAD answer shows who gave it.
func tagged(method, path, tag string) Route {
	return Route{Method: method, Path: path, Headers: map[string]string{"X-Route": tag}, Body: json.RawMessage(`{"ok": true}`)}
}

func TestAPIMatchingPrecedence(t *testing.T) {
	p := newAPIProbe(t, []Route{
		tagged("GET", "/api/*", "rest"),
		tagged("GET", "/api/users/:id", "param"),
		tagged("GET", "/api/users/me", "literal"),
		tagged("*", "/api/users/:id", "any"),
		tagged("POST", "/api/users/:id", "post"),
		tagged("GET", "/api/users/:id/posts/:post", "nested"),
		tagged("GET", "/h", "get"),
		tagged("HEAD", "/h", "head"),
	})
	tests := []struct{ method, path, want string }{
		{"GET", "/api/users/me", "literal"},       // a literal beats a parameter
		{"GET", "/api/users/7", "param"},          // a parameter beats a rest
		{"GET", "/api/users/7/posts/9", "nested"}, // a literal "users" beats the rest
		{"GET", "/api/other/x/y", "rest"},
		{"GET", "/api/", "rest"}, // a rest may be empty
		{"DELETE", "/api/users/7", "any"},
		{"POST", "/api/users/7", "post"}, // an exact method beats "*"
		{"POST", "/api/users/me", "post"},
		{"HEAD", "/api/users/7", "param"}, // GET answers HEAD before "*" does
		{"HEAD", "/h", "head"},
		{"GET", "/h", "get"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			resp, _ := p.do(t, tt.method, tt.path)
			if got := resp.Header.Get("X-Route"); resp.StatusCode != 200 || got != tt.want {
				t.Errorf("answered by %q with %d, want %q", got, resp.StatusCode, tt.want)
			}
		})
	}
}

func TestAPIParamsAreEscapedIntoJSON(t *testing.T) {
	p := newAPIProbe(t, []Route{{Path: "/echo/:v", Body: json.RawMessage(`{"v": "{{v}}", "twice": "<{{v}}>"}`)}})
	tests := []struct{ name, value, want string }{
		{"quotes", `say "hi"`, `say "hi"`},
		{"backslashes", `C:\temp\`, `C:\temp\`},
		{"unicode", "ünï 😀 \u2028", "ünï 😀 \u2028"},
		{"script", `</script><script>alert(1)</script>`, `</script><script>alert(1)</script>`},
		{"slash", "a/b", "a/b"},
		{"controls", "tab\tnul\x00", "tab\tnul\x00"},
		{"template", "{{v}}", "{{v}}"},
		{"invalid UTF-8", "\xff", "\uFFFD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := p.do(t, "GET", "/echo/"+url.PathEscape(tt.value))
			if resp.StatusCode != 200 || !json.Valid(body) {
				t.Fatalf("%d, body not valid JSON: %s", resp.StatusCode, body)
			}
			var got struct{ V, Twice string }
			json.Unmarshal(body, &got)
			if got.V != tt.want || got.Twice != "<"+tt.want+">" {
				t.Errorf("v = %q, twice = %q, want %q", got.V, got.Twice, tt.want)
			}
			if strings.Contains(string(body), "</script>") {
				t.Errorf("body holds a raw </script>: %s", body)
			}
		})
	}
}

func TestAPIStringBodies(t *testing.T) {
	p := newAPIProbe(t, []Route{
		{Path: "/plain/:n", Headers: map[string]string{"Content-Type": "text/plain; charset=utf-8"}, Body: json.RawMessage(`"Hello, {{n}}!\n"`)},
		{Path: "/html/:n", Headers: map[string]string{"Content-Type": "text/html"}, Body: json.RawMessage(`"<p>Hello, {{n}}</p>"`)},
		{Path: "/json/:n", Body: json.RawMessage(`"Hello, {{n}}"`)},
	})
	tests := []struct{ path, wantType, wantBody string }{
		{"/plain/" + url.PathEscape("<b>Bob</b>"), "text/plain; charset=utf-8", "Hello, <b>Bob</b>!\n"},
		{"/html/" + url.PathEscape("<b>Bob</b>"), "text/html", "<p>Hello, &lt;b&gt;Bob&lt;/b&gt;</p>"},
		{"/json/Bob", "application/json", `"Hello, Bob"`},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, body := p.do(t, "GET", tt.path)
			if ct := resp.Header.Get("Content-Type"); ct != tt.wantType || string(body) != tt.wantBody {
				t.Errorf("got %q %q, want %q %q", ct, body, tt.wantType, tt.wantBody)
			}
		})
	}
}

func TestAPINoRouteIs404WithTheRoutes(t *testing.T) {
	p := newAPIProbe(t, []Route{{Path: "/api/hello"}, {Method: "POST", Path: "/api/users"}})
	resp, body := p.do(t, "GET", "/x")
	var got struct {
		Error  string
		Routes []string
	}
	if err := json.Unmarshal(body, &got); err != nil || resp.StatusCode != 404 {
		t.Fatalf("%d %s: %v", resp.StatusCode, body, err)
	}
	want := []string{"GET /api/hello", "POST /api/users"}
	if got.Error != "no route for GET /x" || !reflect.DeepEqual(got.Routes, want) {
		t.Errorf("got %+v", got)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	if note := <-p.done; note != "no route" {
		t.Errorf("note %q", note)
	}
}

func TestAPIWrongMethodIs405WithAllow(t *testing.T) {
	p := newAPIProbe(t, []Route{{Path: "/a"}, {Method: "DELETE", Path: "/a"}, {Method: "PUT", Path: "/b/:id"}})
	tests := []struct{ method, path, allow string }{
		{"POST", "/a", "GET, DELETE, HEAD"},
		{"GET", "/b/1", "PUT"},
		{"HEAD", "/b/1", "PUT"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			resp, body := p.do(t, tt.method, tt.path)
			if resp.StatusCode != 405 || resp.Header.Get("Allow") != tt.allow {
				t.Fatalf("%d, Allow %q, want 405, %q", resp.StatusCode, resp.Header.Get("Allow"), tt.allow)
			}
			if tt.method == "HEAD" {
				return
			}
			var got struct {
				Error string
				Allow []string
			}
			if err := json.Unmarshal(body, &got); err != nil || !strings.Contains(got.Error, tt.method+" is not allowed") {
				t.Errorf("body %s: %v", body, err)
			}
			if strings.Join(got.Allow, ", ") != tt.allow {
				t.Errorf("body allow %v", got.Allow)
			}
		})
	}
}

func TestAPIHeadAnswersLikeGetWithoutABody(t *testing.T) {
	p := newAPIProbe(t, DefaultRoutes())
	get, getBody := p.do(t, "GET", "/api/hello")
	head, headBody := p.do(t, "HEAD", "/api/hello")
	if head.StatusCode != 200 || len(headBody) != 0 {
		t.Fatalf("HEAD: %d with %d bytes", head.StatusCode, len(headBody))
	}
	if head.ContentLength != int64(len(getBody)) || head.Header.Get("Content-Type") != get.Header.Get("Content-Type") {
		t.Errorf("HEAD length %d type %q, GET %d %q", head.ContentLength, head.Header.Get("Content-Type"), len(getBody), get.Header.Get("Content-Type"))
	}
}

func TestAPIDelayEndsWhenTheClientLeaves(t *testing.T) {
	p := newAPIProbe(t, []Route{{Path: "/slow", DelayMS: maxDelayMS}})
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", p.srv.URL+"/slow", nil)
	errc := make(chan error, 1)
	go func() {
		resp, err := p.srv.Client().Do(req)
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	<-p.started
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Errorf("client: %v", err)
	}
	// A guard, not a measure: the delay is a minute, so a handler that
	// returns at all stopped waiting because the client left.
	select {
	case note := <-p.done:
		if !strings.Contains(note, "gone before the 60000 ms delay ended") {
			t.Errorf("note %q", note)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the handler still waits for a client that left")
	}
}

func TestDefaultRoutesAnswerAsDeclared(t *testing.T) {
	p := newAPIProbe(t, nil) // none means the defaults
	for _, r := range DefaultRoutes() {
		t.Run(r.String(), func(t *testing.T) {
			t.Parallel() // /api/slow takes its 1.5 s alongside the others
			resp, body := p.do(t, r.Method, strings.ReplaceAll(r.Path, ":id", "42"))
			if resp.StatusCode != r.Status || resp.Header.Get("Content-Type") != "application/json" || !json.Valid(body) {
				t.Fatalf("%d %q %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
			}
			for k, v := range r.Headers {
				if resp.Header.Get(k) != v {
					t.Errorf("%s: %q, want %q", k, resp.Header.Get(k), v)
				}
			}
			if strings.Contains(r.Path, ":id") && !strings.Contains(string(body), `"42"`) {
				t.Errorf("body does not use the id: %s", body)
			}
		})
	}
}

func TestNewAPIHandlerChecksRoutesFromCode(t *testing.T) {
	tests := []struct {
		name   string
		routes []Route
		want   []string
	}{
		{"duplicate", []Route{{Path: "/a"}, {Method: "get", Path: "/a"}}, []string{"serve: route 2 (GET /a)", "route 1 (GET /a)"}},
		{"bad path", []Route{{Path: "/a"}, {Path: "a/:"}}, []string{`route 2 (GET a/:): "path"`}},
		{"bad body", []Route{{Path: "/a", Body: json.RawMessage("{")}}, []string{`route 1 (GET /a): "body" is not valid JSON`}},
		{"bad status", []Route{{Path: "/a", Status: 99}}, []string{`route 1 (GET /a): "status" 99`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := newAPIHandler(tt.routes)
			for _, w := range tt.want {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("error %v does not contain %q", err, w)
				}
			}
		})
	}
}

func TestAPIRouteFromCodeGetsDefaults(t *testing.T) {
	p := newAPIProbe(t, []Route{{Method: "post", Path: "/made"}})
	resp, body := p.do(t, "POST", "/made")
	if resp.StatusCode != 200 || len(body) != 0 || resp.Header.Get("Content-Type") != "" {
		t.Errorf("%d %q %q: want 200, no body and no type", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	if note := <-p.done; note != "route POST /made" {
		t.Errorf("note %q", note)
	}
}
