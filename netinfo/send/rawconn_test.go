package send

import (
	"net/http"
	"slices"
	"testing"
)

func TestTap(t *testing.T) {
	tp := tap{limit: 8}
	tp.add([]byte("abc"))
	m := tp.add([]byte("defgh"))
	tp.undo(m, 2) // only "de" was written
	if got, cut := tp.bytes(); string(got) != "abcde" || cut {
		t.Errorf("after a short write: %q %v, want \"abcde\" false", got, cut)
	}
	tp.add([]byte("fghijk"))
	if got, cut := tp.bytes(); string(got) != "abcdefgh" || !cut {
		t.Errorf("over the limit: %q %v, want \"abcdefgh\" true", got, cut)
	}
	tp.add([]byte("more"))
	if got, _ := tp.bytes(); len(got) != 8 {
		t.Errorf("grew past the limit: %q", got)
	}
}

func TestParseRawHeaders(t *testing.T) {
	tests := []struct {
		name string
		raw  string
		want []Header // nil: does not parse
	}{
		{"crlf", "HTTP/1.1 200 OK\r\nB: 1\r\na: 2\r\n\r\nbody", []Header{{"B", "1"}, {"a", "2"}}},
		{"bare lf", "HTTP/1.0 200 OK\nB:1\nB: 2 \n\n", []Header{{"B", "1"}, {"B", "2"}}},
		{"no headers", "HTTP/1.1 204 No Content\r\n\r\n", []Header{}},
		{"interim", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nX: y\r\n\r\n", []Header{{"X", "y"}}},
		{"switching protocols is final", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n", []Header{{"Upgrade", "websocket"}}},
		{"folded", "HTTP/1.1 200 OK\r\nX: a\r\n  b\r\n\r\n", []Header{{"X", "a b"}}},
		{"unfinished", "HTTP/1.1 200 OK\r\nX: a\r\n", nil},
		{"not http", "SSH-2.0-OpenSSH\r\n\r\n", nil},
		{"no colon", "HTTP/1.1 200 OK\r\nnonsense\r\n\r\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := parseRawHeaders([]byte(tt.raw))
			if ok != (tt.want != nil) || !slices.Equal(got, tt.want) {
				t.Errorf("parseRawHeaders = %q, %v; want %q", got, ok, tt.want)
			}
		})
	}
}

func TestResponseHeadersFallback(t *testing.T) {
	h := http.Header{"Zeta": {"1"}, "Alpha": {"2", "3"}}
	raw := []byte("HTTP/1.1 200 OK\r\nZeta: 1\r\nAlpha: 2\r\nAlpha: 3\r\n\r\n")
	if got := responseHeaders(raw, false, h); got[0].Name != "Zeta" {
		t.Errorf("whole raw bytes: %q, want wire order", got)
	}
	want := []Header{{"Alpha", "2"}, {"Alpha", "3"}, {"Zeta", "1"}}
	if got := responseHeaders(raw[:20], true, h); !slices.Equal(got, want) {
		t.Errorf("cut raw bytes: %q, want sorted %q", got, want)
	}
}
