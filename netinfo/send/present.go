package send

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	_ "image/gif" // register decoders for Present
	_ "image/jpeg"
	_ "image/png"
	"mime"
	"strconv"
	"strings"
	"unicode/utf8"
)

// BodyKind says how a response body is best shown.
type BodyKind int

// The kinds of body Present tells apart.
const (
	Empty  BodyKind = iota // no bytes
	JSON                   // pretty-printed JSON
	Text                   // text to show as it is
	Image                  // a PNG, JPEG or GIF the caller can draw
	Binary                 // anything else, as a hex dump
)

// String names the kind: "JSON", "text", "image", "binary", "empty".
func (k BodyKind) String() string {
	switch k {
	case Empty:
		return "empty"
	case JSON:
		return "JSON"
	case Text:
		return "text"
	case Image:
		return "image"
	case Binary:
		return "binary"
	}
	return "BodyKind(" + strconv.Itoa(int(k)) + ")"
}

// HexDumpBytes is how much of a binary body Present dumps.
const HexDumpBytes = 512

// Present decides how to show a body and returns the text to show:
//   - JSON, pretty-printed, when the type says JSON (application/json,
//     something+json) or the body parses as a JSON object or array;
//   - Text, as it is, for text/* or any valid UTF-8 without NUL bytes;
//   - Image, with a one-line summary like "PNG 64×64, 1.2 KB", when the type
//     is image/* and the bytes decode as PNG, JPEG or GIF;
//   - Binary, a hex dump of the first HexDumpBytes like `hexdump -C`,
//     ending with a line "… 12,345 more bytes" when there is more;
//   - Empty, "", for no bytes.
//
// The text is always valid UTF-8 (invalid bytes become U+FFFD) but control
// characters are left for the caller to escape.
func Present(contentType string, body []byte) (BodyKind, string) {
	if len(body) == 0 {
		return Empty, ""
	}
	media, params := mediaType(contentType)
	if isJSONType(media) || looksLikeJSON(body) {
		var out bytes.Buffer
		if json.Indent(&out, bytes.TrimSpace(body), "", "  ") == nil {
			return JSON, strings.ToValidUTF8(out.String(), "\uFFFD")
		}
	}
	if strings.HasPrefix(media, "image/") {
		if cfg, format, err := image.DecodeConfig(bytes.NewReader(body)); err == nil {
			return Image, fmt.Sprintf("%s %d×%d, %s", strings.ToUpper(format), cfg.Width, cfg.Height, Size(len(body)))
		}
	}
	if strings.HasPrefix(media, "text/") || (utf8.Valid(body) && bytes.IndexByte(body, 0) < 0) {
		return Text, decodeText(body, params["charset"])
	}
	return Binary, hexDump(body)
}

// mediaType returns the lower-case type and its parameters, leniently:
// a malformed header still yields the part before ";".
func mediaType(contentType string) (string, map[string]string) {
	media, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		media, _, _ = strings.Cut(contentType, ";")
		media = strings.ToLower(strings.TrimSpace(media))
	}
	return media, params
}

func isJSONType(media string) bool {
	return media == "application/json" || media == "text/json" || strings.HasSuffix(media, "+json")
}

func looksLikeJSON(body []byte) bool {
	t := bytes.TrimSpace(body)
	return len(t) > 1 && (t[0] == '{' || t[0] == '[') && json.Valid(t)
}

// decodeText returns body as UTF-8: Latin-1 is converted when the charset
// says so, anything else invalid becomes U+FFFD.
func decodeText(body []byte, charset string) string {
	if utf8.Valid(body) {
		return string(body)
	}
	switch strings.ToLower(charset) {
	case "iso-8859-1", "latin1", "latin-1", "iso8859-1":
		r := make([]rune, len(body))
		for i, b := range body {
			r[i] = rune(b)
		}
		return string(r)
	}
	return strings.ToValidUTF8(string(body), "\uFFFD")
}

// hexDump is `hexdump -C` of the first HexDumpBytes of body.
func hexDump(body []byte) string {
	n := min(len(body), HexDumpBytes)
	out := hex.Dump(body[:n])
	if rest := len(body) - n; rest > 0 {
		word := "bytes"
		if rest == 1 {
			word = "byte"
		}
		out += fmt.Sprintf("… %s more %s", thousands(rest), word)
	}
	return strings.TrimSuffix(out, "\n")
}

// Size is a byte count for people: "512 bytes", "1.2 KB", "3.4 MB".
func Size(n int) string {
	switch {
	case n == 1:
		return "1 byte"
	case n < 1024:
		return strconv.Itoa(n) + " bytes"
	case n < 1024*1024:
		return strconv.FormatFloat(float64(n)/1024, 'f', 1, 64) + " KB"
	}
	return strconv.FormatFloat(float64(n)/(1024*1024), 'f', 1, 64) + " MB"
}

// thousands writes n with commas: 12345 → "12,345".
func thousands(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
