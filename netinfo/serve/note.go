package serve

import (
	"net/http"
	"sync"
)

// noteTaker is a ResponseWriter that keeps a note for its request's log
// entry: the server's logWriter, or a test's.
type noteTaker interface{ setNote(string) }

// annotate leaves a short note on the request's log entry: why it was
// refused or what answered it ("hidden file", "outside the folder",
// "route GET /users/:id"). The last note wins. It rides on the
// ResponseWriter, which the server already wraps, so it costs no
// allocation per request.
func annotate(w http.ResponseWriter, note string) {
	for {
		if n, ok := w.(noteTaker); ok {
			n.setNote(note)
			return
		}
		u, ok := w.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			return
		}
		w = u.Unwrap()
	}
}

// entryNote is a note kept apart from the log, for tests that call a
// handler without the server around it.
type entryNote struct {
	mu   sync.Mutex // guards text: a delayed handler may write it late
	text string
}

func (n *entryNote) setNote(s string) {
	n.mu.Lock()
	n.text = s
	n.mu.Unlock()
}

func (n *entryNote) get() string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.text
}

// notedWriter gives a ResponseWriter a note.
type notedWriter struct {
	http.ResponseWriter
	*entryNote
}

func (w notedWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// withNote wraps w so that annotate's note lands in the returned note.
func withNote(w http.ResponseWriter) (http.ResponseWriter, *entryNote) {
	n := &entryNote{}
	return notedWriter{w, n}, n
}
