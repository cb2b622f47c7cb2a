// Package texttable prints aligned columns for a terminal, measuring each
// cell by how wide it shows, not by how many characters it has: a CJK
// name or an emoji takes two columns, a combining accent none.
// text/tabwriter counts characters, so such names shift every later
// column.
package texttable

import (
	"io"
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// Gap is the space between columns.
const Gap = 2

// Write prints rows as aligned columns, the last column unpadded.
func Write(w io.Writer, rows [][]string) error {
	widths := map[int]int{}
	for _, r := range rows {
		for i, c := range r[:max(len(r)-1, 0)] {
			widths[i] = max(widths[i], Width(c))
		}
	}
	var b strings.Builder
	for _, r := range rows {
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-Width(c)+Gap))
			}
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Width is how many terminal columns s takes.
func Width(s string) int {
	n := 0
	for _, r := range s {
		n += runeWidth(r)
	}
	return n
}

func runeWidth(r rune) int {
	switch {
	case r < 0x7f:
		return 1
	case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) || unicode.Is(unicode.Cf, r):
		return 0 // combining marks and format characters take no column
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}
