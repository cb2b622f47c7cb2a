package send

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"
)

// SyntaxError says where typed text (headers, fields, a JSON body) is
// wrong. Line and Column count from 1; Column is 0 when the whole line is
// meant.
type SyntaxError struct {
	Line, Column int
	Msg          string
}

// Error is "line 3, column 7: …", or "line 3: …" without a column.
func (e *SyntaxError) Error() string {
	if e.Column > 0 {
		return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Msg)
	}
	return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
}

// ParseHeaders reads "Name: value" lines. Blank lines are ignored, spaces
// around names and values are trimmed; a line without a colon, an empty or
// invalid name (a space, a control byte) or a value with control bytes is
// an error naming the line.
func ParseHeaders(text string) ([]Header, error) {
	var hs []Header
	for i, line := range lines(text) {
		if strings.TrimSpace(line) == "" {
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			return nil, &SyntaxError{Line: i + 1, Msg: fmt.Sprintf(
				"%q has no colon: write a header as Name: value", clip(line))}
		}
		name, value = strings.TrimSpace(name), strings.Trim(value, " \t")
		if err := checkHeader(name, value); err != nil {
			return nil, &SyntaxError{Line: i + 1, Msg: err.Error()}
		}
		hs = append(hs, Header{Name: name, Value: value})
	}
	return hs, nil
}

// checkHeader applies HTTP's rules: the name is a token, the value has no
// control bytes other than tab.
func checkHeader(name, value string) error {
	if name == "" {
		return errors.New("the header name is empty: write a header as Name: value")
	}
	if !validToken(name) {
		return fmt.Errorf("%q is not a valid header name: use letters, digits and - only", clip(name))
	}
	for i := 0; i < len(value); i++ {
		if c := value[i]; (c < ' ' && c != '\t') || c == 0x7f {
			return fmt.Errorf("the value of %s contains the control byte 0x%02x: headers cannot hold line breaks or control characters", name, c)
		}
	}
	return nil
}

// validToken reports whether s is an HTTP token (RFC 9110 section 5.6.2),
// the syntax of methods and header names.
func validToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 || c <= ' ' || c == 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

// JSONBody checks that text is one JSON value and returns it unchanged, as
// the body to send. Text of only spaces is no body (nil). An error gives
// the line and column and what was expected there.
func JSONBody(text string) ([]byte, error) {
	if strings.TrimSpace(text) == "" {
		return nil, nil
	}
	var v any
	err := json.Unmarshal([]byte(text), &v)
	if err == nil {
		return []byte(text), nil
	}
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		return nil, &SyntaxError{Line: 1, Msg: err.Error()}
	}
	at := int(se.Offset) - 1 // the offending byte; Offset counts it as read
	msg := se.Error()
	if endedEarly(text, se) {
		at = len(text)
		msg = "the JSON ends too early: a value or a closing }, ] or \" is missing"
	}
	line, col := position(text, max(at, 0))
	return nil, &SyntaxError{Line: line, Column: col, Msg: msg + jsonHint(msg)}
}

// endedEarly reports whether se is about the end of text: encoding/json
// says "unexpected end", or blames a space it feeds the scanner at the end
// ("tru" gives "invalid character ' ' in literal true").
func endedEarly(text string, se *json.SyntaxError) bool {
	if se.Offset < int64(len(text)) {
		return false
	}
	msg := se.Error()
	return strings.Contains(msg, "unexpected end") ||
		(strings.HasPrefix(msg, "invalid character ' '") && !strings.HasSuffix(text, " "))
}

// jsonHint adds advice for the mistakes people make most.
func jsonHint(msg string) string {
	switch {
	case strings.Contains(msg, `'\''`):
		return ` (JSON strings use double quotes: "like this")`
	case strings.Contains(msg, "'}' looking for beginning of object key"),
		strings.Contains(msg, "']' looking for beginning of value"):
		return " (JSON allows no comma before } or ])"
	case strings.Contains(msg, "looking for beginning of object key string"):
		return ` (keys are strings in double quotes: {"name": 1})`
	case strings.HasSuffix(msg, "after object key"):
		return ` (a colon goes between a key and its value: "key": value)`
	case strings.HasSuffix(msg, "after object key:value pair"), strings.HasSuffix(msg, "after array element"):
		return " (items are separated by commas)"
	case strings.Contains(msg, "after top-level value"):
		return " (the body must be a single JSON value: wrap several in [ ])"
	}
	return ""
}

// position returns the 1-based line and column (in characters) of byte
// offset at in text.
func position(text string, at int) (line, col int) {
	at = min(at, len(text))
	before := text[:at]
	line = strings.Count(before, "\n") + 1
	start := strings.LastIndexByte(before, '\n') + 1
	return line, utf8.RuneCountInString(before[start:]) + 1
}

// Field is one name=value pair of a form.
type Field struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// FormBody encodes fields as application/x-www-form-urlencoded, in the
// order given (url.Values would sort them).
func FormBody(fields []Field) []byte {
	var b strings.Builder
	for i, f := range fields {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(f.Name))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(f.Value))
	}
	return []byte(b.String())
}

// ParseFields reads "name=value" lines; blank lines are ignored, spaces
// around names and values are trimmed, the value may contain "=". A line
// without "=" or with an empty name is an error naming the line.
func ParseFields(text string) ([]Field, error) {
	var fs []Field
	for i, line := range lines(text) {
		if strings.TrimSpace(line) == "" {
			continue
		}
		name, value, ok := strings.Cut(line, "=")
		if !ok {
			return nil, &SyntaxError{Line: i + 1, Msg: fmt.Sprintf(
				"%q has no \"=\": write a field as name=value", clip(line))}
		}
		name = strings.TrimSpace(name)
		if name == "" {
			return nil, &SyntaxError{Line: i + 1, Msg: "the field name is empty: write a field as name=value"}
		}
		fs = append(fs, Field{Name: name, Value: strings.TrimSpace(value)})
	}
	return fs, nil
}

// lines splits text at "\n", dropping the "\r" of "\r\n".
func lines(text string) []string {
	ls := strings.Split(text, "\n")
	for i, l := range ls {
		ls[i] = strings.TrimSuffix(l, "\r")
	}
	return ls
}

// clip shortens s for an error message.
func clip(s string) string {
	const n = 40
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}
