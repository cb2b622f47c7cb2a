package gui

import "github.com/loopscope/loopscope/internal/safetext"

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
