package diagnose

import (
	"slices"
	"strings"
	"testing"
)

// hostile is a rule name or comment that tries to move the cursor, set
// the terminal's title and start lines of its own.
const hostile = "evil\x1b[2J\x1b]0;pwned\x07\rline\u2028two"

// checkEscaped fails when a rule or note kept a control character raw.
func checkEscaped(t *testing.T, fw Firewall) {
	t.Helper()
	if fw.Rules == nil {
		t.Error("Rules is nil")
	}
	for _, s := range append(slices.Clone(fw.Rules), fw.Note) {
		if strings.ContainsAny(s, "\x1b\x07\r\n\u2028") {
			t.Errorf("raw control text in %q", s)
		}
	}
}

// pf's "port = 8080" and ranges name a port as netfilter's rules do.
func TestMentionsPF(t *testing.T) {
	for _, tt := range []struct {
		name, line string
		want       bool
	}{
		{"pf equals", "pass in quick proto tcp from any to any port = 8080 flags S/SA keep state", true},
		{"pf other port", "pass in quick proto tcp from any to any port = 18080 flags S/SA keep state", false},
		{"pf range", "block drop in proto tcp from any to any port 8000:8100", true},
		{"pf source port", "pass in proto udp from any port = 8080 to any", true},
		{"equals at the end", "pass in to any port =", false},
		{"iptables", "-A INPUT -p tcp --dport 8080 -j ACCEPT", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := mentions(tt.line, "8080"); got != tt.want {
				t.Errorf("mentions(%q) = %v, want %v", tt.line, got, tt.want)
			}
		})
	}
}

func TestNetfilterRules(t *testing.T) {
	nft := "table inet filter {\n\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n" +
		"\t\tct state established,related accept\n\t\ttcp dport 8080 accept comment \"" + hostile + "\"\n\t}\n}\n"
	ipt := "-P INPUT ACCEPT\n-P FORWARD DROP\n-P OUTPUT ACCEPT\n-N DOCKER\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n"
	for _, tt := range []struct {
		name, tool, out string
		rules           int
		drops           bool
		note            string
	}{
		{"nft rule names the port", "nftables", nft, 1, true, "nftables has rules that name this port."},
		{"iptables drops by default", "iptables", ipt, 0, true, "iptables drops by default"},
		{"iptables accepts", "iptables", "-P INPUT ACCEPT\n-A INPUT -i lo -j ACCEPT\n", 0, false, "none naming this port"},
		{"empty nft", "nftables", "", 0, false, "nftables has no rules: it lets everything through."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fw := netfilterRules(tt.tool, tt.out, 8080)
			if !fw.Read || fw.Tool != tt.tool || len(fw.Rules) != tt.rules || fw.Drops != tt.drops || !strings.Contains(fw.Note, tt.note) {
				t.Errorf("got %+v", fw)
			}
			checkEscaped(t, fw)
		})
	}
}

const ufwVerbose = `Status: active
Logging: on (low)
Default: deny (incoming), allow (outgoing), disabled (routed)
New profiles: skip

To                         Action      From
--                         ------      ----
22/tcp                     ALLOW IN    Anywhere
8080/tcp                   ALLOW IN    Anywhere                   # ` + hostile + `
8000:8100/udp              DENY IN     10.0.0.0/8
80,443/tcp                 ALLOW IN    Anywhere
OpenSSH                    ALLOW IN    192.168.1.80
22/tcp (v6)                ALLOW IN    Anywhere (v6)
8080/tcp (v6)              ALLOW IN    Anywhere (v6)
`

func TestUfwStatus(t *testing.T) {
	for _, tt := range []struct {
		name   string
		out    string
		port   uint16
		ok     bool
		active bool
		drops  bool
		rules  []string
		note   string
	}{
		{"rule and its v6 twin", ufwVerbose, 8080, true, true, true, []string{
			`8080/tcp ALLOW IN Anywhere # evil\x1b[2J\x1b]0;pwned\x07\rline\u2028two`,
			"8000:8100/udp DENY IN 10.0.0.0/8", "8080/tcp (v6) ALLOW IN Anywhere (v6)",
		}, "ufw is active and has rules that name this port."},
		{"range", ufwVerbose, 8050, true, true, true, []string{"8000:8100/udp DENY IN 10.0.0.0/8"}, "rules that name"},
		{"list", ufwVerbose, 443, true, true, true, []string{"80,443/tcp ALLOW IN Anywhere"}, "rules that name"},
		{"no rule, deny by default", ufwVerbose, 9000, true, true, true, nil, "other machines are likely blocked"},
		{"an address in From is no port", ufwVerbose, 80, true, true, true, []string{"80,443/tcp ALLOW IN Anywhere"}, "rules that name"},
		{"plain status, no rule", "Status: active\n\nTo Action From\n-- ------ ----\n22 ALLOW Anywhere\n", 9000, true, true, false, nil, "ufw is active and no rule names this port."},
		{"inactive", "Status: inactive\n", 8080, true, false, false, nil, "ufw is installed but inactive."},
		{"not root", "ERROR: You need to be root to run this script\n", 8080, false, false, false, nil, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fw, ok := ufwStatus(tt.out, tt.port)
			if ok != tt.ok || fw.Active != tt.active || fw.Drops != tt.drops || fw.Note != tt.note && !strings.Contains(fw.Note, tt.note) {
				t.Errorf("ok %v, got %+v", ok, fw)
			}
			if want := append([]string{}, tt.rules...); !slices.Equal(fw.Rules, want) {
				t.Errorf("rules\n%q\nwant\n%q", fw.Rules, want)
			}
			checkEscaped(t, fw)
		})
	}
}

func TestUfwEnabled(t *testing.T) {
	for _, tt := range []struct {
		name, conf     string
		enabled, known bool
	}{
		{"yes", "# /etc/ufw/ufw.conf\n#\nENABLED=yes\nLOGLEVEL=low\n", true, true},
		{"no", "ENABLED=no\n", false, true},
		{"quoted", "ENABLED=\"yes\"\n", true, true},
		{"unreadable", "", false, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if e, k := ufwEnabled(tt.conf); e != tt.enabled || k != tt.known {
				t.Errorf("enabled %v known %v", e, k)
			}
		})
	}
}
