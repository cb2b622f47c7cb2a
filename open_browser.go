package main

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"os/exec"
	"runtime"
	"strings"

	"github.com/loopscope/loopscope/internal/safetext"
)

// openBrowser opens u with the desktop's opener and waits for its answer,
// so that "no browser" reaches the window instead of only stderr (Fyne's
// OpenURL starts the opener and cannot tell).
func openBrowser(u *url.URL) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", u.String())
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", u.String())
	default:
		cmd = exec.Command("xdg-open", u.String())
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ee):
		// The opener's last line says why; the lines before are noise.
		why := fmt.Sprintf("%s exited with code %d", cmd.Args[0], ee.ExitCode())
		lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
		if last := strings.TrimSpace(lines[len(lines)-1]); last != "" {
			why = cmd.Args[0] + ": " + strings.TrimSuffix(last, ".")
		}
		return errors.New(safetext.Line(why, 200))
	}
	return fmt.Errorf("%s: %w", cmd.Args[0], err)
}
