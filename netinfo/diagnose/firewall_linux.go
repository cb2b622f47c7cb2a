package diagnose

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// readFirewall asks nftables, then iptables, for their rules (as root, or
// with the right to read them) and, side by side, firewalld and ufw, the
// front ends that usually write those rules. A front end that is on and
// was read answers in their place, since it says what the user set.
func readFirewall(ctx context.Context, port uint16) Firewall {
	var nf, fe Firewall
	var complete bool
	parallel(
		func() { nf = readNetfilter(ctx, port) },
		func() { fe, complete = readFrontEnd(ctx, port) },
	)
	return withFrontEnd(nf, fe, complete)
}

// readNetfilter reads "nft list ruleset", else "iptables -S".
func readNetfilter(ctx context.Context, port uint16) Firewall {
	installed := false
	for _, t := range []struct {
		tool, name string
		args       []string
	}{
		{"nft", "nftables", []string{"list", "ruleset"}},
		{"iptables", "iptables", []string{"-S"}},
	} {
		if _, err := find(t.tool); err == nil {
			installed = true
		}
		if out, ok := run(ctx, t.tool, t.args...); ok {
			return netfilterRules(t.name, out, port)
		}
	}
	if !installed {
		return Firewall{Rules: []string{}, Note: "Neither nft nor iptables is installed, so no firewall of theirs filters this machine's traffic."}
	}
	return Firewall{Rules: []string{}, Note: "The firewall could not be read: nft and iptables need administrator rights; check it with 'sudo nft list ruleset'."}
}

// readFrontEnd reads firewalld and ufw side by side and returns the one
// that is on, else the notes of those installed; complete is whether
// its rules were read too. Note is "" when neither is installed.
func readFrontEnd(ctx context.Context, port uint16) (fw Firewall, complete bool) {
	var fd, uf Firewall
	var fdAll, ufAll bool
	parallel(
		func() { fd, fdAll = readFirewalld(ctx, port) },
		func() { uf, ufAll = readUfw(ctx, port) },
	)
	return pickFrontEnd(fd, fdAll, uf, ufAll)
}

// readFirewalld asks firewall-cmd only as root: for anyone else firewalld
// asks polkit, which may put up a password dialog. systemctl tells anyone
// whether it runs.
func readFirewalld(ctx context.Context, port uint16) (Firewall, bool) {
	fw := Firewall{Rules: []string{}}
	if _, err := find("firewall-cmd"); err != nil {
		return fw, false
	}
	if os.Geteuid() != 0 {
		return firewalldUnit(ctx), false
	}
	var state, all string
	var err error
	parallel(
		func() { state, err = output(ctx, "firewall-cmd", "--state") },
		func() { all, _ = output(ctx, "firewall-cmd", "--list-all") },
	)
	var exit *exec.ExitError
	switch {
	case err == nil && strings.TrimSpace(state) == "running":
	case errors.As(err, &exit) && exit.ExitCode() == 252: // NOT_RUNNING; it says so on stderr
		fw.Read, fw.Tool, fw.Note = true, "firewalld", "firewalld is installed but not running."
		return fw, false
	default:
		fw.Note = "firewalld did not say in time whether it runs; check it with 'sudo firewall-cmd --state'."
		return fw, false
	}
	z, ok := parseZone(all)
	if !ok {
		fw.Read, fw.Active, fw.Tool = true, true, "firewalld"
		fw.Note = "firewalld is running, but what it opens could not be read in time; check it with 'sudo firewall-cmd --list-all'."
		return fw, false
	}
	return firewalldRules(z, port, servicePorts(z.services)), true
}

// firewalldUnit asks systemd, which answers anyone, whether firewalld
// runs; what it opens is left to root.
func firewalldUnit(ctx context.Context) Firewall {
	fw := Firewall{Rules: []string{}}
	state, _ := output(ctx, "systemctl", "is-active", "firewalld")
	switch strings.TrimSpace(state) {
	case "active":
		fw.Read, fw.Active, fw.Tool = true, true, "firewalld"
		fw.Note = "firewalld is running; what it opens needs administrator rights to read: check it with 'sudo firewall-cmd --list-all'."
	case "inactive", "failed":
		fw.Read, fw.Tool = true, "firewalld"
		fw.Note = "firewalld is installed but not running."
	default:
		fw.Note = "firewalld is installed; whether it runs needs administrator rights to read: check it with 'sudo firewall-cmd --state'."
	}
	return fw
}

// servicePorts reads the definitions of the named firewalld services:
// the administrator's in /etc first, then the shipped ones.
func servicePorts(names []string) map[string][]string {
	out := map[string][]string{}
	for _, name := range names {
		if strings.ContainsAny(name, `/\`) || strings.HasPrefix(name, ".") {
			continue // a name, never a path
		}
		for _, dir := range []string{"/etc/firewalld/services", "/usr/lib/firewalld/services"} {
			if data, err := os.ReadFile(filepath.Join(dir, name+".xml")); err == nil {
				out[name] = serviceXML(data)
				break
			}
		}
	}
	return out
}

// readUfw asks "ufw status verbose" as root; for anyone else it reads
// whether ufw is enabled from its settings, which anyone may read.
func readUfw(ctx context.Context, port uint16) (Firewall, bool) {
	fw := Firewall{Rules: []string{}}
	if _, err := find("ufw"); err != nil {
		return fw, false
	}
	root := os.Geteuid() == 0
	if root {
		out, _ := output(ctx, "ufw", "status", "verbose")
		if st, ok := ufwStatus(out, port); ok {
			return st, true
		}
	}
	conf, _ := os.ReadFile("/etc/ufw/ufw.conf")
	switch enabled, known := ufwEnabled(string(conf)); {
	case enabled && root:
		fw.Read, fw.Active, fw.Tool = true, true, "ufw"
		fw.Note = "ufw is enabled, but its rules could not be read in time; check them with 'sudo ufw status'."
	case enabled:
		fw.Read, fw.Active, fw.Tool = true, true, "ufw"
		fw.Note = "ufw is enabled, but its rules need administrator rights to read; check them with 'sudo ufw status'."
	case known:
		fw.Read, fw.Tool, fw.Note = true, "ufw", "ufw is installed but not enabled."
	case root:
		fw.Note = "ufw is installed but did not say in time whether it is active; check it with 'sudo ufw status'."
	default:
		fw.Note = "ufw is installed, but its state needs administrator rights to read; check it with 'sudo ufw status'."
	}
	return fw, false
}
