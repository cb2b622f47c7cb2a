package diagnose

import (
	"slices"
	"strings"
	"testing"
)

// evilService is a service name that tries to clear the screen and set
// the terminal's title.
const evilService = "evil\x1b[2J\x1b]0;pwned\x07"

const listAll = "public (active)\n  target: default\n  icmp-block-inversion: no\n  interfaces: eth0\n  sources: \n" +
	"  services: dhcpv6-client http ssh " + evilService + "\n" +
	"  ports: 8080/tcp 9000-9100/udp\n  protocols: \n  forward: yes\n  masquerade: no\n" +
	"  forward-ports: \n\tport=8081:proto=tcp:toport=80:toaddr=\n  source-ports: 8082/tcp\n  icmp-blocks: \n" +
	"  rich rules: \n\trule family=\"ipv4\" source address=\"10.0.0.0/8\" port port=\"8080\" protocol=\"tcp\" accept\n" +
	"\trule family=\"ipv6\" source address=\"fe80::/10\" port port=\"7000-7100\" protocol=\"udp\" reject\n"

func TestFirewalldRules(t *testing.T) {
	services := map[string][]string{
		"http": {"80/tcp"}, "ssh": {"22/tcp"}, "dhcpv6-client": {"546/udp"},
		evilService: {"5000/tcp"},
	}
	accept := strings.Replace(listAll, "target: default", "target: ACCEPT", 1)
	for _, tt := range []struct {
		name  string
		out   string
		port  uint16
		drops bool
		rules []string
		note  string
	}{
		{"port and rich rule", listAll, 8080, true, []string{"port 8080/tcp",
			`rule family="ipv4" source address="10.0.0.0/8" port port="8080" protocol="tcp" accept`},
			"firewalld is running, and its default zone opens this port."},
		{"service", listAll, 80, true, []string{"service http (80/tcp)"}, "opens this port"},
		{"port range", listAll, 9050, true, []string{"port 9000-9100/udp"}, "opens this port"},
		{"rich rule range", listAll, 7050, true, []string{`rule family="ipv6" source address="fe80::/10" port port="7000-7100" protocol="udp" reject`}, "opens this port"},
		{"hostile service name", listAll, 5000, true, []string{`service evil\x1b[2J\x1b]0;pwned\x07 (5000/tcp)`}, "opens this port"},
		{"forward and source ports are not opened ports", listAll, 8081, true, nil, "other machines are likely blocked"},
		{"accepts everything", accept, 4000, false, nil, "firewalld is running, and its default zone accepts everything."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			z, ok := parseZone(tt.out)
			if !ok {
				t.Fatal("no zone")
			}
			fw := firewalldRules(z, tt.port, services)
			if !fw.Read || !fw.Active || fw.Tool != "firewalld" || fw.Drops != tt.drops || !strings.Contains(fw.Note, tt.note) {
				t.Errorf("got %+v", fw)
			}
			if want := append([]string{}, tt.rules...); !slices.Equal(fw.Rules, want) {
				t.Errorf("rules\n%q\nwant\n%q", fw.Rules, want)
			}
			checkEscaped(t, fw)
		})
	}
	if _, ok := parseZone("Authorization failed.\n    Make sure polkit agent is running or run the application as superuser.\n"); ok {
		t.Error("an authorization failure parsed as a zone")
	}
}

func TestServiceXML(t *testing.T) {
	for _, tt := range []struct {
		name, data string
		want       []string
	}{
		{"http", `<?xml version="1.0" encoding="utf-8"?>
<service>
  <short>WWW (HTTP)</short>
  <description>HTTP is the protocol used to serve Web pages.</description>
  <port protocol="tcp" port="80"/>
</service>`, []string{"80/tcp"}},
		{"several", `<service><short>Samba</short><port protocol="udp" port="137"/><port protocol="tcp" port="139"/><port protocol="tcp" port="8000-8100"/></service>`,
			[]string{"137/udp", "139/tcp", "8000-8100/tcp"}},
		{"no ports", `<service><short>x</short><module name="nf_conntrack_tftp"/></service>`, []string{}},
		{"not XML", `<service><port`, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := serviceXML([]byte(tt.data)); !slices.Equal(got, tt.want) || (got == nil) != (tt.want == nil) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// A front end answers for netfilter when it is on and was read, or when
// netfilter could not be read; else it adds its note.
func TestWithFrontEnd(t *testing.T) {
	nfRead := Firewall{Read: true, Tool: "nftables", Rules: []string{}, Note: "nftables has no rules: it lets everything through."}
	nfNot := Firewall{Rules: []string{}, Note: "The firewall could not be read: nft and iptables need administrator rights; check it with 'sudo nft list ruleset'."}
	fdOn := Firewall{Read: true, Active: true, Tool: "firewalld", Rules: []string{}, Note: "firewalld is running, and its default zone opens this port."}
	fdOff := Firewall{Read: true, Tool: "firewalld", Rules: []string{}, Note: "firewalld is installed but not running."}
	ufNot := Firewall{Rules: []string{}, Note: "ufw is installed, but its state needs administrator rights to read; check it with 'sudo ufw status'."}
	for _, tt := range []struct {
		name     string
		nf, fe   Firewall
		complete bool
		tool     string
		note     string
	}{
		{"no front end", nfRead, Firewall{}, false, "nftables", nfRead.Note},
		{"front end read", nfRead, fdOn, true, "firewalld", fdOn.Note},
		{"front end on, netfilter not read", nfNot, fdOn, false, "firewalld", fdOn.Note},
		{"front end on but unread, netfilter read", nfRead, fdOn, false, "nftables", nfRead.Note + " " + fdOn.Note},
		{"front end off", nfNot, fdOff, false, "", nfNot.Note + " firewalld is installed but not running."},
		{"front end unknown", nfNot, ufNot, false, "", nfNot.Note + " " + ufNot.Note},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if fw := withFrontEnd(tt.nf, tt.fe, tt.complete); fw.Tool != tt.tool || fw.Note != tt.note {
				t.Errorf("got %+v", fw)
			}
		})
	}
	if fw, _ := pickFrontEnd(fdOff, false, ufNot, false); fw.Note != fdOff.Note+" "+ufNot.Note {
		t.Errorf("both installed, neither on: %q", fw.Note)
	}
	if fw, complete := pickFrontEnd(fdOff, false, Firewall{Read: true, Active: true, Tool: "ufw"}, true); fw.Tool != "ufw" || !complete {
		t.Errorf("ufw on: %+v", fw)
	}
}
