// Package safetext makes text that comes from other programs safe to show:
// process names, command lines, file names, headers and payloads are data,
// and must never be able to break a line, move the cursor or pose as
// Loopscope's own output.
package safetext

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

const hexDigits = "0123456789abcdef"

// Escape returns s with everything that could act as control shown as a
// visible escape: C0 and C1 control characters ("\n", "\t", "\x1b",
// "\u0085"), invalid UTF-8 bytes ("\xff"), Unicode format and separator
// characters that reorder or hide text (bidi overrides such as "\u202e",
// zero-width characters, "\u2028"), spaces other than the plain one
// ("\u00a0"), and the spaces of a long run beyond the second ("\x20"):
// wrapped text must not be able to start a line of its own choosing.
// Other text, backslashes included, is kept as it is, so Windows paths
// stay readable.
func Escape(s string) string {
	if plain(s) {
		return s // the common case: no allocation
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	spaces := 0 // length of the run of spaces so far
	for i := 0; i < len(s); {
		c := s[i]
		if c == ' ' {
			if spaces++; spaces > maxSpaces {
				b.WriteString(`\x20`)
			} else {
				b.WriteByte(' ')
			}
			i++
			continue
		}
		spaces = 0
		if c < utf8.RuneSelf {
			appendASCII(&b, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteString(`\x`)
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&0xf])
		case hides(r):
			appendU(&b, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// maxSpaces is how many spaces in a row are shown as spaces.
const maxSpaces = 2

// plain reports whether s is printable ASCII throughout, without a long
// run of spaces.
func plain(s string) bool {
	spaces := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f {
			return false
		}
		if c != ' ' {
			spaces = 0
		} else if spaces++; spaces > maxSpaces {
			return false
		}
	}
	return true
}

func appendASCII(b *strings.Builder, c byte) {
	switch c {
	case '\n':
		b.WriteString(`\n`)
	case '\r':
		b.WriteString(`\r`)
	case '\t':
		b.WriteString(`\t`)
	default:
		if c < 0x20 || c == 0x7f {
			b.WriteString(`\x`)
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&0xf])
			return
		}
		b.WriteByte(c)
	}
}

// hides reports whether a non-ASCII rune controls or hides text rather than
// showing it: C1 controls, format characters (bidi, zero width, BOM, soft
// hyphen), line, paragraph and other separators (non-breaking and wide
// spaces), and non-characters.
func hides(r rune) bool {
	return unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r) ||
		unicode.Is(unicode.Zl, r) || unicode.Is(unicode.Zp, r) || unicode.Is(unicode.Zs, r) ||
		r == 0xfffe || r == 0xffff
}

func appendU(b *strings.Builder, r rune) {
	if r > 0xffff {
		b.WriteString(`\U`)
		for shift := 28; shift >= 0; shift -= 4 {
			b.WriteByte(hexDigits[(r>>shift)&0xf])
		}
		return
	}
	b.WriteString(`\u`)
	for shift := 12; shift >= 0; shift -= 4 {
		b.WriteByte(hexDigits[(r>>shift)&0xf])
	}
}

// Cap shortens s to at most n characters (runes), ending it with "…"
// when it is cut. Apply it after Escape, so the cut falls between whole
// runes of what is shown.
func Cap(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if len(s) <= n || utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for range n - 1 {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i] + "…"
}

// Line is Escape then Cap: one line of outside text, at most n characters.
func Line(s string, n int) string { return Cap(Escape(s), n) }
