package logfilter

import (
	"bytes"
	"log"
	"testing"
)

func TestWriterDropsOnlyTheLocaleMessage(t *testing.T) {
	var buf bytes.Buffer
	l := log.New(New(&buf), "", 0)
	l.Println("Fyne error:  Error parsing user locale C")
	l.Println("  Cause: language: tag is not well-formed")
	l.Printf("  At: %s:%d", "/fyne/lang/locale.go", 35)
	l.Println("Fyne error:  Preferences load error:")
	l.Println("  Cause: EOF")
	l.Println("  At: /fyne/app/preferences.go:103")
	l.Println("Fyne error:  Getting favorite locations")
	l.Println("  Cause: this computer does not define a VIDEOS folder")
	l.Println("  At: /fyne/dialog/file.go:396")
	l.Println("Fyne error:  something else")
	l.Println("  Cause: a real problem")
	l.Println("  At: x.go:1")
	l.Println("plain line")

	want := "Fyne error:  something else\n  Cause: a real problem\n  At: x.go:1\nplain line\n"
	if got := buf.String(); got != want {
		t.Fatalf("filtered log =\n%q\nwant\n%q", got, want)
	}
}
