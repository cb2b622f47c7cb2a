package gui

import (
	"strings"

	"github.com/loopscope/loopscope/internal/safetext"
)

// Outside text (process and user names, command lines, paths) is shown
// through these, in every cell, label and dialog: escaped, so it cannot
// break a line or pose as Loopscope's own words, and capped.

// safe is a name as a cell or title shows it; "—" when empty.
func safe(s string) string {
	if s == "" {
		return "—"
	}
	return safetext.Line(s, 200)
}

// safeLong is a command line or a path as the details show it.
func safeLong(s string) string {
	if s == "" {
		return "—"
	}
	return safetext.Line(s, 4000)
}

// safeLines is a list of messages, one a line — the mistakes in a
// routes file — each line escaped on its own, so a message keeps its
// line breaks while the text it quotes cannot add any.
func safeLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = safetext.Line(l, 1000)
	}
	return strings.Join(lines, "\n")
}
