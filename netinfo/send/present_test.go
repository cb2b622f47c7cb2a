package send

import (
	"bytes"
	"image"
	"image/color"
	"image/gif"
	"image/png"
	"strings"
	"testing"
	"unicode/utf8"
)

func testPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		img.Set(x, x%h, color.RGBA{R: 200, A: 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestPresent(t *testing.T) {
	pngBytes := testPNG(t, 64, 48)
	var gifBuf bytes.Buffer
	if err := gif.Encode(&gifBuf, image.NewPaletted(image.Rect(0, 0, 3, 2), color.Palette{color.Black}), nil); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, ctype string
		body        []byte
		kind        BodyKind
		want        string // the whole text, or with prefix "~" a part of it
	}{
		{"empty", "text/plain", nil, Empty, ""},
		{"json by type", "application/json; charset=utf-8", []byte(`{"a":[1,2],"b":"x"}`), JSON, "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": \"x\"\n}"},
		{"json suffix", "application/problem+json", []byte(` {"title":"no"} `), JSON, "{\n  \"title\": \"no\"\n}"},
		{"json by content", "text/plain", []byte(`[1]`), JSON, "[\n  1\n]"},
		{"json type but invalid", "application/json", []byte(`{"a":`), Text, `{"a":`},
		{"scalar is not sniffed as json", "", []byte(`42`), Text, "42"},
		{"html", "text/html", []byte("<p>hi</p>\n"), Text, "<p>hi</p>\n"},
		{"utf-8 without type", "", []byte("héllo\tworld"), Text, "héllo\tworld"},
		{"latin-1", "text/plain; charset=ISO-8859-1", []byte("caf\xe9"), Text, "café"},
		{"text with bad bytes", "text/plain", []byte("a\xffb"), Text, "a\uFFFDb"},
		{"json with bad bytes", "application/json", []byte("[\"\xff\"]"), JSON, "[\n  \"\uFFFD\"\n]"},
		{"png", "image/png", pngBytes, Image, "PNG 64×48, " + Size(len(pngBytes))},
		{"gif", "image/gif", gifBuf.Bytes(), Image, "GIF 3×2, " + Size(gifBuf.Len())},
		{"png without image type", "application/octet-stream", pngBytes, Binary, "~00000000  89 50 4e 47 0d 0a 1a 0a  00 00 00 0d 49 48 44 52  |.PNG........IHDR|\n"},
		{"image type, not an image", "image/png", []byte("\x00\x01garbage"), Binary, "~|..garbage|"},
		{"svg is text", "image/svg+xml", []byte("<svg/>"), Text, "<svg/>"},
		{"nul bytes", "", []byte("a\x00b"), Binary, "00000000  61 00 62                                          |a.b|"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kind, text := Present(tt.ctype, tt.body)
			if kind != tt.kind {
				t.Errorf("kind = %v, want %v (text %q)", kind, tt.kind, text)
			}
			if part, ok := strings.CutPrefix(tt.want, "~"); ok {
				if !strings.Contains(text, part) {
					t.Errorf("text %q lacks %q", text, part)
				}
			} else if text != tt.want {
				t.Errorf("text = %q, want %q", text, tt.want)
			}
			if !utf8.ValidString(text) {
				t.Errorf("invalid UTF-8: %q", text)
			}
		})
	}
}

func TestPresentLongBinary(t *testing.T) {
	body := make([]byte, HexDumpBytes+12345)
	for i := range body {
		body[i] = byte(i)
	}
	kind, text := Present("application/octet-stream", body)
	lines := strings.Split(text, "\n")
	if kind != Binary || len(lines) != HexDumpBytes/16+1 {
		t.Fatalf("kind %v with %d lines, want Binary with %d", kind, len(lines), HexDumpBytes/16+1)
	}
	if want := "000001f0  f0 f1 f2 f3 f4 f5 f6 f7  f8 f9 fa fb fc fd fe ff  |................|"; lines[31] != want {
		t.Errorf("last dump line = %q, want %q", lines[31], want)
	}
	if lines[32] != "… 12,345 more bytes" {
		t.Errorf("last line = %q", lines[32])
	}
}

func TestSize(t *testing.T) {
	for n, want := range map[int]string{0: "0 bytes", 1: "1 byte", 1023: "1023 bytes", 1229: "1.2 KB", 3 << 20: "3.0 MB"} {
		if got := Size(n); got != want {
			t.Errorf("Size(%d) = %q, want %q", n, got, want)
		}
	}
	for n, want := range map[int]string{1: "1", 999: "999", 1000: "1,000", 12345: "12,345", 1234567: "1,234,567"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}
