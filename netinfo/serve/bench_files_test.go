package serve

import (
	"crypto/rand"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkFileHandlers serves one 4 KiB file in process, without the
// network: Go's plain http.FileServer, Loopscope's file handler alone,
// and the handler inside the safety layer (Host check, log). The
// network comparison with python is scripts/servebench.
func BenchmarkFileHandlers(b *testing.B) {
	dir := b.TempDir()
	data := make([]byte, 4096)
	rand.Read(data)
	os.WriteFile(filepath.Join(dir, "file.bin"), data, 0o644)
	files, err := newFilesHandler(Config{Kind: Files, Dir: dir})
	if err != nil {
		b.Fatal(err)
	}
	defer files.(io.Closer).Close()
	s, err := New(Config{Kind: Files, Dir: dir})
	if err != nil {
		b.Fatal(err)
	}
	guarded := s.guard(newHostPolicy("127.0.0.1", "8000", false), files)
	for _, h := range []struct {
		name string
		h    http.Handler
	}{
		{"http.FileServer", http.FileServer(http.Dir(dir))},
		{"loopscope-handler", files},
		{"loopscope-guarded", guarded},
	} {
		b.Run(h.name, func(b *testing.B) {
			b.ReportAllocs()
			req := httptest.NewRequest("GET", "http://127.0.0.1:8000/file.bin", nil)
			for b.Loop() {
				w := httptest.NewRecorder()
				h.h.ServeHTTP(w, req)
				if w.Code != 200 || w.Body.Len() != 4096 {
					b.Fatalf("%d, %d bytes", w.Code, w.Body.Len())
				}
			}
		})
	}
}
