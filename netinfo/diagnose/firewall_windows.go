package diagnose

import (
	"context"
	"os/exec"
	"syscall"
)

// createNoWindow keeps a tool from flashing a console over the window.
const createNoWindow = 0x08000000

// readFirewall asks netsh for each profile's state and, side by side so
// that both fit one timeout, for the inbound rules (a long list, which
// may not be read in time).
func readFirewall(ctx context.Context, port uint16) Firewall {
	var state, list string
	var stateErr, listErr error
	parallel(
		func() { state, stateErr = output(ctx, "netsh", "advfirewall", "show", "allprofiles") },
		func() {
			list, listErr = output(ctx, "netsh", "advfirewall", "firewall", "show", "rule", "name=all", "dir=in")
		},
	)
	return netshFirewall(state, stateErr, list, listErr, port)
}

// hideConsole starts cmd without a console window: the app has none.
func hideConsole(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{HideWindow: true, CreationFlags: createNoWindow}
}
