package serve

import (
	"errors"
	"io/fs"
	"net/url"
	"path/filepath"
	"runtime"
	"strings"
)

var (
	errOutside    = errors.New("serve: path leads outside the folder")
	errHidden     = errors.New("serve: hidden file")
	errNotRegular = errors.New("serve: not a regular file")
)

// maxLinks bounds the symlinks followed for one path, as the kernel does,
// so a loop of links ends.
const maxLinks = 40

// requestSegments splits a decoded URL path into names, dropping empty and
// "." ones. Any ".." is refused rather than cleaned: a client that sends
// one, in whatever encoding, is trying to leave the folder.
func requestSegments(p string) ([]string, error) {
	var segs []string
	for _, s := range strings.Split(p, "/") {
		switch {
		case s == "" || s == ".":
			continue
		case s == ".." || badSegment(s):
			return nil, errOutside
		}
		segs = append(segs, s)
	}
	return segs, nil
}

// badSegment reports names a file system would read as more than one name:
// NUL ends a C string, a backslash is a separator on Windows, and a colon
// there names a drive or an alternate data stream. Backslashes are refused
// everywhere so that a folder behaves the same on every system.
func badSegment(s string) bool {
	if strings.ContainsAny(s, "\x00\\") {
		return true
	}
	return runtime.GOOS == "windows" && strings.Contains(s, ":")
}

// resolve follows segs inside the root, symlinks included, the way os.Root
// does, and returns the actual path (no links left) with its Lstat info. The
// handler needs the actual path to judge what a link points to: a visible
// link to .env is still .env.
func (h *filesHandler) resolve(segs []string) ([]string, fs.FileInfo, error) {
	todo := append([]string(nil), segs...)
	var actual []string
	var last fs.FileInfo // the Lstat of actual, while it is current
	links := 0
	for len(todo) > 0 {
		s := todo[0]
		todo = todo[1:]
		switch s {
		case "", ".":
			continue
		case "..":
			if len(actual) == 0 {
				return nil, nil, errOutside
			}
			actual, last = actual[:len(actual)-1], nil
			continue
		}
		next := append(actual, s)
		info, err := h.root.Lstat(joinSegments(next))
		if err != nil {
			return nil, nil, err
		}
		if info.Mode()&fs.ModeSymlink == 0 {
			actual, last = next, info
			continue
		}
		last = nil
		if links++; links > maxLinks {
			return nil, nil, &fs.PathError{Op: "resolve", Path: joinSegments(segs), Err: errors.New("too many links")}
		}
		target, err := h.root.Readlink(joinSegments(next))
		if err != nil {
			return nil, nil, err
		}
		if filepath.IsAbs(target) || strings.HasPrefix(target, "/") || filepath.VolumeName(target) != "" {
			return nil, nil, errOutside // os.Root refuses absolute links too
		}
		todo = append(strings.Split(filepath.ToSlash(target), "/"), todo...)
	}
	if last != nil {
		return actual, last, nil // the usual case: no link, no second look
	}
	info, err := h.root.Lstat(joinSegments(actual))
	return actual, info, err
}

// joinSegments is the name os.Root expects: "." for the folder itself.
func joinSegments(segs []string) string {
	if len(segs) == 0 {
		return "."
	}
	return strings.Join(segs, "/")
}

// escapeSegments percent-encodes each name, so "a b#?.txt" stays one name.
func escapeSegments(segs []string) string {
	esc := make([]string, len(segs))
	for i, s := range segs {
		esc[i] = url.PathEscape(s)
	}
	return strings.Join(esc, "/")
}
