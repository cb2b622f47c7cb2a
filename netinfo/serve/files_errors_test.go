package serve

import (
	"errors"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestNewFilesHandlerErrors(t *testing.T) {
	dir := t.TempDir()
	writeFilesTree(t, dir, map[string]string{"file.txt": "x"})
	tests := []struct {
		name, dir string
		want      []string
		is        error
	}{
		{"none", "", []string{"no folder chosen", "choose a folder"}, nil},
		{"missing", filepath.Join(dir, "nope"), []string{"does not exist", "choose another folder", "nope"}, fs.ErrNotExist},
		{"file", filepath.Join(dir, "file.txt"), []string{"is not a folder", "choose a folder"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := newFilesHandler(Config{Dir: tt.dir})
			if err == nil {
				h.(io.Closer).Close()
				t.Fatal("no error")
			}
			msg := err.Error()
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q lacks %q", msg, w)
				}
			}
			if !strings.HasPrefix(msg, "serve: ") {
				t.Errorf("error %q does not start with the package", msg)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(%v, %v) is false", err, tt.is)
			}
		})
	}
}

// TestNewFilesHandlerUnreadable needs a user the permissions apply to.
func TestNewFilesHandlerUnreadable(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("running as root, which reads every folder; failure() is tested for permission errors instead")
	}
	dir := filepath.Join(t.TempDir(), "locked")
	if err := os.Mkdir(dir, 0o000); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
	_, err := newFilesHandler(Config{Dir: dir})
	if err == nil || !strings.Contains(err.Error(), "not readable") || !errors.Is(err, fs.ErrPermission) {
		t.Errorf("error %v, want one saying the folder is not readable", err)
	}
}

// TestFilesPermissionDenied needs a user the permissions apply to.
func TestFilesPermissionDenied(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("running as root, which reads every file; failure() is tested for permission errors instead")
	}
	www := t.TempDir()
	writeFilesTree(t, www, map[string]string{"locked.txt": "x"})
	os.Chmod(filepath.Join(www, "locked.txt"), 0o000)
	s := startFiles(t, Config{Dir: www})
	if resp, _ := s.do(t, "GET", "/locked.txt", nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("status %d, want 403", resp.StatusCode)
	}
}

func TestFailure(t *testing.T) {
	tests := []struct {
		name       string
		err        error
		wantStatus int
		wantNote   string
	}{
		{"permission", &fs.PathError{Op: "open", Path: "x", Err: fs.ErrPermission}, 403, "permission denied"},
		{"missing", &fs.PathError{Op: "open", Path: "x", Err: fs.ErrNotExist}, 404, "not found"},
		{"outside", errOutside, 404, "outside the folder"},
		{"root escape", &fs.PathError{Op: "openat", Path: "x", Err: errors.New("path escapes from parent")}, 404, "outside the folder"},
		{"escapes only in the path", &fs.PathError{Op: "lstat", Path: "escapes/x", Err: errors.New("not a directory")}, 404, "not found"},
		{"hidden", errHidden, 404, "hidden file"},
		{"pipe", errNotRegular, 404, "not a regular file"},
		{"other", errors.New("file name too long"), 404, "not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, note := failure(tt.err)
			if status != tt.wantStatus || note != tt.wantNote {
				t.Errorf("failure(%v) = %d, %q; want %d, %q", tt.err, status, note, tt.wantStatus, tt.wantNote)
			}
		})
	}
}
