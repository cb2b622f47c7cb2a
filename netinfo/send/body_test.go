package send

import (
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"
)

func TestParseHeaders(t *testing.T) {
	got, err := ParseHeaders("Accept: application/json\r\n\n  X-Token :  a b  \nX-Empty:\nX-Colon: a:b\n")
	want := []Header{{"Accept", "application/json"}, {"X-Token", "a b"}, {"X-Empty", ""}, {"X-Colon", "a:b"}}
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("ParseHeaders = %q, %v; want %q", got, err, want)
	}
	if got, err := ParseHeaders(" \n\n"); err != nil || len(got) != 0 {
		t.Errorf("blank text: %q, %v", got, err)
	}
}

func TestParseHeadersErrors(t *testing.T) {
	tests := []struct {
		name, text string
		line       int
		want       string
	}{
		{"no colon", "A: 1\n\nnot a header", 3, "has no colon"},
		{"empty name", "A: 1\n: value", 2, "name is empty"},
		{"space in name", "Content Type: x", 1, `"Content Type" is not a valid header name`},
		{"control in name", "A\x01: x", 1, "not a valid header name"},
		{"control in value", "A: 1\nB: x\x1by", 2, "control byte 0x1b"},
		{"cr in value", "A: x\ry", 1, "control byte 0x0d"},
		{"nul in value", "A: \x00", 1, "control byte 0x00"},
		{"del in value", "A: \x7f", 1, "control byte 0x7f"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseHeaders(tt.text)
			var se *SyntaxError
			if !errors.As(err, &se) || se.Line != tt.line || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want line %d saying %q", err, tt.line, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "line ") {
				t.Errorf("message %q does not start with the line", err)
			}
		})
	}
}

func TestJSONBody(t *testing.T) {
	text := "{\n  \"a\": [1, 2]\n}\n"
	got, err := JSONBody(text)
	if err != nil || string(got) != text {
		t.Errorf("JSONBody = %q, %v; want the text unchanged", got, err)
	}
	if got, err := JSONBody("  \n"); got != nil || err != nil {
		t.Errorf("blank: %q, %v; want no body", got, err)
	}
	tests := []struct {
		name, text string
		line, col  int
		want       string
	}{
		{"trailing comma", "{\n  \"a\": 1,\n}", 3, 1, "no comma before }"},
		{"single quotes", "{'a': 1}", 1, 2, "double quotes"},
		{"missing value", "{\"a\": 1,\n \"bb\": }", 2, 8, "looking for beginning of value"},
		{"unquoted key", "{a: 1}", 1, 2, "keys are strings"},
		{"ends early", "{\"a\": [1, 2", 1, 12, "ends too early"},
		{"two values", "{} {}", 1, 4, "single JSON value"},
		{"cut literal", "[tru", 1, 5, "ends too early"},
		{"missing colon", "{\"a\" 1}", 1, 6, "a colon goes between"},
		{"missing comma", "[1\n 2]", 2, 2, "separated by commas"},
		{"after a wide character", "[\"é\", x]", 1, 7, "invalid character 'x'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := JSONBody(tt.text)
			var se *SyntaxError
			if !errors.As(err, &se) || se.Line != tt.line || se.Column != tt.col || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want line %d column %d saying %q", err, tt.line, tt.col, tt.want)
			}
		})
	}
}

func TestParseFieldsAndFormBody(t *testing.T) {
	fields, err := ParseFields("b = x y\n\na=1&2=3\r\nempty=\n")
	want := []Field{{"b", "x y"}, {"a", "1&2=3"}, {"empty", ""}}
	if err != nil || !slices.Equal(fields, want) {
		t.Fatalf("ParseFields = %q, %v; want %q", fields, err, want)
	}
	body := string(FormBody(fields))
	if body != "b=x+y&a=1%262%3D3&empty=" {
		t.Errorf("FormBody = %q", body)
	}
	back, err := url.ParseQuery(body)
	if err != nil || back.Get("a") != "1&2=3" || back.Get("b") != "x y" {
		t.Errorf("the form does not decode back: %v %v", back, err)
	}
	for _, tt := range []struct {
		text string
		line int
		want string
	}{
		{"a=1\nno equals sign", 2, `has no "="`},
		{"a=1\n\n =2", 3, "name is empty"},
	} {
		_, err := ParseFields(tt.text)
		var se *SyntaxError
		if !errors.As(err, &se) || se.Line != tt.line || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseFields(%q) err = %v, want line %d saying %q", tt.text, err, tt.line, tt.want)
		}
	}
}

func FuzzParseHeaders(f *testing.F) {
	for _, s := range []string{
		"Accept: */*", "A: 1\r\nB: 2\r\n", "no colon", ": empty", "X: a\x00b", "Host: h\n\n\nX-Y:  z  ",
		"Ünïcode: välue", "A:\tb\t", "a\rb: c",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		hs, err := ParseHeaders(text)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) || se.Line < 1 || se.Line > strings.Count(text, "\n")+1 {
				t.Fatalf("error %v does not name a line of the text", err)
			}
			return
		}
		var again strings.Builder
		for _, h := range hs {
			if checkHeader(h.Name, h.Value) != nil || strings.ContainsAny(h.Value, "\r\n") {
				t.Fatalf("accepted an invalid header %q", h)
			}
			again.WriteString(h.Name + ": " + h.Value + "\n")
		}
		back, err := ParseHeaders(again.String())
		if err != nil || !slices.Equal(back, hs) {
			t.Fatalf("headers do not survive a round trip: %q -> %q, %v", hs, back, err)
		}
	})
}
