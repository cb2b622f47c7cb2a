package serve

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// filesHandler serves the files of one folder, like `python -m http.server`,
// but never anything outside it and, unless asked, nothing hidden.
type filesHandler struct {
	root       *os.Root // the served folder; every file is opened through it
	dirFD      int      // the same folder for openPlain; -1 when it is off
	showHidden bool
}

// folderError is a message for the user that still answers errors.Is for
// the error under it, without repeating that error's text.
type folderError struct {
	msg string
	err error
}

func (e *folderError) Error() string { return e.msg }
func (e *folderError) Unwrap() error { return e.err }

// newFilesHandler opens cfg.Dir for serving. The handler keeps the folder
// open until Close.
func newFilesHandler(cfg Config) (http.Handler, error) {
	if cfg.Dir == "" {
		return nil, errors.New("serve: no folder chosen; choose a folder to serve")
	}
	dir, err := filepath.Abs(cfg.Dir)
	if err != nil {
		return nil, fmt.Errorf("serve: folder %q: %w; choose another folder", cfg.Dir, err)
	}
	if err := checkFolder(dir); err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, folderOpenError(dir, err)
	}
	if err := checkListable(root); err != nil {
		root.Close()
		return nil, folderOpenError(dir, err)
	}
	return &filesHandler{root: root, dirFD: openDirFD(dir), showHidden: cfg.ShowHidden}, nil
}

// checkFolder says, in words the user can act on, why dir cannot be served.
func checkFolder(dir string) error {
	info, err := os.Stat(dir)
	if err != nil {
		return folderOpenError(dir, err)
	}
	if !info.IsDir() {
		return &folderError{fmt.Sprintf("serve: %q is not a folder; choose a folder to serve", dir), fs.ErrInvalid}
	}
	return nil
}

func folderOpenError(dir string, err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return &folderError{fmt.Sprintf("serve: folder %q does not exist; choose another folder", dir), err}
	case errors.Is(err, fs.ErrPermission):
		return &folderError{fmt.Sprintf("serve: folder %q is not readable; choose another folder or change its permissions", dir), err}
	}
	return fmt.Errorf("serve: open folder %q: %w; choose another folder", dir, err)
}

// checkListable reads one entry of the folder: a folder we may enter but
// not list would answer every request with 403.
func checkListable(root *os.Root) error {
	f, err := root.Open(".")
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.ReadDir(1); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	return nil
}

// Close closes the served folder; the server calls it when it stops.
func (h *filesHandler) Close() error {
	closeDirFD(h.dirFD)
	return h.root.Close()
}

func (h *filesHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		annotate(w, "method not allowed")
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed: this server only answers GET and HEAD", http.StatusMethodNotAllowed)
		return
	}
	segs, err := requestSegments(r.URL.Path)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !h.showHidden && hiddenPath(segs) {
		h.fail(w, r, errHidden)
		return
	}
	slash := strings.HasSuffix(r.URL.Path, "/")
	if f, info, ok := h.openPlain(segs); ok && !slash {
		defer f.Close()
		serveOpened(w, r, f, info)
		return
	} else if ok {
		f.Close()
	}
	actual, info, err := h.resolve(segs)
	if err == nil && !h.showHidden && hiddenPath(actual) {
		err = errHidden // a visible link to a hidden file
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	switch {
	case info.IsDir() && !slash:
		redirect(w, r, segs, true)
	case info.IsDir():
		h.serveDir(w, r, segs, actual)
	case !info.Mode().IsRegular():
		// Devices, pipes and sockets: opening a pipe would block forever.
		h.fail(w, r, errNotRegular)
	case slash:
		redirect(w, r, segs, false)
	default:
		h.serveFile(w, r, actual)
	}
}

// serveFile sends a regular file; ServeContent answers Range,
// If-Modified-Since and HEAD, and picks the type from the extension.
func (h *filesHandler) serveFile(w http.ResponseWriter, r *http.Request, actual []string) {
	f, err := h.root.Open(joinSegments(actual))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	defer f.Close()
	info, err := f.Stat()
	if err == nil && !info.Mode().IsRegular() {
		err = errNotRegular // it changed since resolve looked
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	serveOpened(w, r, f, info)
}

// serveOpened sends an open regular file.
func serveOpened(w http.ResponseWriter, r *http.Request, f *os.File, info fs.FileInfo) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, r, info.Name(), info.ModTime(), f)
}

// serveDir serves the folder's index.html if it has a visible one, else a
// listing.
func (h *filesHandler) serveDir(w http.ResponseWriter, r *http.Request, segs, actual []string) {
	index, info, err := h.resolve(append(slices.Clip(actual), "index.html"))
	if err == nil && info.Mode().IsRegular() && (h.showHidden || !hiddenPath(index)) {
		annotate(w, "index.html")
		h.serveFile(w, r, index)
		return
	}
	page, err := h.listing(segs, actual)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	annotate(w, "listing")
	writeListing(w, page)
}

// redirect sends the client to the canonical form of the path, with a
// trailing slash for a folder and without one for a file, so that relative
// links in pages resolve. The path is rebuilt from its segments, so "//host"
// can never become a redirect to another site.
func redirect(w http.ResponseWriter, r *http.Request, segs []string, dir bool) {
	target := "/" + escapeSegments(segs)
	if dir && len(segs) > 0 {
		target += "/"
	}
	if r.URL.RawQuery != "" {
		target += "?" + r.URL.RawQuery
	}
	http.Redirect(w, r, target, http.StatusMovedPermanently)
}

// fail answers an error with 404, or 403 when the file exists but may not
// be read: a served folder never answers 500 for a path it cannot serve,
// and never tells a hidden or outside file from a missing one.
func (h *filesHandler) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, note := failure(err)
	annotate(w, note)
	if status == http.StatusForbidden {
		http.Error(w, "permission denied: the server may not read this file", status)
		return
	}
	http.Error(w, "not found", status)
}

// failure maps an error to a status and the note for the request log.
func failure(err error) (int, string) {
	switch {
	case errors.Is(err, errOutside):
		return http.StatusNotFound, "outside the folder"
	case errors.Is(err, errHidden):
		return http.StatusNotFound, "hidden file"
	case errors.Is(err, errNotRegular):
		return http.StatusNotFound, "not a regular file"
	case errors.Is(err, fs.ErrPermission):
		return http.StatusForbidden, "permission denied"
	case errors.Is(err, fs.ErrNotExist):
		return http.StatusNotFound, "not found"
	}
	// os.Root reports escapes with an unexported error ("path escapes from
	// parent"); its text is read without the path, which the client chose.
	// Anything else about the path (ENOTDIR, ELOOP, a name too long) is
	// just not there.
	var pe *fs.PathError
	if errors.As(err, &pe) && strings.Contains(pe.Err.Error(), "escapes") {
		return http.StatusNotFound, "outside the folder"
	}
	return http.StatusNotFound, "not found"
}
