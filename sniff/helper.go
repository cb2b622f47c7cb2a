package sniff

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gopacket/gopacket/layers"
)

// isDarwin: macOS, whose administrator prompt is osascript's.
const isDarwin = runtime.GOOS == "darwin"

// HelperName is the capture helper's program name.
const HelperName = "loopscope-capture"

// FindHelper finds the capture helper: beside the running program (where
// make install and make package put it), else on the PATH.
func FindHelper() (string, error) {
	name := HelperName
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	if self, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(self), name)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	return "", fmt.Errorf("the capture helper %s is not installed beside Loopscope: build it with 'make build' or install with 'make install'", name)
}

// AdminLauncher is the command that runs the helper with administrator
// rights after asking the user, keeping its pipes: pkexec on Linux. nil
// where there is none (macOS's prompt runs a script: AdminScript).
func AdminLauncher() []string {
	if runtime.GOOS == "linux" {
		if p, err := exec.LookPath("pkexec"); err == nil {
			return []string{p}
		}
	}
	return nil
}

// HelperSource captures through the helper program and reads its pcap
// stream: the window itself never gets the right to capture.
type HelperSource struct {
	cmd     *exec.Cmd
	stdin   io.WriteCloser
	r       *FileReader
	stderr  *tailBuffer
	once    sync.Once
	stopped atomic.Bool
	dir     string        // a detached helper's FIFOs (see StartHelperDetached); "" for pipes
	out     io.Closer     // a detached helper's stream FIFO, closed with the source
	ended   chan struct{} // a detached helper's stream ended: its watcher stops waiting for words soon
	endOnce sync.Once
	done    chan struct{}
	err     error // how the helper ended; set before done closes
}

// StartHelper runs launcher (nil, or pkexec…) helper -i … and waits for
// the stream's header: with pkexec, until the user has answered the
// password prompt. Call it off the UI goroutine.
func StartHelper(launcher []string, helper string, cfg LiveConfig) (*HelperSource, error) {
	args := append(append([]string(nil), launcher...), helperArgs(helper, cfg)...)
	h := &HelperSource{cmd: exec.Command(args[0], args[1:]...), stderr: &tailBuffer{max: 4096}, done: make(chan struct{})}
	h.cmd.Stderr = h.stderr
	var err error
	if h.stdin, err = h.cmd.StdinPipe(); err != nil {
		return nil, err
	}
	out, err := h.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := h.cmd.Start(); err != nil {
		return nil, fmt.Errorf("could not start the capture helper: %w", err)
	}
	go func() {
		werr := h.cmd.Wait()
		h.err = h.exitError(werr)
		close(h.done)
	}()
	return h.readStream(out)
}

// readStream starts reading the helper's pcap stream at its header; when
// none comes, the helper's own words say why.
func (h *HelperSource) readStream(out io.Reader) (*HelperSource, error) {
	r, err := NewFileReader(out)
	if err != nil {
		h.Stop()
		h.streamEnded()
		<-h.done
		if h.err != nil {
			return nil, h.err
		}
		return nil, fmt.Errorf("the capture helper sent no packets: %w", err)
	}
	h.r = r
	return h, nil
}

// reasonError is an error of a known kind (ErrPermission) whose words
// already say so: errors.Is finds the kind, the text is not doubled.
type reasonError struct {
	text string
	kind error
}

func (e reasonError) Error() string { return e.text }
func (e reasonError) Unwrap() error { return e.kind }

// helperArgs is the helper's command line for cfg.
func helperArgs(helper string, cfg LiveConfig) []string {
	args := []string{helper, "-i", cfg.Interface}
	if cfg.Filter != "" {
		args = append(args, "-f", cfg.Filter)
	}
	if cfg.Snaplen > 0 {
		args = append(args, "-s", strconv.Itoa(cfg.Snaplen))
	}
	if cfg.Promisc {
		args = append(args, "-p")
	}
	return args
}

// exitError turns the helper's exit into an error that says why, in the
// helper's (or pkexec's) words.
func (h *HelperSource) exitError(err error) error {
	if err == nil {
		return nil
	}
	msg := strings.TrimSpace(h.stderr.String())
	msg = strings.TrimSpace(statsLine.ReplaceAllString(msg, ""))
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		switch code := exit.ExitCode(); {
		case code == 126 || code == 127: // pkexec: the user dismissed the prompt, or was not authorised
			return fmt.Errorf("%w: administrator rights were not granted (%s)", ErrPermission, orExit(msg, err))
		case code == 2:
			if strings.Contains(msg, "bad capture filter") {
				return fmt.Errorf("%w: %s", ErrFilter, strings.TrimPrefix(msg, "loopscope-capture: bad capture filter "))
			}
		case strings.Contains(msg, "no permission"):
			return reasonError{strings.TrimPrefix(msg, "loopscope-capture: "), ErrPermission} // it names the kind already
		}
	}
	return fmt.Errorf("the capture helper stopped: %s", orExit(msg, err))
}

func orExit(msg string, err error) string {
	if msg != "" {
		return strings.TrimPrefix(msg, "loopscope-capture: ")
	}
	return err.Error()
}

var statsLine = regexp.MustCompile(`(?m)^(\d+) captured, (\d+|\?) dropped by kernel$`)

// LinkType is the link type of the helper's packets.
func (h *HelperSource) LinkType() layers.LinkType { return h.r.linkOf() }

// Next returns the next packet from the helper.
func (h *HelperSource) Next() (Record, error) {
	rec, err := h.r.Next()
	if err == nil {
		return rec, nil
	}
	h.streamEnded()
	<-h.done
	if h.err != nil {
		return Record{}, h.err
	}
	var dmg *DamageError
	if errors.Is(err, io.EOF) || errors.As(err, &dmg) { // a stop mid-record is a stop
		return Record{}, ErrStopped
	}
	return Record{}, err
}

// Stop closes the helper's stdin, which ends it.
func (h *HelperSource) Stop() {
	h.stopped.Store(true)
	h.once.Do(func() { h.stdin.Close() })
}

// Close stops the helper if it still runs, and lets go of its stream.
func (h *HelperSource) Close() {
	h.Stop()
	if h.out != nil {
		h.out.Close()
	}
}

// streamEnded tells a detached helper's watcher that no more packets
// come: a helper killed without a word must not leave the session waiting.
func (h *HelperSource) streamEnded() {
	if h.ended != nil {
		h.endOnce.Do(func() { close(h.ended) })
	}
}

// Stats are the helper's final counts, once it has ended; after Stop it
// waits a moment for them.
func (h *HelperSource) Stats() (Stats, error) {
	wait := time.Duration(0)
	if h.stopped.Load() {
		wait = 2 * time.Second
	}
	select {
	case <-h.done:
	case <-time.After(wait):
		return Stats{}, errors.New("the helper reports its counts when it ends")
	}
	m := statsLine.FindStringSubmatch(h.stderr.String())
	if m == nil {
		return Stats{}, errors.New("the helper reported no counts")
	}
	var st Stats
	st.Received, _ = strconv.Atoi(m[1])
	st.Dropped, _ = strconv.Atoi(m[2])
	return st, nil
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
	max int
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf.Write(p)
	if over := t.buf.Len() - t.max; over > 0 {
		t.buf.Next(over)
	}
	return len(p), nil
}

// reset makes the buffer hold the end of s.
func (t *tailBuffer) reset(s string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf.Reset()
	t.buf.WriteString(s[max(0, len(s)-t.max):])
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.buf.String()
}
