package main

import (
	"strings"
	"testing"
)

func TestParseSize(t *testing.T) {
	tests := []struct {
		in     string
		w, h   int
		wantOK bool
	}{
		{"1180x720", 1180, 720, true},
		{"900X600", 900, 600, true},
		{"900x600x3", 0, 0, false},
		{"x600", 0, 0, false},
		{"900", 0, 0, false},
		{"abc", 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			w, h, ok := parseSize(tt.in)
			if ok != tt.wantOK || (ok && (w != tt.w || h != tt.h)) {
				t.Errorf("parseSize(%q) = %d, %d, %v; want %d, %d, %v", tt.in, w, h, ok, tt.w, tt.h, tt.wantOK)
			}
		})
	}
}

// FuzzParseScreenshotArgs: no command line makes the parser panic, and
// whatever it accepts is a size the window can take.
func FuzzParseScreenshotArgs(f *testing.F) {
	for _, seed := range []string{"--size 900x600 a.png", "a.png --tab Ports", "--select 80 x.png", "--size 1x1 a.png", "--select 0 a.png", ""} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, line string) {
		sa, err := parseScreenshotArgs(strings.Fields(line))
		if err == nil && (sa.size.Width < 320 || sa.size.Height < 240 || sa.file == "") {
			t.Errorf("accepted %q as %+v", line, sa)
		}
	})
}
