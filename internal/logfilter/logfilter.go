// Package logfilter drops known-harmless Fyne messages from the standard
// logger, so that command-line runs print only their own output and the
// window does not fill the log:
//   - Fyne 2.7 logs "Error parsing user locale C" (three lines) whenever the
//     locale is C or POSIX, as it is on many servers and containers, once
//     while its packages initialise and again when a window opens;
//   - it logs "Preferences load error" when another instance of the app
//     rewrites the preferences file while this one reloads it (Loopscope
//     stores no preferences, and the next reload reads the whole file);
//   - its file dialog logs "Getting favorite locations" each time it opens
//     on a desktop without a Videos or Music folder (xdg-user-dir points
//     it at the home folder): the dialog simply lists fewer favourites.
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

// Writer passes log output through to an underlying writer, except the
// known-harmless Fyne errors and the "Cause:" and "At:" lines that follow them.
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
	case harmless(line):
		w.skip = 2
		return len(p), nil
	case w.skip > 0 && (strings.Contains(line, "  Cause:") || strings.Contains(line, "  At:")):
		w.skip--
		return len(p), nil
	}
	w.skip = 0
	return w.out.Write(p)
}

// harmlessMessages are the first lines of the Fyne errors Writer drops.
var harmlessMessages = []string{
	"Error parsing user locale",
	"Failed to look up user locale",
	"Preferences load error",
	"Getting favorite locations",
	// A click on a tray menu entry the menu has since replaced (its counts
	// changed): the desktop reads the new menu, and the click is lost.
	"systray error: no menu item with ID",
}

func harmless(line string) bool {
	for _, m := range harmlessMessages {
		if strings.Contains(line, m) {
			return true
		}
	}
	return false
}
