package serve

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// outsideSecret is what the file outside the served folder holds; no
// response may ever contain it.
const outsideSecret = "OUTSIDE-SECRET-7f3a9c"

// filesTestTree builds base/{secret, outdir/secret.txt} and the served folder
// base/www, and returns base and www.
func filesTestTree(t testing.TB) (base, www string) {
	t.Helper()
	base = t.TempDir()
	www = filepath.Join(base, "www")
	writeFilesTree(t, base, map[string]string{
		"secret":            outsideSecret,
		"outdir/secret.txt": outsideSecret,
	})
	writeFilesTree(t, www, map[string]string{
		"hello.txt":                "hello, world\n",
		"sub/a.txt":                "file a",
		"site/index.html":          "<h1>site</h1>",
		"style.css":                "body{}",
		"app.js":                   "let x = 1",
		"data.json":                `{"a":1}`,
		"pic.svg":                  `<svg xmlns="http://www.w3.org/2000/svg"/>`,
		"pic.png":                  "\x89PNG\r\n\x1a\n",
		"mod.wasm":                 "\x00asm\x01\x00\x00\x00",
		".env":                     "ENV-SECRET",
		".git/config":              "GIT-SECRET",
		"sub/.ssh/known_hosts":     "SSH-SECRET",
		"id_rsa":                   "KEY-SECRET",
		"id_rsa.pub":               "ssh-rsa AAAA public",
		"server.pem":               "PEM-SECRET",
		"vault.kdbx":               "KDBX-SECRET",
		"hidden-index/.index.html": "nope",
		"hidden-index/index.html":  "INDEX-SECRET",
	})
	// index.html in hidden-index is a link to a dotfile: it must not be served.
	os.Remove(filepath.Join(www, "hidden-index/index.html"))
	mustSymlink(t, ".index.html", filepath.Join(www, "hidden-index/index.html"))
	mustSymlink(t, "hello.txt", filepath.Join(www, "link-in.txt"))
	mustSymlink(t, "sub", filepath.Join(www, "link-dir"))
	mustSymlink(t, "../hello.txt", filepath.Join(www, "sub/up.txt"))
	mustSymlink(t, filepath.Join(base, "secret"), filepath.Join(www, "out-abs"))
	mustSymlink(t, "../secret", filepath.Join(www, "out-rel"))
	mustSymlink(t, filepath.Join(base, "outdir"), filepath.Join(www, "outdir-abs"))
	mustSymlink(t, "../outdir", filepath.Join(www, "outdir-rel"))
	mustSymlink(t, "sub/../../secret", filepath.Join(www, "out-deep"))
	mustSymlink(t, filepath.Join(www, "hello.txt"), filepath.Join(www, "abs-in.txt"))
	mustSymlink(t, ".env", filepath.Join(www, "link-env"))
	mustSymlink(t, ".git", filepath.Join(www, "link-git"))
	mustSymlink(t, "loop", filepath.Join(www, "loop"))
	mustSymlink(t, "nowhere", filepath.Join(www, "dangling"))
	return base, www
}

func writeFilesTree(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func mustSymlink(t testing.TB, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

// filesTestServer serves h on a real socket and remembers the note its last
// request left.
type filesTestServer struct {
	*httptest.Server
	mu   sync.Mutex // guards last
	last *entryNote
}

func startFiles(t *testing.T, cfg Config) *filesTestServer {
	t.Helper()
	h, err := newFilesHandler(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s := &filesTestServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w, n := withNote(w)
		s.mu.Lock()
		s.last = n // before serving: the note is left before the answer
		s.mu.Unlock()
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(func() {
		s.Close()
		if err := h.(io.Closer).Close(); err != nil {
			t.Errorf("close handler: %v", err)
		}
	})
	return s
}

func (s *filesTestServer) note() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.last == nil {
		return ""
	}
	return s.last.get()
}

// do sends one request without following redirects.
func (s *filesTestServer) do(t *testing.T, method, path string, header http.Header) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(body)
}

func TestFilesServesFiles(t *testing.T) {
	_, www := filesTestTree(t)
	s := startFiles(t, Config{Dir: www})
	tests := []struct {
		name, path, wantType, wantBody, wantNote string
	}{
		{"text", "/hello.txt", "text/plain; charset=utf-8", "hello, world\n", ""},
		{"css", "/style.css", "text/css", "body{}", ""},
		{"js", "/app.js", "text/javascript", "let x = 1", ""},
		{"json", "/data.json", "application/json", `{"a":1}`, ""},
		{"svg", "/pic.svg", "image/svg+xml", "<svg", ""},
		{"png", "/pic.png", "image/png", "PNG", ""},
		{"wasm", "/mod.wasm", "application/wasm", "asm", ""},
		{"index.html", "/site/", "text/html", "<h1>site</h1>", "index.html"},
		{"nested", "/sub/a.txt", "text/plain", "file a", ""},
		{"double slash", "//sub//a.txt", "text/plain", "file a", ""},
		{"dot segment", "/./sub/./a.txt", "text/plain", "file a", ""},
		{"encoded name", "/%68ello.txt", "text/plain", "hello", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := s.do(t, "GET", tt.path, nil)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d, want 200; body %q", resp.StatusCode, body)
			}
			if got := resp.Header.Get("Content-Type"); !strings.HasPrefix(got, tt.wantType) {
				t.Errorf("Content-Type %q, want %q", got, tt.wantType)
			}
			if !strings.Contains(body, tt.wantBody) {
				t.Errorf("body %q, want it to contain %q", body, tt.wantBody)
			}
			if got := s.note(); got != tt.wantNote {
				t.Errorf("note %q, want %q", got, tt.wantNote)
			}
		})
	}
}

func TestFilesHTTPFeatures(t *testing.T) {
	_, www := filesTestTree(t)
	s := startFiles(t, Config{Dir: www})
	_, _ = s.do(t, "GET", "/hello.txt", nil)
	first, _ := s.do(t, "GET", "/hello.txt", nil)
	lastMod := first.Header.Get("Last-Modified")
	if lastMod == "" {
		t.Fatal("no Last-Modified header")
	}
	tests := []struct {
		name, method, path string
		header             http.Header
		wantStatus         int
		wantBody           string
		wantHeader         [2]string // name, exact value
	}{
		{"range", "GET", "/hello.txt", http.Header{"Range": {"bytes=0-4"}}, http.StatusPartialContent, "hello", [2]string{"Content-Range", "bytes 0-4/13"}},
		{"if-modified-since", "GET", "/hello.txt", http.Header{"If-Modified-Since": {lastMod}}, http.StatusNotModified, "", [2]string{}},
		{"head", "HEAD", "/hello.txt", nil, http.StatusOK, "", [2]string{"Content-Length", "13"}},
		{"head listing", "HEAD", "/sub/", nil, http.StatusOK, "", [2]string{"Content-Type", "text/html; charset=utf-8"}},
		{"post", "POST", "/hello.txt", nil, http.StatusMethodNotAllowed, "", [2]string{"Allow", "GET, HEAD"}},
		{"put", "PUT", "/new.txt", nil, http.StatusMethodNotAllowed, "", [2]string{"Allow", "GET, HEAD"}},
		{"delete", "DELETE", "/hello.txt", nil, http.StatusMethodNotAllowed, "", [2]string{"Allow", "GET, HEAD"}},
		{"dir without slash", "GET", "/sub", nil, http.StatusMovedPermanently, "", [2]string{"Location", "/sub/"}},
		{"dir redirect keeps query", "GET", "/sub?sort=name&x=%20", nil, http.StatusMovedPermanently, "", [2]string{"Location", "/sub/?sort=name&x=%20"}},
		{"dir redirect stays on this host", "GET", "//sub", nil, http.StatusMovedPermanently, "", [2]string{"Location", "/sub/"}},
		{"file with slash", "GET", "/hello.txt/", nil, http.StatusMovedPermanently, "", [2]string{"Location", "/hello.txt"}},
		{"missing", "GET", "/nope.txt", nil, http.StatusNotFound, "not found", [2]string{}},
		{"below a file", "GET", "/hello.txt/x", nil, http.StatusNotFound, "not found", [2]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := s.do(t, tt.method, tt.path, tt.header)
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status %d, want %d; body %q", resp.StatusCode, tt.wantStatus, body)
			}
			if tt.wantBody != "" && !strings.Contains(body, tt.wantBody) {
				t.Errorf("body %q, want it to contain %q", body, tt.wantBody)
			}
			if tt.method == "HEAD" && body != "" {
				t.Errorf("HEAD answered with a body: %q", body)
			}
			if k := tt.wantHeader[0]; k != "" && resp.Header.Get(k) != tt.wantHeader[1] {
				t.Errorf("%s %q, want %q", k, resp.Header.Get(k), tt.wantHeader[1])
			}
		})
	}
}
