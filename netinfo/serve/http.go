package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// Timeouts of the HTTP servers: a client that sends its headers slowly,
// or stops reading, is cut off instead of holding a connection forever.
// Variables, so a test can shorten them.
var (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 60 * time.Second
	writeTimeout      = 10 * time.Minute // a large file to a slow device
	idleTimeout       = 2 * time.Minute
)

// serveHTTP serves h, inside the safety layer, on the listener. Start
// calls it holding s.mu.
func (s *Server) serveHTTP(h http.Handler) {
	ap, _ := addrPortOf(s.ln.Addr())
	port := strconv.Itoa(int(ap.Port()))
	s.httpSrv = &http.Server{
		Handler:           s.guard(newHostPolicy(s.bind, port, s.Exposed()), h),
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    MaxHeaderBytes,
		BaseContext:       func(net.Listener) context.Context { return s.ctx },
		ErrorLog:          discardLog,
	}
	ln := s.ln
	if s.cfg.Kind == Echo {
		ln = recordingListener(ln, echoRecordLimit)
		s.httpSrv.ConnContext = rawConnContext
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		if err := s.httpSrv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.fail(fmt.Errorf("serve: stopped serving: %w", err))
		}
	}()
}

// guard is the safety layer every HTTP kind sits behind: the Host
// allowlist, nosniff, CORS only for the origins the user listed, the
// body size limit, and the request log.
func (s *Server) guard(hosts *hostPolicy, inner http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		s.inFlight.Add(1)
		defer s.inFlight.Add(-1)
		lw := &logWriter{ResponseWriter: w}
		defer s.logHTTP(r, lw, start)
		lw.Header().Set("X-Content-Type-Options", "nosniff")
		if !hosts.allows(r.Host, r.ProtoMajor == 1 && r.ProtoMinor == 0) {
			refuseHost(lw, r)
			return
		}
		if s.cors(lw, r) {
			return
		}
		r.Body = http.MaxBytesReader(lw, r.Body, MaxBodyBytes)
		inner.ServeHTTP(lw, r)
	})
}

// refuseHost answers a request whose Host is not one of this server's
// names: 421 Misdirected Request, with the reason.
func refuseHost(w http.ResponseWriter, r *http.Request) {
	annotate(w, "refused: Host is not a local name")
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusMisdirectedRequest)
	fmt.Fprintf(w, "Loopscope refused this request: the Host header %q is not a name of this server.\n"+
		"Local servers answer only to localhost, 127.0.0.1 and [::1] (and, when reachable from other devices, this machine's own names),\n"+
		"so a web page cannot read them through DNS rebinding.\n", r.Host)
}

// cors adds the CORS headers for an origin the user listed, and answers
// a preflight request. It reports whether it answered.
func (s *Server) cors(w http.ResponseWriter, r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" || !slices.Contains(s.cfg.CORSOrigins, origin) {
		return false
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", origin)
	h.Add("Vary", "Origin")
	if r.Method != http.MethodOptions || r.Header.Get("Access-Control-Request-Method") == "" {
		return false
	}
	h.Set("Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS")
	if req := r.Header.Get("Access-Control-Request-Headers"); req != "" {
		h.Set("Access-Control-Allow-Headers", req)
	}
	h.Set("Access-Control-Max-Age", "600")
	w.WriteHeader(http.StatusNoContent)
	annotate(w, "CORS preflight")
	return true
}

// logHTTP adds a request's entry to the log.
func (s *Server) logHTTP(r *http.Request, lw *logWriter, start time.Time) {
	s.served.Add(1)
	status := lw.status
	if status == 0 {
		status = http.StatusOK
	}
	s.log.add(Entry{
		Time: start, Client: r.RemoteAddr, Method: r.Method, Path: r.RequestURI,
		Status: status, Bytes: lw.bytes, Duration: time.Since(start), Note: lw.note,
	})
}

// logWriter notes the status and the bytes of a response, and the
// handler's note. Only the request's own goroutine touches it.
type logWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
	note   string
}

func (w *logWriter) setNote(s string) { w.note = s }

func (w *logWriter) WriteHeader(code int) {
	if w.status == 0 || code >= 200 && w.status < 200 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *logWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// ReadFrom keeps the sendfile path of the connection for files.
func (w *logWriter) ReadFrom(src io.Reader) (int64, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := io.Copy(w.ResponseWriter, src)
	w.bytes += n
	return n, err
}

// Flush sends what is buffered, for handlers that stream.
func (w *logWriter) Flush() { http.NewResponseController(w.ResponseWriter).Flush() }

// Unwrap lets http.ResponseController reach the connection (flush, deadlines).
func (w *logWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
