package serve

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// SensitiveDir reports whether serving dir would publish far more than a
// project: the file system root, a drive root, the home folder, a folder
// that holds it, or a hidden folder like ~/.ssh. The caller asks the user
// to confirm before serving such a folder; reason says why in one sentence.
func SensitiveDir(dir string) (reason string, sensitive bool) {
	p := realPath(dir)
	if filepath.Dir(p) == p {
		if v := filepath.VolumeName(p); v != "" {
			return "this is the root of drive " + v + ": every file on it that you can read would be served", true
		}
		return "this is the root of the file system: every file on the computer that you can read would be served", true
	}
	if home, err := os.UserHomeDir(); err == nil && home != "" {
		home = realPath(home)
		if samePath(p, home) {
			return "this is your home folder: everything in it, documents and keys included, would be served", true
		}
		if within(p, home) {
			return "this folder holds your home folder: everything in it, documents and keys included, would be served", true
		}
	}
	for _, name := range strings.Split(filepath.ToSlash(p), "/") {
		if strings.HasPrefix(name, ".") {
			return "this is inside the hidden folder " + name + ", where programs keep settings and keys", true
		}
	}
	return "", false
}

// realPath is dir made absolute with its links followed, or as near to
// that as the file system allows.
func realPath(dir string) string {
	p, err := filepath.Abs(dir)
	if err != nil {
		p = filepath.Clean(dir)
	}
	if r, err := filepath.EvalSymlinks(p); err == nil {
		p = r
	}
	return p
}

// within reports whether child is inside parent (both clean and absolute).
func within(parent, child string) bool {
	rel, err := filepath.Rel(parent, child)
	if err != nil || rel == "." {
		return false
	}
	return rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// samePath compares paths as the file system does: Windows and macOS
// ignore case by default.
func samePath(a, b string) bool {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		return strings.EqualFold(a, b)
	}
	return a == b
}
