package texttable

import (
	"strings"
	"testing"
)

func TestWidth(t *testing.T) {
	tests := []struct {
		s    string
		want int
	}{
		{"nginx", 5}, {"漢字", 4}, {"😀😀", 4}, {"e\u0301\u0302", 1}, {"café", 4}, {"", 0},
	}
	for _, tt := range tests {
		if got := Width(tt.s); got != tt.want {
			t.Errorf("Width(%q) = %d, want %d", tt.s, got, tt.want)
		}
	}
}

// TestColumnsLineUpOnScreen: the third column starts at the same screen
// column on every line, whatever the names before it are made of.
func TestColumnsLineUpOnScreen(t *testing.T) {
	rows := [][]string{{"PID", "PROCESS", "USER"}, {"1", "漢字漢字漢", "root"}, {"22", "😀😀😀", "root"}, {"333", "e\u0301\u0301\u0301x", "root"}, {"4", "plain", "root"}}
	var b strings.Builder
	if err := Write(&b, rows); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	want := -1
	for _, l := range lines {
		i := strings.LastIndex(l, "  ")
		col := Width(l[:i+2])
		if want < 0 {
			want = col
		} else if col != want {
			t.Errorf("line %q: last column at screen column %d, want %d", l, col, want)
		}
	}
}
