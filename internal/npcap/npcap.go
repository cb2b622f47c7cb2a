// Package npcap tells whether Windows can capture packets: libpcap there
// is Npcap, a driver the user installs, and capturing on loopback needs
// its "Support loopback traffic" option. Elsewhere libpcap comes with the
// system and Check says nothing.
package npcap

import "errors"

// ErrMissing: Npcap is not installed.
var ErrMissing = errors.New("Npcap is not installed")

// Advice is what to do about a missing Npcap, in one sentence.
const Advice = "Install Npcap from https://npcap.com (free for personal use) and restart Loopscope; " +
	"tick \"Support loopback traffic\" in its installer to capture between programs on this machine."
