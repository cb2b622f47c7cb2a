package diagnose

import "context"

// socketfilterfw is the Application Firewall's command line; its --get
// options answer any user.
const socketfilterfw = "/usr/libexec/ApplicationFirewall/socketfilterfw"

// readFirewall asks the Application Firewall for its state and pf for its
// rules (root only: for anyone else pfctl fails, and pf is left out),
// all side by side so that the whole stays within one timeout.
func readFirewall(ctx context.Context, port uint16) Firewall {
	var state, blockAll, stealth, pf string
	var pfOK bool
	parallel(
		func() { state, _ = run(ctx, socketfilterfw, "--getglobalstate") },
		func() { blockAll, _ = run(ctx, socketfilterfw, "--getblockall") },
		func() { stealth, _ = run(ctx, socketfilterfw, "--getstealthmode") },
		func() { pf, pfOK = run(ctx, "/sbin/pfctl", "-s", "rules") },
	)
	return alfFirewall(parseALF(state, blockAll, stealth), pf, pfOK, port)
}
