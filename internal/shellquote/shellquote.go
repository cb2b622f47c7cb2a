// Package shellquote writes words a POSIX shell reads back as they were:
// the commands Loopscope offers to copy (the equivalent of a local
// server, a request as curl, the setcap line).
package shellquote

import "strings"

// plain are the bytes no POSIX shell gives a meaning to inside a word.
const plain = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:@%+=,"

// Quote puts s in single quotes; each ' in s ends the quotes, is written
// as \' and starts them again.
func Quote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Word is s as it is when it needs no quotes (POST, /tmp/site), else
// quoted.
func Word(s string) string {
	if s != "" && strings.Trim(s, plain) == "" {
		return s
	}
	return Quote(s)
}
