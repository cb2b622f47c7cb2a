package serve

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestSensitiveDir(t *testing.T) {
	base := t.TempDir()
	home := filepath.Join(base, "users", "ada")
	for _, d := range []string{"project", ".ssh", "other"} {
		if err := os.MkdirAll(filepath.Join(home, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Join(base, "work"), 0o755); err != nil {
		t.Fatal(err)
	}
	mustSymlink(t, home, filepath.Join(base, "home-link"))
	t.Setenv("HOME", home)
	t.Setenv("USERPROFILE", home) // os.UserHomeDir on Windows

	tests := []struct {
		name, dir  string
		want       bool
		wantReason string
	}{
		{"home", home, true, "your home folder"},
		{"home with a trailing slash", home + string(filepath.Separator), true, "your home folder"},
		{"home through ..", filepath.Join(home, "project") + string(filepath.Separator) + "..", true, "your home folder"},
		{"link to home", filepath.Join(base, "home-link"), true, "your home folder"},
		{"folder holding home", filepath.Join(base, "users"), true, "holds your home folder"},
		{"grandparent of home", base, true, "holds your home folder"},
		{"hidden folder in home", filepath.Join(home, ".ssh"), true, "hidden folder .ssh"},
		{"project in home", filepath.Join(home, "project"), false, ""},
		{"missing folder in home", filepath.Join(home, "nope"), false, ""},
		{"beside home", filepath.Join(base, "work"), false, ""},
		{"home's name as a prefix", home + "-old", false, ""},
	}
	if runtime.GOOS == "windows" {
		tests = append(tests, struct {
			name, dir  string
			want       bool
			wantReason string
		}{"drive root", `C:\`, true, "root of drive C:"})
	} else {
		tests = append(tests, struct {
			name, dir  string
			want       bool
			wantReason string
		}{"file system root", "/", true, "root of the file system"})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reason, got := SensitiveDir(tt.dir)
			if got != tt.want || !strings.Contains(reason, tt.wantReason) {
				t.Errorf("SensitiveDir(%q) = %q, %v; want %v, a reason with %q", tt.dir, reason, got, tt.want, tt.wantReason)
			}
			if got && (!strings.HasPrefix(reason, "this ") || strings.HasSuffix(reason, ".")) {
				t.Errorf("reason %q is not one lower-case clause", reason)
			}
		})
	}
}
