package serve

import (
	"fmt"
	"strings"
	"time"

	"github.com/loopscope/loopscope/internal/safetext"
)

// LogLine is an entry as one line of text, everything from the client
// escaped: "15:04:05.000 127.0.0.1:51234 GET /index.html 200 1.2 KB 0.4 ms".
func LogLine(e Entry) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %s %s", e.Time.Format("15:04:05.000"), e.Client, safetext.Line(e.Method, 16), safetext.Line(e.Path, 200))
	if e.Status != 0 {
		fmt.Fprintf(&b, " %d", e.Status)
	}
	if e.Method != "TCP" && e.Method != "UDP" || e.Bytes > 0 {
		fmt.Fprintf(&b, " %s", Size(e.Bytes))
	}
	if e.Duration > 0 {
		fmt.Fprintf(&b, " %s", Duration(e.Duration))
	}
	if len(e.Preview) > 0 {
		fmt.Fprintf(&b, " \"%s\"", safetext.Line(string(e.Preview), previewSize))
	}
	if e.Note != "" {
		fmt.Fprintf(&b, " (%s)", safetext.Line(e.Note, 200))
	}
	return b.String()
}

// Size is a byte count for people: "512 B", "1.2 KB", "3.4 MB".
func Size(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 1000*1000:
		return fmt.Sprintf("%.1f KB", float64(n)/1000)
	case n < 1000*1000*1000:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	}
	return fmt.Sprintf("%.1f GB", float64(n)/1e9)
}

// Duration is a short duration for people: "0.4 ms", "12 ms", "1.5 s".
func Duration(d time.Duration) string {
	switch {
	case d < time.Millisecond: // loopback answers take tens of µs: "0.0 ms" would hide them
		return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	case d < time.Second:
		return fmt.Sprintf("%d ms", d.Milliseconds())
	case d < time.Minute:
		return fmt.Sprintf("%.1f s", d.Seconds())
	}
	return d.Round(time.Second).String()
}
