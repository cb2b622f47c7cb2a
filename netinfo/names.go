package netinfo

import "github.com/loopscope/loopscope/internal/safetext"

// safeName is outside text (a process or user name) made safe to put in
// one of Loopscope's own sentences: escaped, and "—" when empty.
func safeName(s string) string {
	if s == "" {
		return "—"
	}
	return safetext.Line(s, 64)
}
