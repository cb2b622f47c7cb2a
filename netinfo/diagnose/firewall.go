package diagnose

import (
	"context"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Firewall is what could be read of the host firewall without a prompt:
// read-only and best effort.
type Firewall struct {
	Read   bool `json:"read"`             // whether any firewall tool answered
	Active bool `json:"active"`           // whether it has rules, or is on
	Drops  bool `json:"drops_by_default"` // a default policy drops what no rule accepts
	// Tool is what answered: "nftables", "iptables", "firewalld", "ufw",
	// "socketfilterfw" or "pf" (macOS), "netsh" (Windows); "" when none did.
	Tool  string   `json:"tool"`
	Rules []string `json:"rules"` // its rules that name the port
	Note  string   `json:"note"`  // a sentence about what was (not) found
}

// mentions reports whether a rule names port p as a port: "dport 8080",
// "--dport 8080", "--dports 80,8080", "dport { 80, 8080 }", a range
// "8000:8100", pf's "port = 8080"; not 18080.
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
		if f[i+1] == "=" && i+2 < len(f) { // pfctl prints "port = 8080"
			i++
		}
		// The value runs on over a set: "{ 80, 8080 }".
		value := f[i+1]
		for j := i + 2; strings.HasPrefix(f[i+1], "{") && j < len(f) && !strings.HasSuffix(value, "}"); j++ {
			value += f[j]
		}
		for _, tok := range strings.FieldsFunc(value, func(r rune) bool { return r == ',' || r == '{' || r == '}' }) {
			if inRange(tok, want) {
				return true
			}
		}
	}
	return false
}

// inRange reports whether tok, a port "8080" or a range "8000:8100" or
// "8000-8100", holds port.
func inRange(tok string, port int) bool {
	lo, hi, isRange := strings.Cut(tok, ":")
	if !isRange {
		lo, hi, isRange = strings.Cut(tok, "-")
	}
	a, errA := strconv.Atoi(strings.TrimSpace(lo))
	b := a
	if isRange {
		b, _ = strconv.Atoi(strings.TrimSpace(hi))
	}
	return errA == nil && port >= a && port <= b
}

// run runs a read-only tool for a moment; ok when it answered.
func run(ctx context.Context, name string, args ...string) (string, bool) {
	out, err := output(ctx, name, args...)
	return out, err == nil
}

// output runs a read-only tool for a moment and returns what it printed
// even when it failed, since some say "not running" with a failing
// status. The error is the context's when time ran out.
func output(ctx context.Context, name string, args ...string) (string, error) {
	path, err := find(name)
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.WaitDelay = 100 * time.Millisecond // a child left holding the pipe must not hold us
	hideConsole(cmd)
	out, err := cmd.Output()
	if ctx.Err() != nil {
		return string(out), ctx.Err()
	}
	return string(out), err
}

// find looks name up in PATH, then in the sbin directories an ordinary
// user's PATH often lacks (Debian), where firewall tools live.
func find(name string) (string, error) {
	path, err := exec.LookPath(name)
	if err == nil || strings.ContainsAny(name, `/\`) {
		return path, err
	}
	for _, dir := range []string{"/usr/sbin", "/sbin", "/usr/local/sbin"} {
		if p, e := exec.LookPath(filepath.Join(dir, name)); e == nil {
			return p, nil
		}
	}
	return "", err
}

// parallel runs fs side by side, so that each tool's timeout is not
// added to the others', and waits for them all.
func parallel(fs ...func()) {
	var wg sync.WaitGroup
	for _, f := range fs {
		wg.Go(f)
	}
	wg.Wait()
}
