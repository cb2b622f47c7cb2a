package send

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/loopscope/loopscope/internal/shellquote"
)

// Curl returns a curl command line that sends req, for pasting into bash:
//
//	curl -i -X POST 'http://127.0.0.1:8000/x' -H 'Content-Type: application/json' --data-binary '{"a":1}'
//
// Arguments are single-quoted; a ' inside ends the quotes, is written as
// \' and the quotes start again. -k stands for Insecure. -X GET is left
// out for a GET without a body, and HEAD becomes -I. A body that is not
// plain text is written with bash's $'…' quoting and \xNN escapes; one
// with NUL bytes, which no shell argument can hold, is read from a process
// substitution: --data-binary @<(printf '…').
//
// The command is for bash (not sh). curl adds headers of its own (Accept,
// its User-Agent) and, unlike Do, honours the proxy environment variables.
func Curl(req Request) string {
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	args := []string{"curl"}
	switch {
	case method == http.MethodHead && len(req.Body) == 0:
		args = append(args, "-I")
	case method == http.MethodGet && len(req.Body) == 0:
		args = append(args, "-i")
	default:
		args = append(args, "-i", "-X", shellquote.Word(method))
	}
	if req.Insecure {
		args = append(args, "-k")
	}
	args = append(args, shellquote.Quote(strings.TrimSpace(req.URL)))
	for _, h := range req.Headers {
		line := h.Name + ": " + h.Value
		if h.Value == "" {
			line = h.Name + ";" // curl drops a header given as "Name:"; "Name;" sends it empty
		}
		args = append(args, "-H", shellquote.Quote(line))
	}
	if len(req.Body) > 0 {
		args = append(args, bodyArgs(req.Body)...)
	}
	return strings.Join(args, " ")
}

// bodyArgs returns the curl options that send body byte for byte.
func bodyArgs(body []byte) []string {
	s := string(body)
	switch {
	case strings.IndexByte(s, 0) >= 0:
		return []string{"--data-binary", "@<(printf " + printfQuote(body) + ")"}
	case !plainText(s):
		return []string{"--data-binary", ansiQuote(body)}
	case s[0] == '@': // --data-binary would read a file of that name
		return []string{"--data-raw", shellquote.Quote(s)}
	}
	return []string{"--data-binary", shellquote.Quote(s)}
}

// plainText reports whether s is valid UTF-8 whose only control characters
// are newline and tab, so it can be pasted inside single quotes.
func plainText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if (r < ' ' && r != '\n' && r != '\t') || (r >= 0x7f && r < 0xa0) {
			return false
		}
	}
	return true
}

const hexdigits = "0123456789abcdef"

// ansiQuote writes b as bash $'…': printable ASCII as it is, the rest as
// \xNN. It cannot hold NUL: bash ends the argument there.
func ansiQuote(b []byte) string {
	var out strings.Builder
	out.WriteString("$'")
	for _, c := range b {
		switch {
		case c == '\\' || c == '\'':
			out.WriteByte('\\')
			out.WriteByte(c)
		case c >= ' ' && c < 0x7f:
			out.WriteByte(c)
		default:
			writeHex(&out, c)
		}
	}
	out.WriteByte('\'')
	return out.String()
}

// printfQuote writes b as a single-quoted format for bash's printf, which
// turns \xNN back into any byte, NUL included.
func printfQuote(b []byte) string {
	var out strings.Builder
	out.WriteByte('\'')
	for _, c := range b {
		switch {
		case c == '\\':
			out.WriteString(`\\`)
		case c == '%':
			out.WriteString("%%")
		case c == '\'':
			writeHex(&out, c)
		case c >= ' ' && c < 0x7f:
			out.WriteByte(c)
		default:
			writeHex(&out, c)
		}
	}
	out.WriteByte('\'')
	return out.String()
}

func writeHex(b *strings.Builder, c byte) {
	b.WriteString(`\x`)
	b.WriteByte(hexdigits[c>>4])
	b.WriteByte(hexdigits[c&0xf])
}
