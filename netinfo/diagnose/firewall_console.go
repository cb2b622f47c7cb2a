//go:build !windows

package diagnose

import "os/exec"

// hideConsole does nothing: only Windows opens a console for a tool.
func hideConsole(*exec.Cmd) {}
