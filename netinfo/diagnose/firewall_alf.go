package diagnose

import (
	"strconv"
	"strings"

	"github.com/loopscope/loopscope/internal/safetext"
)

// The parsers of macOS firewall tools' output, without a build tag so
// that they are tested on every OS.

// alf is what socketfilterfw says of macOS's Application Firewall.
type alf struct {
	known    bool // the global state could be parsed
	on       bool
	blockAll bool // it blocks all incoming connections but essential ones
	stealth  bool // it does not answer probes of closed ports
}

// parseALF reads socketfilterfw's --getglobalstate ("Firewall is
// enabled. (State = 1)"), --getblockall ("Block all ENABLED!") and
// --getstealthmode ("Stealth mode enabled"); newer releases word the
// last two "... is on" or "... set to enabled.".
func parseALF(state, blockAll, stealth string) alf {
	var a alf
	switch {
	case strings.Contains(state, "(State = 0)"), strings.Contains(state, "Firewall is disabled"):
		a.known = true
	case strings.Contains(state, "(State = 2)"): // the old way to say block all
		a.known, a.on, a.blockAll = true, true, true
	case strings.Contains(state, "(State = 1)"), strings.Contains(state, "Firewall is enabled"):
		a.known, a.on = true, true
	}
	a.blockAll = a.blockAll || a.on && says(blockAll, "block all")
	a.stealth = a.on && says(stealth, "stealth mode")
	return a
}

// says reports whether out turns subject on: "Block all ENABLED!",
// "Firewall stealth mode is on".
func says(out, subject string) bool {
	s := strings.ToLower(strings.TrimSpace(out))
	if !strings.Contains(s, subject) || strings.Contains(s, "disabled") {
		return false
	}
	return strings.Contains(s, "enabled") || strings.HasSuffix(strings.TrimRight(s, ".!"), " on")
}

// alfFirewall puts the Application Firewall's state together with the
// pf rules ("pfctl -s rules", read when pfOK) that name port.
func alfFirewall(a alf, pfOut string, pfOK bool, port uint16) Firewall {
	fw := Firewall{Read: a.known || pfOK, Active: a.on, Drops: a.blockAll, Rules: []string{}}
	p := strconv.Itoa(int(port))
	for _, line := range strings.Split(pfOut, "\n") {
		if line = strings.TrimSpace(line); pfOK && mentions(line, p) {
			fw.Rules = append(fw.Rules, safetext.Line(line, 300))
		}
	}
	switch {
	case a.known:
		fw.Tool = "socketfilterfw"
	case pfOK:
		fw.Tool = "pf"
	}
	switch {
	case !a.known:
		fw.Note = "The Application Firewall's state could not be read; see it in System Settings, Network, Firewall."
	case a.blockAll:
		fw.Note = "The Application Firewall is on and blocks all incoming connections but those essential services need: other machines are likely blocked."
	case a.on:
		fw.Note = "The Application Firewall is on: it allows or blocks programs, not ports; macOS asks the first time a program listens for connections from other machines."
	default:
		fw.Note = "The Application Firewall is off: it lets every program accept connections from other machines."
	}
	if a.stealth {
		fw.Note += " Stealth mode is on: it does not answer connections to closed ports, so those wait instead of being refused."
	}
	if len(fw.Rules) > 0 {
		fw.Note += " pf has rules that name this port."
	}
	return fw
}
