package sniff

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"

	"github.com/loopscope/loopscope/internal/shellquote"
)

// A launcher that cannot hand the helper its pipes — macOS's
// administrator prompt, osascript's "do shell script … with
// administrator privileges", runs a shell command and returns its
// output only when it ends — starts the helper in the background with
// two FIFOs in a private folder instead: the helper's stdin reads one
// (closing it stops the helper, as closing a pipe does) and its stdout
// writes the other. The shell, not the helper, opens them: the helper
// still opens no files.

// ScriptLauncher runs a shell command line with administrator rights,
// after asking the user; nil where there is none.
type ScriptLauncher func(script string) *exec.Cmd

// AdminScript is this system's ScriptLauncher: osascript's prompt on
// macOS; nil elsewhere (Linux uses pkexec, which keeps the pipes).
func AdminScript() ScriptLauncher {
	if _, err := exec.LookPath("osascript"); err != nil || !isDarwin {
		return nil
	}
	return func(script string) *exec.Cmd {
		return exec.Command("osascript", "-e", "do shell script "+appleScriptString(script)+" with administrator privileges")
	}
}

// appleScriptString quotes s for AppleScript.
func appleScriptString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// fifoWait bounds how long the helper's shell may take to open the FIFOs
// once the launcher has returned.
const fifoWait = 15 * time.Second

// StartHelperDetached starts the helper through launch and connects to
// it through FIFOs. Call it off the UI goroutine: launch waits for the
// user's password.
func StartHelperDetached(launch ScriptLauncher, helper string, cfg LiveConfig) (*HelperSource, error) {
	dir, err := os.MkdirTemp("", "loopscope-capture-")
	if err != nil {
		return nil, err
	}
	control, stream, errs := filepath.Join(dir, "control"), filepath.Join(dir, "stream"), filepath.Join(dir, "stderr")
	for _, p := range []string{control, stream} {
		if err := mkfifo(p); err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("could not make the helper's pipe: %w", err)
		}
	}
	var words []string
	for _, a := range helperArgs(helper, cfg) {
		words = append(words, shellquote.Word(a))
	}
	// The subshell lets go of the launcher's output first: opening a FIFO
	// waits for its other end, which opens only once the launcher has
	// returned, and the launcher returns once its output is closed.
	script := "( " + strings.Join(words, " ") + " < " + shellquote.Word(control) +
		" > " + shellquote.Word(stream) + " 2> " + shellquote.Word(errs) + " ) < /dev/null > /dev/null 2>&1 &"
	if out, err := launch(script).CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("%w: administrator rights were not granted (%s)", ErrPermission, orExit(strings.TrimSpace(string(out)), err))
	}
	h := &HelperSource{stderr: &tailBuffer{max: 4096}, done: make(chan struct{}), ended: make(chan struct{}), dir: dir}
	ctl, err := openFIFO(control, os.O_WRONLY)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	h.stdin = ctl
	go h.watchDetached(errs)
	out, err := openFIFO(stream, os.O_RDONLY)
	if err != nil {
		h.Stop()
		h.streamEnded() // the watcher gives up soon and removes the folder
		return nil, err
	}
	h.out = out
	return h.readStream(out)
}

// openFIFO opens one end of a FIFO, which waits for the other end; after
// fifoWait it gives up, opening the other end itself to free the wait.
func openFIFO(path string, flag int) (*os.File, error) {
	type opened struct {
		f   *os.File
		err error
	}
	ch := make(chan opened, 1)
	go func() {
		f, err := os.OpenFile(path, flag, 0)
		ch <- opened{f, err}
	}()
	select {
	case o := <-ch:
		return o.f, o.err
	case <-time.After(fifoWait):
	}
	other := os.O_WRONLY
	if flag == os.O_WRONLY {
		other = os.O_RDONLY
	}
	if f, err := os.OpenFile(path, other|syscall.O_NONBLOCK, 0); err == nil {
		f.Close()
	}
	if o := <-ch; o.f != nil {
		o.f.Close()
	}
	return nil, errors.New("the capture helper did not start: its shell never opened its pipes")
}

// helperLine is a line the helper ends with: its counts, or an error.
var helperLine = regexp.MustCompile(`(?m)^(\d+ captured, (\d+|\?) dropped by kernel|loopscope-capture: .*)$`)

// watchDetached reads the helper's stderr file until the helper says it
// has ended (its counts, or an error and then silence), then takes what
// it said as the way it ended and removes the FIFOs' folder.
func (h *HelperSource) watchDetached(errs string) {
	defer close(h.done)
	defer os.RemoveAll(h.dir)
	var quietSince, endedAt time.Time
	last := ""
	for {
		select {
		case <-h.ended:
			if endedAt.IsZero() {
				endedAt = time.Now()
			}
		default:
		}
		if !endedAt.IsZero() && time.Since(endedAt) > 2*time.Second && !helperLine.MatchString(last) {
			h.err = errors.New("the capture helper ended without a word: it was ended from outside, or could not start")
			return
		}
		raw, _ := os.ReadFile(errs)
		text := string(raw)
		if text != last {
			last, quietSince = text, time.Now()
			h.stderr.reset(text)
		}
		switch {
		case statsLine.MatchString(text):
			if m := helperLine.FindString(text); strings.HasPrefix(m, "loopscope-capture: ") {
				h.err = h.detachedError(m)
			}
			return
		case helperLine.MatchString(text) && time.Since(quietSince) > 300*time.Millisecond:
			h.err = h.detachedError(helperLine.FindString(text))
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// detachedError is the error a detached helper's message names: its exit
// code is the shell's, not ours to see.
func (h *HelperSource) detachedError(line string) error {
	msg := strings.TrimPrefix(line, "loopscope-capture: ")
	switch {
	case strings.Contains(msg, "bad capture filter"):
		return fmt.Errorf("%w: %s", ErrFilter, strings.TrimPrefix(msg, "bad capture filter "))
	case strings.Contains(msg, "no permission"):
		return reasonError{msg, ErrPermission}
	}
	return fmt.Errorf("the capture helper stopped: %s", msg)
}
