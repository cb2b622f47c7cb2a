package shellquote

import (
	"os/exec"
	"strings"
	"testing"
)

// What Word writes, sh reads back as the same word.
func TestWordReadsBack(t *testing.T) {
	for _, s := range []string{"POST", "/tmp/site", "", "it's $HOME; rm -rf /", "a b", "x=1,y:2@z%", "new\nline", "'"} {
		w := Word(s)
		out, err := exec.Command("sh", "-c", `printf %s `+w).Output()
		if err != nil || string(out) != s {
			t.Errorf("Word(%q) = %s, read back as %q (%v)", s, w, out, err)
		}
	}
	if Word("POST") != "POST" || Word("a b") != "'a b'" {
		t.Error("Word quotes only what needs it")
	}
}

func TestWordTable(t *testing.T) {
	for in, want := range map[string]string{
		"/srv/www":   "/srv/www",
		"my site":    "'my site'",
		"it's":       `'it'\''s'`,
		"":           "''",
		"$(rm -rf)":  "'$(rm -rf)'",
		"a;b":        "'a;b'",
		"/tmp/x-1.2": "/tmp/x-1.2",
	} {
		if got := Word(in); got != want {
			t.Errorf("Word(%q) = %s, want %s", in, got, want)
		}
	}
	if !strings.Contains(Word("x y"), "'") {
		t.Error("no quotes")
	}
}
