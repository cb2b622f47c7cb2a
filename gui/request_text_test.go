package gui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/widget"

	"github.com/loopscope/loopscope/netinfo/send"
)

func TestEscapeLines(t *testing.T) {
	tests := []struct {
		name, in string
		keepTabs bool
		want     string
	}{
		{"plain", "a b", false, "a b"},
		{"crlf and lf are line breaks", "GET / HTTP/1.1\r\nHost: x\r\n\r\nbody\nmore", false, "GET / HTTP/1.1\nHost: x\n\nbody\nmore"},
		{"lone cr shows", "a\rb\r", false, `a\rb\r`},
		{"indentation kept", "{\n    \"a\": 1\n}", false, "{\n    \"a\": 1\n}"},
		{"escape sequence", "red \x1b[31mX", false, `red \x1b[31mX`},
		{"tabs escaped", "a\tb", false, `a\tb`},
		{"tabs kept", "a\tb", true, "a\tb"},
		{"bidi and invalid bytes", "\u202eabc\xff", false, `\u202eabc\xff`},
		{"nul", "a\x00b", false, `a\x00b`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := escapeLines(tt.in, tt.keepTabs); got != tt.want {
				t.Errorf("escapeLines(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	if got := escapeLine("a\nb  c", false); got != `a\nb  c` {
		t.Errorf("escapeLine = %q", got)
	}
}

func TestShownText(t *testing.T) {
	small, cut := shownText("hi\n")
	if small != "hi\n" || cut {
		t.Errorf("small text = %q, cut %v", small, cut)
	}
	big, cut := shownText(strings.Repeat("é", maxShownText)) // 2 bytes a rune
	if !cut || len(big) > maxShownText || strings.ContainsRune(big, '\uFFFD') {
		t.Errorf("big text: %d bytes, cut %v, or a rune was split", len(big), cut)
	}
	ctl, cut := shownText(strings.Repeat("\x01\n", maxShownText/2)) // grows 4 times when escaped
	if !cut || len(ctl) > maxShownText || !strings.HasSuffix(ctl, `\x01`) {
		t.Errorf("escaped text: %d bytes, cut %v, ends %q", len(ctl), cut, ctl[len(ctl)-8:])
	}
}

func TestWrapRows(t *testing.T) {
	lines := []string{"abcdefg", "", "héllo"}
	got := wrapRows(lines, 3)
	var texts []string
	for _, r := range got {
		texts = append(texts, lines[r.line][r.start:r.end])
	}
	if want := "abc|def|g||hél|lo"; strings.Join(texts, "|") != want {
		t.Errorf("rows = %q, want %q", strings.Join(texts, "|"), want)
	}
	if n := len(wrapRows(lines, 0)); n != 3 {
		t.Errorf("no width: %d rows, want one a line", n)
	}
}

func TestDurationAndTone(t *testing.T) {
	for d, want := range map[time.Duration]string{0: "—", 350 * time.Microsecond: "0.35 ms",
		12300 * time.Microsecond: "12.3 ms", 250 * time.Millisecond: "250 ms", 1200 * time.Millisecond: "1.20 s"} {
		if got := stepTime(d); got != want {
			t.Errorf("stepTime(%v) = %q, want %q", d, got, want)
		}
	}
	for code, want := range map[int]widget.Importance{200: widget.SuccessImportance, 204: widget.SuccessImportance,
		301: widget.MediumImportance, 404: widget.WarningImportance, 503: widget.DangerImportance} {
		if got := statusTone(code); got != want {
			t.Errorf("statusTone(%d) = %v, want %v", code, got, want)
		}
	}
}

func TestTimingStepsFollowEachOther(t *testing.T) {
	ms := time.Millisecond
	steps := timingSteps(send.Timings{DNS: 0, Connect: ms, Send: ms, Wait: 5 * ms, Transfer: ms, Total: 9 * ms}, true, false)
	starts := map[string]time.Duration{}
	for _, s := range steps {
		starts[s.name] = s.start
		if s.scale != 9*ms {
			t.Errorf("%s scale %v", s.name, s.scale)
		}
	}
	if starts["Wait"] != 2*ms || starts["Transfer"] != 7*ms {
		t.Errorf("Wait starts at %v, Transfer at %v", starts["Wait"], starts["Transfer"])
	}
	if !strings.Contains(steps[0].why, "IP address") || !strings.Contains(steps[2].why, "plain http") {
		t.Errorf("DNS %q, TLS %q", steps[0].why, steps[2].why)
	}
}
