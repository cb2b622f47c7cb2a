package gui

import "testing"

// The routes editor lists each mistake on a line of its own; a line
// break inside what a message quotes, or an escape sequence, stays
// escaped.
func TestSafeLinesKeepsOnlyTheListsBreaks(t *testing.T) {
	got := safeLines("route 1 (GET a): \"path\" must start with \"/\"\nroute 2 (\x1b[31mX): bad\r")
	want := "route 1 (GET a): \"path\" must start with \"/\"\nroute 2 (\\x1b[31mX): bad\\r"
	if got != want {
		t.Errorf("safeLines = %q, want %q", got, want)
	}
}
