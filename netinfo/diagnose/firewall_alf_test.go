package diagnose

import (
	"slices"
	"strings"
	"testing"
)

const pfRules = `scrub-anchor "com.apple/*" all fragment reassemble
anchor "com.apple/*" all
pass in quick proto tcp from any to any port = 8080 flags S/SA keep state label "` + hostile + `"
block drop in quick proto tcp from any to any port = 18080
pass in proto udp from any to any port 8000:8100 keep state
`

func TestALF(t *testing.T) {
	const on, off = "Firewall is enabled. (State = 1)\n", "Firewall is disabled. (State = 0)\n"
	for _, tt := range []struct {
		name                     string
		state, blockAll, stealth string
		pf                       string
		pfOK                     bool
		active, drops            bool
		tool                     string
		rules                    int
		note                     []string
	}{
		{"on", on, "Block all DISABLED! \n", "Stealth mode disabled \n", "", false, true, false, "socketfilterfw", 0,
			[]string{"The Application Firewall is on: it allows or blocks programs, not ports; macOS asks the first time a program listens for connections from other machines."}},
		{"block all", on, "Block all ENABLED! \n", "Stealth mode disabled \n", "", false, true, true, "socketfilterfw", 0,
			[]string{"blocks all incoming connections", "likely blocked"}},
		{"old block all state", "Firewall is blocking all non-essential incoming connections. (State = 2)\n", "", "", "", false, true, true, "socketfilterfw", 0,
			[]string{"blocks all incoming connections"}},
		{"newer wording, stealth", on, "Firewall has block all state set to disabled.\n", "Firewall stealth mode is on\n", "", false, true, false, "socketfilterfw", 0,
			[]string{"allows or blocks programs", "Stealth mode is on"}},
		{"off", off, "Block all DISABLED! \n", "Stealth mode enabled \n", "", false, false, false, "socketfilterfw", 0,
			[]string{"The Application Firewall is off: it lets every program accept connections from other machines."}},
		{"pf as root", on, "Block all DISABLED! \n", "Stealth mode disabled \n", pfRules, true, true, false, "socketfilterfw", 2,
			[]string{"allows or blocks programs", "pf has rules that name this port."}},
		{"not read", "", "", "", "", false, false, false, "", 0,
			[]string{"The Application Firewall's state could not be read; see it in System Settings, Network, Firewall."}},
		{"only pf", "", "", "", pfRules, true, false, false, "pf", 2, []string{"could not be read", "pf has rules"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fw := alfFirewall(parseALF(tt.state, tt.blockAll, tt.stealth), tt.pf, tt.pfOK, 8080)
			if fw.Active != tt.active || fw.Drops != tt.drops || fw.Tool != tt.tool || len(fw.Rules) != tt.rules {
				t.Errorf("got %+v", fw)
			}
			if fw.Read != (tt.tool != "") {
				t.Errorf("read %v with tool %q", fw.Read, fw.Tool)
			}
			for _, n := range tt.note {
				if !strings.Contains(fw.Note, n) {
					t.Errorf("note %q lacks %q", fw.Note, n)
				}
			}
			checkEscaped(t, fw)
		})
	}
	fw := alfFirewall(parseALF("Firewall is enabled. (State = 1)", "", ""), pfRules, true, 8080)
	if !slices.ContainsFunc(fw.Rules, func(r string) bool { return strings.Contains(r, `label "evil\x1b[2J`) }) {
		t.Errorf("the hostile label is not shown escaped: %q", fw.Rules)
	}
}
