package diagnose

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// crlf gives sample output Windows' line ends.
func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

const profiles = `
Domain Profile Settings:
----------------------------------------------------------------------
State                                 %s
Firewall Policy                       BlockInbound,AllowOutbound
LocalFirewallRules                    N/A (GPO-store only)

Private Profile Settings:
----------------------------------------------------------------------
State                                 %s
Firewall Policy                       BlockInbound,AllowOutbound

Public Profile Settings:
----------------------------------------------------------------------
State                                 %s
Firewall Policy                       AllowInbound,AllowOutbound
Ok.

`

// states fills in the three profiles' states.
func states(d, pr, pu string) string {
	return crlf(fmt.Sprintf(profiles, d, pr, pu))
}

const rulesIn = `
Rule Name:                            Loopscope dev server
----------------------------------------------------------------------
Enabled:                              Yes
Direction:                            In
Profiles:                             Private
Grouping:                             
LocalIP:                              Any
RemoteIP:                             Any
Protocol:                             TCP
LocalPort:                            8080
RemotePort:                           Any
Edge traversal:                       No
Action:                               Allow

Rule Name:                            Block the lab: 8000-8100
----------------------------------------------------------------------
Enabled:                              Yes
Direction:                            In
Protocol:                             UDP
LocalPort:                            8000-8100
Action:                               Block

Rule Name:                            Old server
----------------------------------------------------------------------
Enabled:                              No
Protocol:                             TCP
LocalPort:                            8080
Action:                               Allow

Rule Name:                            Spotify (TCP-In)
----------------------------------------------------------------------
Enabled:                              Yes
Protocol:                             TCP
LocalPort:                            Any
Action:                               Allow

Rule Name:                            Core Networking - Teredo (UDP-In)
----------------------------------------------------------------------
Enabled:                              Yes
Protocol:                             UDP
LocalPort:                            Teredo
Action:                               Allow

Rule Name:                            ` + hostile + `
----------------------------------------------------------------------
Enabled:                              Yes
Protocol:                             TCP
LocalPort:                            80,443,8080
Action:                               Allow
Ok.

`

const german = `
Domänenprofil-Einstellungen:
----------------------------------------------------------------------
Status                                EIN
Firewallrichtlinie                    BlockInbound,AllowOutbound
Ok.
`

func TestNetshFirewall(t *testing.T) {
	for _, tt := range []struct {
		name            string
		state           string
		stateErr        error
		list            string
		listErr         error
		read, on, drops bool
		rules           []string
		note            string
	}{
		{"all on, rules name the port", states("ON", "ON", "ON"), nil, crlf(rulesIn), nil, true, true, true, []string{
			"Loopscope dev server (Allow, TCP)", "Block the lab: 8000-8100 (Block, UDP)",
			`evil\x1b[2J\x1b]0;pwned\x07\rline\u2028two (Allow, TCP)`,
		}, "Windows Firewall is on for the Domain, Private and Public profiles. Enabled inbound rules name this port."},
		{"only public, which allows", states("OFF", "OFF", "ON"), nil, crlf(rulesIn), nil, true, true, false,
			[]string{"Block the lab: 8000-8100 (Block, UDP)"}, "Windows Firewall is on for the Public profile. Enabled inbound rules name this port."},
		{"no inbound rules at all", states("OFF", "ON", "OFF"), nil, "\r\nNo rules match the specified criteria.\r\n", errors.New("exit status 1"), true, true, true, nil,
			"No enabled inbound rule names this port; a rule for a whole program may still let it in (Windows asks the first time a program listens)."},
		{"rules too slow", states("ON", "ON", "ON"), nil, crlf(rulesIn[:200]), context.DeadlineExceeded, true, true, true, nil,
			"Its inbound rules could not be read in time; list them with 'netsh advfirewall firewall show rule name=all dir=in'."},
		{"all off", states("OFF", "OFF", "OFF"), nil, crlf(rulesIn), nil, true, false, false, nil,
			"Windows Firewall is off for every profile: it lets everything through."},
		{"localised", crlf(german), nil, "Regelname: x\r\nAktiviert: Ja\r\nLokaler Port: 8080\r\n", nil, false, false, false, nil,
			"Windows Firewall's state could not be read; check it with 'netsh advfirewall show allprofiles state'."},
		{"netsh failed", "", errors.New("exit status 1"), "", nil, false, false, false, nil, "state could not be read"},
		{"rules not English", states("ON", "ON", "ON"), nil, "Regelname: x\r\nAktiviert: Ja\r\n", nil, true, true, true, nil,
			"Its inbound rules could not be read; list them with"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			port := uint16(8080)
			if tt.name == "only public, which allows" {
				port = 8050 // only the lab's range holds it
			}
			fw := netshFirewall(tt.state, tt.stateErr, tt.list, tt.listErr, port)
			if fw.Read != tt.read || fw.Active != tt.on || fw.Drops != tt.drops || !strings.Contains(fw.Note, tt.note) {
				t.Errorf("got %+v", fw)
			}
			if want := append([]string{}, tt.rules...); !slices.Equal(fw.Rules, want) {
				t.Errorf("rules\n%q\nwant\n%q", fw.Rules, want)
			}
			checkEscaped(t, fw)
		})
	}
}

// A localised rule listing is not trusted: it could not be read.
func TestNetshRulesLocalised(t *testing.T) {
	if _, ok := netshRules("Regelname: x\r\nAktiviert: Ja\r\nLokaler Port: 8080\r\n", 8080); ok {
		t.Error("a German listing parsed")
	}
	if rules, ok := netshRules(crlf(rulesIn), 9999); !ok || len(rules) != 0 {
		t.Errorf("rules %q, ok %v", rules, ok)
	}
}
