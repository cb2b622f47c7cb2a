package serve

import (
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

var listingHrefRE = regexp.MustCompile(`href="([^"]*)"`)

func TestFilesListing(t *testing.T) {
	_, www := filesTestTree(t)
	s := startFiles(t, Config{Dir: www})
	resp, body := s.do(t, "GET", "/", nil)
	if resp.StatusCode != http.StatusOK || s.note() != "listing" {
		t.Fatalf("status %d, note %q; want 200 and a listing", resp.StatusCode, s.note())
	}
	if got, want := resp.Header.Get("Content-Security-Policy"), "default-src 'none'; style-src 'unsafe-inline'"; got != want {
		t.Errorf("CSP %q, want %q", got, want)
	}
	for _, want := range []string{`href="./sub/"`, `href="./hello.txt"`, `href="./link-dir/"`, `href="./id_rsa.pub"`, "13 B",
		"7 hidden files not shown (dotfiles and secrets)", "8 links not shown"} {
		if !strings.Contains(body, want) {
			t.Errorf("listing lacks %q", want)
		}
	}
	if strings.Contains(body, `href="../"`) {
		t.Error("the top folder links to a parent")
	}
	if strings.Index(body, "./sub/") > strings.Index(body, "./app.js") {
		t.Error("folders are not listed before files")
	}
	_, sub := s.do(t, "GET", "/sub/", nil)
	if !strings.Contains(sub, `href="../"`) || !strings.Contains(sub, `href="./a.txt"`) {
		t.Errorf("sub listing lacks the parent or a.txt:\n%s", sub)
	}
	if !strings.Contains(sub, "1 hidden file not shown") {
		t.Errorf("sub listing does not count .ssh:\n%s", sub)
	}
}

// TestFilesListingNames checks that names with HTML and URL syntax are
// shown escaped, and that their links fetch them.
func TestFilesListingNames(t *testing.T) {
	www := t.TempDir()
	names := []string{"<script>alert(1).txt", "<img src=x onerror=alert(1)>.png", "a b#?.txt", "a:b.txt", `q"u'o&te.txt`, "100%.txt", "semi;colon.txt", "ünï.txt"}
	for i, n := range names {
		writeFilesTree(t, www, map[string]string{n: "content " + string(rune('A'+i))})
	}
	writeFilesTree(t, www, map[string]string{"<b>dir/x.txt": "in dir"})
	s := startFiles(t, Config{Dir: www})
	_, body := s.do(t, "GET", "/", nil)
	if strings.Contains(body, "<script>") || strings.Contains(body, "<img") || strings.Contains(body, "<b>") {
		t.Fatalf("listing has unescaped HTML:\n%s", body)
	}
	for _, n := range names {
		if !strings.Contains(body, html.EscapeString(n)) {
			t.Errorf("listing does not show %q escaped", n)
		}
	}
	got := map[string]bool{}
	for _, m := range listingHrefRE.FindAllStringSubmatch(body, -1) {
		href := html.UnescapeString(m[1])
		resp, content := s.do(t, "GET", "/"+strings.TrimPrefix(href, "./"), nil)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("link %q: status %d", href, resp.StatusCode)
			continue
		}
		got[content] = true
	}
	for i := range names {
		if want := "content " + string(rune('A'+i)); !got[want] {
			t.Errorf("no link fetched %q (%q)", want, names[i])
		}
	}
	if resp, content := s.do(t, "GET", "/%3Cb%3Edir/x.txt", nil); resp.StatusCode != 200 || content != "in dir" {
		t.Errorf("file in <b>dir: status %d, %q", resp.StatusCode, content)
	}
}

func TestFilesEmptyFolder(t *testing.T) {
	s := startFiles(t, Config{Dir: t.TempDir()})
	if _, body := s.do(t, "GET", "/", nil); !strings.Contains(body, "This folder is empty.") {
		t.Errorf("empty folder listing:\n%s", body)
	}
}
