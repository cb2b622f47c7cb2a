package safetext

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestEscape(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "python3 -m http.server 8000", "python3 -m http.server 8000"},
		{"newline forges a row", "x\ntcp 0.0.0.0 22 sshd", `x\ntcp 0.0.0.0 22 sshd`},
		{"terminal escape", "evil\x1b[2J\x1b[H", `evil\x1b[2J\x1b[H`},
		{"tab breaks columns", "a\tb", `a\tb`},
		{"carriage return", "a\rb", `a\rb`},
		{"delete", "a\x7fb", `a\x7fb`},
		{"0xff is tabwriter's escape", "a\xffb", `a\xffb`},
		{"truncated UTF-8", "caf\xc3", `caf\xc3`},
		{"C1 control", "a\u0085b", `a\u0085b`},
		{"bidi override", "txt.\u202eexe", `txt.\u202eexe`},
		{"zero width space", "ss\u200bhd", `ss\u200bhd`},
		{"line separator", "a\u2028b", `a\u2028b`},
		{"tag character (supplementary Cf)", "a\U000E0041b", `a\U000e0041b`},
		{"backslash kept", `C:\Program Files\app.exe`, `C:\Program Files\app.exe`},
		{"two spaces kept", "a  b", "a  b"},
		{"long run of spaces cannot push text to a line of its own", "a      Listens on", `a  \x20\x20\x20\x20Listens on`},
		{"non-breaking space", "a\u00a0b", `a\u00a0b`},
		{"ideographic space", "a\u3000b", `a\u3000b`},
		{"accents and CJK kept", "café 東京", "café 東京"},
		{"emoji kept", "🚀 server", "🚀 server"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Escape(tt.in); got != tt.want {
				t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCap(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"nginx", 10, "nginx"},
		{"nginx", 5, "nginx"},
		{"nginx: master", 6, "nginx…"},
		{"東京東京東京", 4, "東京東…"},
		{"東京", 2, "東京"},
		{"abc", 0, ""},
		{"abc", 1, "…"},
	}
	for _, tt := range tests {
		if got := Cap(tt.in, tt.n); got != tt.want {
			t.Errorf("Cap(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

func TestEscapePlainDoesNotAllocate(t *testing.T) {
	s := "nginx: worker process"
	if n := testing.AllocsPerRun(100, func() { _ = Escape(s) }); n != 0 {
		t.Errorf("Escape of plain text allocates %v times", n)
	}
}

// FuzzEscape checks what every caller relies on: the result is valid
// UTF-8 without a control character, format character or tabwriter
// escape, and text that needed nothing is returned unchanged.
func FuzzEscape(f *testing.F) {
	for _, s := range []string{"", "sshd", "a\nb", "\x1b[31m", "\xff\xfe", "\u202e", "日本", "\x00", "a\\nb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Escape(s)
		if !utf8.ValidString(out) {
			t.Fatalf("Escape(%q) = %q: not valid UTF-8", s, out)
		}
		for _, r := range out {
			if r < 0x20 || r == 0x7f || r >= utf8.RuneSelf && hides(r) {
				t.Fatalf("Escape(%q) = %q keeps %U", s, out, r)
			}
		}
		if strings.Contains(out, "   ") {
			t.Fatalf("Escape(%q) = %q keeps a run of three spaces", s, out)
		}
		if strings.ContainsRune(out, 0xff) && !strings.ContainsRune(s, 0xff) {
			t.Fatalf("Escape(%q) = %q adds U+00FF", s, out)
		}
		if plain(s) && out != s {
			t.Fatalf("Escape changed plain text %q to %q", s, out)
		}
		c := Cap(out, 12)
		if utf8.RuneCountInString(c) > 12 || !utf8.ValidString(c) {
			t.Fatalf("Cap(%q, 12) = %q", out, c)
		}
	})
}
