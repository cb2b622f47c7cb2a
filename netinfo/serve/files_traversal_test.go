package serve

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// sendRawTarget sends target as the request line's target, byte for byte: Go's
// client would clean it first.
func sendRawTarget(t *testing.T, addr, target string) (int, string) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second)) // only so a hang fails
	if _, err := io.WriteString(c, "GET "+target+" HTTP/1.1\r\nHost: "+addr+"\r\nConnection: close\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("read response: %v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestFilesTraversal(t *testing.T) {
	_, www := filesTestTree(t)
	s := startFiles(t, Config{Dir: www})
	host := s.Listener.Addr().String()
	tests := []struct{ name, target, wantNote string }{
		{"dot dot", "/../secret", "outside the folder"},
		{"encoded dots", "/%2e%2e/secret", "outside the folder"},
		{"encoded dots and slash", "/%2e%2e%2fsecret", "outside the folder"},
		{"encoded slash", "/..%2fsecret", "outside the folder"},
		{"upper-case encoding", "/%2E%2E/secret", "outside the folder"},
		{"double encoding", "/%252e%252e/secret", "not found"},
		{"encoded backslash", "/..%5csecret", "outside the folder"},
		{"backslash", `/..\secret`, "outside the folder"},
		{"double slash", "//etc/passwd", "not found"},
		{"overlong utf-8 dots", "/%c0%ae%c0%ae/secret", "not found"},
		{"down then up", "/sub/../../secret", "outside the folder"},
		{"up inside", "/sub/../hello.txt", "outside the folder"},
		{"nul", "/%00", "outside the folder"},
		{"nul after name", "/hello.txt%00.png", "outside the folder"},
		{"absolute form", "http://" + host + "/../../secret", "outside the folder"},
		{"through a link", "/outdir-rel/secret.txt", "outside the folder"},
		{"through a link to a dir", "/outdir-abs/secret.txt", "outside the folder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := sendRawTarget(t, host, tt.target)
			if strings.Contains(body, outsideSecret) {
				t.Fatalf("%s leaked the outside file: %q", tt.target, body)
			}
			if status != http.StatusNotFound {
				t.Fatalf("%s: status %d, want 404; body %q", tt.target, status, body)
			}
			if got := s.note(); got != tt.wantNote {
				t.Errorf("%s: note %q, want %q", tt.target, got, tt.wantNote)
			}
		})
	}
}

func TestFilesSymlinks(t *testing.T) {
	_, www := filesTestTree(t)
	tests := []struct {
		name, path string
		wantStatus int
		wantBody   string // 200: a part of the body
		wantNote   string // 404: why
	}{
		{"to a file inside", "/link-in.txt", 200, "hello, world", ""},
		{"to a dir inside", "/link-dir/", 200, `href="./a.txt"`, ""},
		{"into a dir inside", "/link-dir/a.txt", 200, "file a", ""},
		{"up, staying inside", "/sub/up.txt", 200, "hello, world", ""},
		{"absolute, to a file outside", "/out-abs", 404, "", "outside the folder"},
		{"relative, to a file outside", "/out-rel", 404, "", "outside the folder"},
		{"through a dir, outside", "/out-deep", 404, "", "outside the folder"},
		{"absolute, to a dir outside", "/outdir-abs/", 404, "", "outside the folder"},
		{"relative, to a dir outside", "/outdir-rel/", 404, "", "outside the folder"},
		{"absolute, even inside", "/abs-in.txt", 404, "", "outside the folder"},
		{"to a dotfile", "/link-env", 404, "", "hidden file"},
		{"into a hidden dir", "/link-git/config", 404, "", "hidden file"},
		{"index.html to a dotfile", "/hidden-index/", 200, "Index of /hidden-index/", ""},
		{"loop", "/loop", 404, "", "not found"},
		{"dangling", "/dangling", 404, "", "not found"},
	}
	s := startFiles(t, Config{Dir: www})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := s.do(t, "GET", tt.path, nil)
			if strings.Contains(body, outsideSecret) || strings.Contains(body, "-SECRET") {
				t.Fatalf("%s leaked a hidden or outside file: %q", tt.path, body)
			}
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status %d, want %d; body %q", resp.StatusCode, tt.wantStatus, body)
			}
			if !strings.Contains(body, tt.wantBody) {
				t.Errorf("body %q lacks %q", body, tt.wantBody)
			}
			if tt.wantNote != "" && s.note() != tt.wantNote {
				t.Errorf("note %q, want %q", s.note(), tt.wantNote)
			}
		})
	}
}

func TestFilesHidden(t *testing.T) {
	_, www := filesTestTree(t)
	paths := []string{"/.env", "/.git/config", "/.git/", "/sub/.ssh/known_hosts", "/id_rsa", "/server.pem", "/vault.kdbx", "/%2eenv"}
	hiding := startFiles(t, Config{Dir: www})
	showing := startFiles(t, Config{Dir: www, ShowHidden: true})
	for _, p := range paths {
		t.Run(p, func(t *testing.T) {
			resp, body := hiding.do(t, "GET", p, nil)
			if resp.StatusCode != http.StatusNotFound || strings.Contains(body, "SECRET") {
				t.Errorf("hidden: status %d, body %q; want 404 and nothing of the file", resp.StatusCode, body)
			}
			if got := hiding.note(); got != "hidden file" {
				t.Errorf("hidden: note %q, want %q", got, "hidden file")
			}
			if resp, body := showing.do(t, "GET", p, nil); resp.StatusCode != http.StatusOK {
				t.Errorf("ShowHidden: status %d, body %q; want 200", resp.StatusCode, body)
			}
		})
	}
	if resp, _ := hiding.do(t, "GET", "/id_rsa.pub", nil); resp.StatusCode != http.StatusOK {
		t.Errorf("id_rsa.pub: status %d, want 200", resp.StatusCode)
	}
	_, hidden := hiding.do(t, "GET", "/", nil)
	_, shown := showing.do(t, "GET", "/", nil)
	for _, href := range []string{`"./.env"`, `"./.git/"`, `"./id_rsa"`, `"./server.pem"`, `"./vault.kdbx"`, `"./link-env"`} {
		if strings.Contains(hidden, href) {
			t.Errorf("listing shows %s", href)
		}
		if !strings.Contains(shown, href) {
			t.Errorf("ShowHidden listing lacks %s", href)
		}
	}
	if strings.Contains(shown, "hidden file") {
		t.Error("ShowHidden listing says files are hidden")
	}
}

func TestHiddenName(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{".env", true}, {".git", true}, {".htpasswd", true}, {".npmrc", true},
		{"id_rsa", true}, {"id_ed25519", true}, {"ID_RSA", true}, {"id_rsa.", true},
		{"id_rsa.pub", false}, {"id_ed25519.pub", false},
		{"cert.pem", true}, {"tls.KEY", true}, {"store.p12", true}, {"a.pfx", true}, {"db.kdbx", true},
		{"credentials", true}, {"client_secret_123.apps.googleusercontent.com.json", true},
		{"_netrc", true},
		{"index.html", false}, {"keys.txt", false}, {"monkey.png", false}, {"env", false}, {"a.pem.txt", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := hiddenName(tt.name); got != tt.want {
				t.Errorf("hiddenName(%q) = %v, want %v", tt.name, got, tt.want)
			}
		})
	}
}

// FuzzFilesPath sends any path to the handler: it must never answer 500,
// nor send anything from outside the folder or hidden in it.
func FuzzFilesPath(f *testing.F) {
	for _, seed := range []string{"/", "/../secret", "/sub/../../secret", "/link-git/config", "/out-deep", "/.env", "/hello.txt", "/%00", `/..\secret`, "//etc/passwd"} {
		f.Add(seed)
	}
	_, www := filesTestTree(f)
	h, err := newFilesHandler(Config{Dir: www})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { h.(*filesHandler).Close() })
	f.Fuzz(func(t *testing.T, p string) {
		r := &http.Request{Method: "GET", URL: &url.URL{Path: p}, Header: http.Header{}}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		body := w.Body.String()
		if w.Code >= 500 || strings.Contains(body, outsideSecret) || strings.Contains(body, "-SECRET") {
			t.Errorf("path %q: status %d, body %q", p, w.Code, body)
		}
	})
}
