package diagnose

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// standIn writes a shell script called name into dir.
func standIn(t *testing.T, dir, name, body string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
}

// printing is a script body that prints out.
func printing(out string) string { return "cat <<'EOF'\n" + out + "EOF\n" }

// readFirewall asks stand-in tools and says what they said: a front end
// that is on and was read answers for nftables.
func TestReadFirewallStandIns(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("ufw and firewall-cmd are asked as root only")
	}
	for _, tool := range []string{"firewall-cmd", "ufw", "nft", "iptables"} {
		if _, err := find(tool); err == nil {
			t.Skipf("a real %s is installed", tool)
		}
	}
	running := "case \"$1\" in --state) echo running ;; --list-all) " + printing(listAll) + " ;; esac\n"
	for _, tt := range []struct {
		name, tool, body string
		rules            int
		note             string
	}{
		{"ufw active", "ufw", printing(ufwVerbose), 3, "ufw is active and has rules that name this port."},
		{"ufw inactive", "ufw", printing("Status: inactive\n"), 0, "nftables has no rules: it lets everything through. ufw is installed but inactive."},
		{"firewalld running", "firewall-cmd", running, 2, "firewalld is running, and its default zone opens this port."},
		{"firewalld stopped", "firewall-cmd", "echo 'not running' >&2\nexit 252\n", 0, "nftables has no rules: it lets everything through. firewalld is installed but not running."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			standIn(t, dir, "nft", "") // no rules
			standIn(t, dir, tt.tool, tt.body)
			t.Setenv("PATH", dir+":/usr/bin:/bin") // for sh and cat
			fw := readFirewall(context.Background(), 8080)
			if len(fw.Rules) != tt.rules || fw.Note != tt.note {
				t.Errorf("got %+v", fw)
			}
		})
	}
}
