// Package logfilter drops one known-harmless message from the standard
// logger: Fyne 2.7 logs "Error parsing user locale C" (three lines) whenever
// the locale is C or POSIX, as it is on many servers and containers, once
// while its packages initialise and again when a window opens.
//
// Import it for its side effect, before anything that imports Fyne's lang
// package runs its init. Go initialises packages in import-path order among
// those whose imports are ready, and this package needs only "log", "os" and
// "strings", so it is set up before Fyne's lang package logs anything; the
// command-line test in main_test.go fails if that ever changes.
package logfilter

import (
	"io"
	"log"
	"os"
	"strings"
	"sync"
)

func init() {
	log.SetOutput(New(os.Stderr))
}

// Writer passes log output through to an underlying writer, except Fyne's
// locale-parsing error and the "Cause:" and "At:" lines that follow it.
type Writer struct {
	mu   sync.Mutex // guards skip
	out  io.Writer
	skip int // how many continuation lines of a dropped message remain
}

// New returns a Writer writing to out.
func New(out io.Writer) *Writer { return &Writer{out: out} }

// Write drops a whole log record if it belongs to the locale message. The
// standard logger calls Write once per record.
func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	line := string(p)
	switch {
	case strings.Contains(line, "Error parsing user locale") || strings.Contains(line, "Failed to look up user locale"):
		w.skip = 2
		return len(p), nil
	case w.skip > 0 && (strings.Contains(line, "  Cause:") || strings.Contains(line, "  At:")):
		w.skip--
		return len(p), nil
	}
	w.skip = 0
	return w.out.Write(p)
}
