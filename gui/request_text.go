package gui

import (
	"strings"
	"unicode/utf8"

	"github.com/loopscope/loopscope/internal/safetext"
)

// Multi-line outside text (bodies, raw bytes) is shown in monospace views
// that never wrap, so it is escaped a little differently from a label's
// line: line breaks and runs of spaces are kept — indentation is what
// makes pretty JSON readable, and in a view that does not wrap a space
// cannot start a line of its own choosing — while every other control
// byte goes through safetext.Escape.

// maxShownText is the most text a body or raw view is given: wrapping
// more would stall the window for a body nobody reads in a widget.
const maxShownText = 256 << 10

// escapeLines escapes s line by line. CRLF and LF both end a line; a lone
// CR shows as \r. With keepTabs a tab stays a tab, for text a user typed
// and will edit again (a JSON body indented with tabs must stay valid).
func escapeLines(s string, keepTabs bool) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/16)
	ls := strings.Split(s, "\n")
	for i, line := range ls {
		if i > 0 {
			b.WriteByte('\n')
		}
		if i < len(ls)-1 {
			line = strings.TrimSuffix(line, "\r")
		}
		escapeKeeping(&b, line, keepTabs)
	}
	return b.String()
}

// escapeLine is escapeLines for one line: a line break in s is escaped too.
func escapeLine(s string, keepTabs bool) string {
	var b strings.Builder
	escapeKeeping(&b, s, keepTabs)
	return b.String()
}

// escapeKeeping writes line escaped, its spaces (and tabs) as they are:
// escaping the words between them one by one keeps a run of spaces from
// turning into \x20.
func escapeKeeping(b *strings.Builder, line string, keepTabs bool) {
	for line != "" {
		i := strings.IndexFunc(line, func(r rune) bool { return r == ' ' || (keepTabs && r == '\t') })
		if i < 0 {
			b.WriteString(safetext.Escape(line))
			return
		}
		b.WriteString(safetext.Escape(line[:i]))
		b.WriteByte(line[i])
		line = line[i+1:]
	}
}

// shownText escapes outside text for a view, at most maxShownText of it
// (cut at a rune); cut reports whether part of s is not shown.
func shownText(s string) (text string, cut bool) {
	if len(s) > maxShownText {
		s, cut = cutAtRune(s, maxShownText), true
	}
	text = escapeLines(s, false)
	if len(text) > maxShownText { // escaping made it longer
		text, cut = cutAtRune(text, maxShownText), true
		if i := strings.LastIndexByte(text, '\n'); i > 0 {
			text = text[:i] // no half escape sequence at the end
		}
	}
	return text, cut
}

// cutAtRune returns the first n bytes of s or fewer, ending on a whole
// rune.
func cutAtRune(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
