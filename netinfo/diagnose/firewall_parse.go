package diagnose

import (
	"encoding/xml"
	"strconv"
	"strings"

	"github.com/loopscope/loopscope/internal/safetext"
)

// The parsers of Linux firewall tools' output. They are pure, and carry
// no build tag, so that they are tested on every OS.

// netfilterRules reads the output of "nft list ruleset" (tool "nftables")
// or "iptables -S" (tool "iptables").
func netfilterRules(tool, out string, port uint16) Firewall {
	fw := Firewall{Read: true, Tool: tool, Rules: []string{}}
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
		if tool == "nftables" && (strings.HasPrefix(line, "table ") || line == "}") {
			fw.Active = fw.Active || strings.HasPrefix(line, "table ")
			continue
		}
		if tool == "iptables" && !strings.HasPrefix(line, "-N ") {
			fw.Active = true
		}
		if mentions(line, p) {
			fw.Rules = append(fw.Rules, safetext.Line(line, 300))
		}
	}
	switch {
	case len(fw.Rules) > 0:
		fw.Note = tool + " has rules that name this port."
	case fw.Drops:
		fw.Note = tool + " drops by default what no rule lets in, and no rule names this port: other machines are likely blocked."
	case fw.Active:
		fw.Note = tool + " has rules, none naming this port: a default policy may still drop what comes from other machines."
	default:
		fw.Note = tool + " has no rules: it lets everything through."
	}
	return fw
}

// ufwStatus reads "ufw status verbose" (or plain "ufw status"); ok is
// false when the output is not ufw's.
func ufwStatus(out string, port uint16) (fw Firewall, ok bool) {
	fw = Firewall{Tool: "ufw", Rules: []string{}}
	for _, line := range strings.Split(out, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "Status: active":
			fw.Read, fw.Active = true, true
		case line == "Status: inactive":
			fw.Read = true
		case strings.HasPrefix(line, "Default: "): // "Default: deny (incoming), allow (outgoing)"
			fw.Drops = strings.Contains(line, "deny (incoming)") || strings.Contains(line, "reject (incoming)")
		case fw.Active && ufwNames(line, int(port)):
			fw.Rules = append(fw.Rules, safetext.Line(squeeze(line), 300))
		}
	}
	switch {
	case !fw.Read:
		return fw, false
	case !fw.Active:
		fw.Note = "ufw is installed but inactive."
	case len(fw.Rules) > 0:
		fw.Note = "ufw is active and has rules that name this port."
	case fw.Drops:
		fw.Note = "ufw is active, denies by default what no rule lets in, and no rule names this port: other machines are likely blocked."
	default:
		fw.Note = "ufw is active and no rule names this port."
	}
	return fw, true
}

// ufwNames reports whether a rule line of ufw status, "8080/tcp ALLOW
// Anywhere", "80,443/tcp (v6) DENY IN Anywhere (v6)", "8000:8100/udp
// ALLOW 10.0.0.0/8", names port in its To column (before the action).
func ufwNames(line string, port int) bool {
	for _, f := range strings.Fields(line) {
		switch f {
		case "ALLOW", "DENY", "REJECT", "LIMIT":
			return false // the From column follows
		}
		spec, _, _ := strings.Cut(f, "/")
		for _, tok := range strings.Split(spec, ",") {
			if inRange(tok, port) && !strings.Contains(f, ".") && !strings.Contains(f, "::") {
				return true
			}
		}
	}
	return false
}

// squeeze turns the runs of spaces that align ufw's columns into one, so
// that escaping does not show them; other characters stay.
func squeeze(s string) string {
	var b strings.Builder
	for i, r := range s {
		if r != ' ' || i == 0 || s[i-1] != ' ' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// ufwEnabled reads ENABLED= in /etc/ufw/ufw.conf, which anyone may read
// while "ufw status" needs root; known is false when it does not say.
func ufwEnabled(conf string) (enabled, known bool) {
	for _, line := range strings.Split(conf, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "ENABLED="); ok {
			v = strings.ToLower(strings.Trim(v, `"' `))
			return v == "yes", v == "yes" || v == "no"
		}
	}
	return false, false
}

// withFrontEnd puts what netfilter (nf) and a front end (fe, its rules
// read when complete) said together: a front end that is on and was
// read, or alone could be read, answers; else it adds its note.
func withFrontEnd(nf, fe Firewall, complete bool) Firewall {
	switch {
	case fe.Note == "": // no front end is installed
		return nf
	case fe.Active && (complete || !nf.Read):
		return fe
	}
	nf.Note += " " + fe.Note
	return nf
}

// pickFrontEnd returns the front end that is on, firewalld (fd) or ufw
// (uf), else the notes of those installed; complete is whether its
// rules were read.
func pickFrontEnd(fd Firewall, fdAll bool, uf Firewall, ufAll bool) (fw Firewall, complete bool) {
	switch {
	case fd.Active:
		return fd, fdAll
	case uf.Active:
		return uf, ufAll
	case fd.Note != "" && uf.Note != "":
		fd.Note += " " + uf.Note
		return fd, false
	case fd.Note != "":
		return fd, false
	}
	return uf, false
}

// zone is what "firewall-cmd --list-all" says of the default zone.
type zone struct {
	target   string   // "default", "ACCEPT", "REJECT", "DROP"
	services []string // "ssh", "http"
	ports    []string // "8080/tcp", "9000-9100/udp"
	rich     []string // rich rules, one a line
}

// parseZone reads "firewall-cmd --list-all"; ok is false when it has no
// target line, the one every zone prints.
func parseZone(out string) (z zone, ok bool) {
	inRich := false
	for _, line := range strings.Split(out, "\n") {
		key, value, isKey := strings.Cut(strings.TrimSpace(line), ":")
		if isKey && !strings.Contains(key, "=") && strings.HasPrefix(line, "  ") && !strings.HasPrefix(line, "\t") {
			inRich = key == "rich rules"
		}
		switch {
		case inRich && strings.HasPrefix(strings.TrimSpace(line), "rule "):
			z.rich = append(z.rich, strings.TrimSpace(line))
		case !isKey:
		case key == "target":
			z.target, ok = strings.TrimSpace(value), true
		case key == "services":
			z.services = strings.Fields(value)
		case key == "ports":
			z.ports = strings.Fields(value)
		}
	}
	return z, ok
}

// firewalldRules says what the default zone opens for port; services
// maps a service name to its ports ("80/tcp"), as its definition says.
func firewalldRules(z zone, port uint16, services map[string][]string) Firewall {
	fw := Firewall{Read: true, Active: true, Tool: "firewalld", Rules: []string{}, Drops: z.target != "ACCEPT"}
	p := int(port)
	for _, spec := range z.ports {
		if n, _, _ := strings.Cut(spec, "/"); inRange(n, p) {
			fw.Rules = append(fw.Rules, safetext.Line("port "+spec, 300))
		}
	}
	for _, name := range z.services {
		for _, spec := range services[name] {
			if n, _, _ := strings.Cut(spec, "/"); inRange(n, p) {
				fw.Rules = append(fw.Rules, safetext.Line("service "+name+" ("+spec+")", 300))
			}
		}
	}
	for _, r := range z.rich {
		if richNames(r, p) {
			fw.Rules = append(fw.Rules, safetext.Line(r, 300))
		}
	}
	switch {
	case len(fw.Rules) > 0:
		fw.Note = "firewalld is running, and its default zone opens this port."
	case fw.Drops:
		fw.Note = "firewalld is running, and its default zone opens neither this port nor a service on it: other machines are likely blocked."
	default:
		fw.Note = "firewalld is running, and its default zone accepts everything."
	}
	return fw
}

// richNames reports whether a rich rule names port: port="8080" or
// port="8000-8100".
func richNames(rule string, port int) bool {
	for _, f := range strings.Fields(rule) {
		if v, ok := strings.CutPrefix(f, `port="`); ok && inRange(strings.TrimSuffix(v, `"`), port) {
			return true
		}
	}
	return false
}

// serviceXML reads a firewalld service definition for its ports:
// <port protocol="tcp" port="80"/> gives "80/tcp".
func serviceXML(data []byte) []string {
	var s struct {
		Ports []struct {
			Port     string `xml:"port,attr"`
			Protocol string `xml:"protocol,attr"`
		} `xml:"port"`
	}
	if xml.Unmarshal(data, &s) != nil {
		return nil
	}
	out := []string{}
	for _, p := range s.Ports {
		out = append(out, p.Port+"/"+p.Protocol)
	}
	return out
}
