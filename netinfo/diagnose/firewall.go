package diagnose

import (
	"context"
	"os/exec"
	"runtime"
	"strconv"
	"strings"

	"github.com/loopscope/loopscope/internal/safetext"
)

// Firewall is what could be read of the host firewall without a prompt:
// read-only and best effort.
type Firewall struct {
	Read   bool     `json:"read"`             // whether any firewall tool answered
	Active bool     `json:"active"`           // whether it has rules
	Drops  bool     `json:"drops_by_default"` // a default policy drops what no rule accepts
	Tool   string   `json:"tool"`             // "nftables", "iptables"; "" when none answered
	Rules  []string `json:"rules"`            // its rules that name the port
	Note   string   `json:"note"`             // a sentence about what was (not) found
}

// readFirewall asks nftables, then iptables, for their rules (Linux; as
// root, or with the right to read them); elsewhere it says what it cannot
// read yet.
func readFirewall(ctx context.Context, port uint16) Firewall {
	if runtime.GOOS != "linux" {
		return Firewall{Rules: []string{}, Note: "Loopscope does not read this system's firewall yet."}
	}
	installed := false
	for _, t := range []struct {
		tool, name string
		args       []string
	}{
		{"nft", "nftables", []string{"list", "ruleset"}},
		{"iptables", "iptables", []string{"-S"}},
	} {
		if _, err := exec.LookPath(t.tool); err == nil {
			installed = true
		}
		out, ok := run(ctx, t.tool, t.args...)
		if !ok {
			continue
		}
		fw := Firewall{Read: true, Tool: t.name, Rules: []string{}}
		p := strconv.Itoa(int(port))
		for _, line := range strings.Split(out, "\n") {
			line = strings.TrimSpace(line)
			if line == "" || strings.HasPrefix(line, "-P ") && strings.HasSuffix(line, "ACCEPT") {
				continue
			}
			if strings.HasPrefix(line, "-P ") || strings.Contains(line, "policy drop") { // a default that drops
				fw.Active, fw.Drops = true, true
				continue
			}
			if t.name == "nftables" && (strings.HasPrefix(line, "table ") || line == "}") {
				fw.Active = fw.Active || strings.HasPrefix(line, "table ")
				continue
			}
			if t.name == "iptables" && !strings.HasPrefix(line, "-N ") {
				fw.Active = true
			}
			if mentions(line, p) {
				fw.Rules = append(fw.Rules, safetext.Line(line, 300))
			}
		}
		switch {
		case len(fw.Rules) > 0:
			fw.Note = t.name + " has rules that name this port."
		case fw.Drops:
			fw.Note = t.name + " drops by default what no rule lets in, and no rule names this port: other machines are likely blocked."
		case fw.Active:
			fw.Note = t.name + " has rules, none naming this port: a default policy may still drop what comes from other machines."
		default:
			fw.Note = t.name + " has no rules: it lets everything through."
		}
		return fw
	}
	if !installed {
		return Firewall{Rules: []string{}, Note: "Neither nft nor iptables is installed, so no firewall of theirs filters this machine's traffic."}
	}
	return Firewall{Rules: []string{}, Note: "The firewall could not be read: nft and iptables need administrator rights; check it with 'sudo nft list ruleset'."}
}

// mentions reports whether a rule names port p as a port: "dport 8080",
// "--dport 8080", "--dports 80,8080", "dport { 80, 8080 }", a range
// "8000:8100"; not 18080.
func mentions(line, p string) bool {
	f := strings.Fields(line)
	want, err := strconv.Atoi(p)
	if err != nil {
		return false
	}
	for i := 0; i+1 < len(f); i++ {
		if !strings.HasSuffix(f[i], "port") && !strings.HasSuffix(f[i], "ports") {
			continue
		}
		// The value runs on over a set: "{ 80, 8080 }".
		value := f[i+1]
		for j := i + 2; strings.HasPrefix(f[i+1], "{") && j < len(f) && !strings.HasSuffix(value, "}"); j++ {
			value += f[j]
		}
		for _, tok := range strings.FieldsFunc(value, func(r rune) bool { return r == ',' || r == '{' || r == '}' }) {
			lo, hi, isRange := strings.Cut(tok, ":")
			if !isRange {
				lo, hi, isRange = strings.Cut(tok, "-")
			}
			a, errA := strconv.Atoi(lo)
			b := a
			if isRange {
				b, _ = strconv.Atoi(hi)
			}
			if errA == nil && want >= a && want <= b {
				return true
			}
		}
	}
	return false
}

// run runs a read-only tool for a moment; ok when it answered.
func run(ctx context.Context, name string, args ...string) (string, bool) {
	if _, err := exec.LookPath(name); err != nil {
		return "", false
	}
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, name, args...).Output()
	return string(out), err == nil
}
