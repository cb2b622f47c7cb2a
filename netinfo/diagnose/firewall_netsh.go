package diagnose

import (
	"context"
	"errors"
	"strings"

	"github.com/loopscope/loopscope/internal/safetext"
)

// The parsers of Windows' netsh output, without a build tag so that they
// are tested on every OS. netsh speaks the system's language: only the
// English words are trusted, anything else "could not be read".

// netshRulesCommand lists the inbound rules; the Note names it.
const netshRulesCommand = "netsh advfirewall firewall show rule name=all dir=in"

// netshProfiles reads "netsh advfirewall show allprofiles": blocks of
// "Domain Profile Settings:" with "State  ON" and "Firewall Policy
// BlockInbound,AllowOutbound". on names the profiles that are on; drops
// is whether one of them blocks what no rule allows; ok is whether any
// profile's state could be parsed.
func netshProfiles(out string) (on []string, drops, ok bool) {
	profile := ""
	var order []string
	state, policy := map[string]string{}, map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		line = strings.TrimSpace(line)
		if name, isHead := strings.CutSuffix(line, " Profile Settings:"); isHead {
			profile = safetext.Line(name, 40)
			order = append(order, profile)
			continue
		}
		switch f := strings.Fields(line); {
		case profile == "":
		case len(f) == 2 && f[0] == "State" && (f[1] == "ON" || f[1] == "OFF"):
			state[profile], ok = f[1], true
		case len(f) == 3 && f[0] == "Firewall" && f[1] == "Policy":
			policy[profile] = f[2]
		}
	}
	for _, p := range order {
		if state[p] == "ON" {
			on = append(on, p)
			drops = drops || strings.HasPrefix(policy[p], "BlockInbound")
		}
	}
	return on, drops, ok
}

// netshRule is one block of "netsh advfirewall firewall show rule".
type netshRule map[string]string

// netshRules reads "netsh advfirewall firewall show rule name=all dir=in"
// for the enabled rules whose LocalPort ("8080", "80,443", "8000-8100";
// not "Any") holds port, as "Name (Allow, TCP)"; ok is whether the
// output could be parsed.
func netshRules(out string, port uint16) (rules []string, ok bool) {
	rules = []string{}
	var blocks []netshRule
	for _, line := range strings.Split(out, "\n") {
		key, value, isField := strings.Cut(strings.TrimSpace(line), ":")
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		switch {
		case strings.TrimSpace(line) == "No rules match the specified criteria.":
			ok = true
		case !isField:
		case key == "Rule Name":
			blocks = append(blocks, netshRule{key: value})
		case len(blocks) > 0:
			blocks[len(blocks)-1][key] = value
		}
	}
	for _, b := range blocks {
		enabled := b["Enabled"]
		ok = ok || enabled == "Yes" || enabled == "No"
		if enabled == "Yes" && portListHolds(b["LocalPort"], int(port)) {
			rules = append(rules, safetext.Line(b["Rule Name"]+" ("+b["Action"]+", "+b["Protocol"]+")", 300))
		}
	}
	return rules, ok
}

// portListHolds reports whether a list "80,443,8000-8100" holds port.
func portListHolds(list string, port int) bool {
	for _, tok := range strings.Split(list, ",") {
		if inRange(tok, port) {
			return true
		}
	}
	return false
}

// netshFirewall puts the profiles' state and the inbound rules together,
// with the errors of the commands that printed them.
func netshFirewall(state string, stateErr error, list string, listErr error, port uint16) Firewall {
	fw := Firewall{Rules: []string{}}
	on, drops, ok := netshProfiles(state)
	switch {
	case stateErr != nil || !ok:
		fw.Note = "Windows Firewall's state could not be read; check it with 'netsh advfirewall show allprofiles state'."
		return fw
	case len(on) == 0:
		fw.Read, fw.Tool = true, "netsh"
		fw.Note = "Windows Firewall is off for every profile: it lets everything through."
		return fw
	}
	fw.Read, fw.Active, fw.Drops, fw.Tool = true, true, drops, "netsh"
	fw.Note = "Windows Firewall is on for the " + joinAnd(on) + " profiles."
	if len(on) == 1 {
		fw.Note = "Windows Firewall is on for the " + on[0] + " profile."
	}
	rules, rulesOK := netshRules(list, port)
	switch {
	case errors.Is(listErr, context.DeadlineExceeded):
		fw.Note += " Its inbound rules could not be read in time; list them with '" + netshRulesCommand + "'."
	case !rulesOK: // netsh fails when no rule matches, yet says so
		fw.Note += " Its inbound rules could not be read; list them with '" + netshRulesCommand + "'."
	case len(rules) > 0:
		fw.Rules = rules
		fw.Note += " Enabled inbound rules name this port."
	default:
		fw.Note += " No enabled inbound rule names this port; a rule for a whole program may still let it in (Windows asks the first time a program listens)."
	}
	return fw
}

// joinAnd joins "Domain", "Private", "Public" as "Domain, Private and
// Public".
func joinAnd(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
