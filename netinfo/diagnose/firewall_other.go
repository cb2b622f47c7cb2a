//go:build !linux && !darwin && !windows

package diagnose

import "context"

// readFirewall says what it cannot read yet: this system's firewall
// (BSD's pf, ipfw) is not asked.
func readFirewall(context.Context, uint16) Firewall {
	return Firewall{Rules: []string{}, Note: "Loopscope does not read this system's firewall yet."}
}
