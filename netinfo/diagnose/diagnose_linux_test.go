package diagnose

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/loopscope/loopscope/netinfo"
	"github.com/loopscope/loopscope/netinfo/serve"
)

func diagnoseNow(t *testing.T, port uint16) Report {
	t.Helper()
	r, err := Run(context.Background(), netinfo.NewScanner(), port)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func result(r Report, target string) string {
	for _, c := range r.Reach {
		if c.Target == target {
			return c.Result
		}
	}
	return "(not tried)"
}

// ssListens counts what ss says listens on port: the kernel's own view.
func ssListens(t *testing.T, port uint16) int {
	t.Helper()
	out, err := exec.Command("ss", "-Hltun", fmt.Sprintf("sport = :%d", port)).Output()
	if err != nil {
		t.Skipf("ss: %v", err)
	}
	n := 0
	for _, line := range strings.Split(string(out), "\n") {
		if strings.TrimSpace(line) != "" {
			n++
		}
	}
	return n
}

// A loopback-only listener: listening, held by this test, loopback only,
// reached on 127.0.0.1 and refused on ::1 and on every LAN address.
func TestDiagnoseLoopbackListener(t *testing.T) {
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	port := uint16(l.Addr().(*net.TCPAddr).Port)
	r := diagnoseNow(t, port)
	if len(r.Listening) != 1 || len(r.Listening) != ssListens(t, port) || r.Exposure != netinfo.ExposureLoopback {
		t.Fatalf("listening %d (ss: %d), exposure %q", len(r.Listening), ssListens(t, port), r.Exposure)
	}
	if !slices.ContainsFunc(r.Owners, func(o netinfo.Owner) bool { return o.PID == int32(os.Getpid()) }) {
		t.Errorf("owners %+v lack this test (PID %d)", r.Owners, os.Getpid())
	}
	if got := result(r, "127.0.0.1"); got != Connected {
		t.Errorf("127.0.0.1: %s", got)
	}
	if got := result(r, "::1"); got == Connected {
		t.Error("::1 connected to an IPv4-only listener")
	}
	for _, a := range serve.LANAddrs() {
		if got := result(r, a.String()); got == Connected {
			t.Errorf("%s connected to a loopback-only listener", a)
		}
	}
	text := strings.Join(r.Sentences(), "\n")
	for _, want := range []string{fmt.Sprintf("Port %d is listening: TCP 127.0.0.1:%d", port, port), "Only this machine can connect", "127.0.0.1 connected in"} {
		if !strings.Contains(text, want) {
			t.Errorf("the sentences lack %q:\n%s", want, text)
		}
	}
}

// An all-interfaces listener is reached on every IPv4 LAN address too.
func TestDiagnoseAllInterfacesListener(t *testing.T) {
	l, err := net.Listen("tcp4", "0.0.0.0:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	port := uint16(l.Addr().(*net.TCPAddr).Port)
	r := diagnoseNow(t, port)
	if r.Exposure != netinfo.ExposureAll {
		t.Errorf("exposure %q", r.Exposure)
	}
	for _, a := range serve.LANAddrs() {
		if got := result(r, a.String()); a.Is4() && got != Connected {
			t.Errorf("%s: %s, want connected", a, got)
		}
	}
}

// A free port: nothing listens, every way is refused, and the fixes offer
// a server there.
func TestDiagnoseFreePort(t *testing.T) {
	l, _ := net.Listen("tcp4", "127.0.0.1:0")
	port := uint16(l.Addr().(*net.TCPAddr).Port)
	l.Close()
	r := diagnoseNow(t, port)
	if len(r.Listening) != 0 || len(r.Owners) != 0 || r.Exposure != "" {
		t.Errorf("listening %d, owners %d, exposure %q", len(r.Listening), len(r.Owners), r.Exposure)
	}
	for _, c := range r.Reach {
		if c.Result == Connected {
			t.Errorf("%s connected to a free port", c.Target)
		}
	}
	if !slices.ContainsFunc(r.Fixes, func(f Suggestion) bool { return f.Kind == "serve" }) || r.HTTP != nil {
		t.Errorf("fixes %+v, http %+v", r.Fixes, r.HTTP)
	}
	if !strings.HasPrefix(r.Sentences()[0], fmt.Sprintf("Nothing listens on port %d", port)) {
		t.Errorf("first sentence %q", r.Sentences()[0])
	}
}

// A UDP port: listening, as UDP; no HTTP probe.
func TestDiagnoseUDPPort(t *testing.T) {
	pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	port := uint16(pc.LocalAddr().(*net.UDPAddr).Port)
	r := diagnoseNow(t, port)
	if len(r.Listening) != 1 || r.Listening[0].Proto != netinfo.UDP || r.HTTP != nil {
		t.Errorf("listening %+v, http %+v", r.Listening, r.HTTP)
	}
}

// An HTTP server answers the probe: status, Server header, title.
func TestDiagnoseHTTPProbe(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Server", "probe-me/1.0")
		fmt.Fprint(w, "<html><head><title>My\n  dev \x1b[2Jserver</title></head></html>")
	}))
	defer srv.Close()
	port, _ := strconv.Atoi(srv.URL[strings.LastIndex(srv.URL, ":")+1:])
	r := diagnoseNow(t, uint16(port))
	if r.HTTP == nil || r.HTTP.Status != "200 OK" || r.HTTP.Server != "probe-me/1.0" || r.HTTP.Title != `My dev \x1b[2Jserver` {
		t.Errorf("http probe %+v", r.HTTP)
	}
}

// The classic trap: localhost resolves to one family first, and the
// server listens only on the other.
func TestDiagnoseLocalhostTrap(t *testing.T) {
	l, err := net.Listen("tcp6", "[::1]:0")
	if err != nil {
		t.Skipf("no ::1 here: %v", err)
	}
	defer l.Close()
	port := uint16(l.Addr().(*net.TCPAddr).Port)
	r := diagnoseNow(t, port)
	if len(r.Localhost.Addresses) == 0 || r.Localhost.Addresses[0] != "127.0.0.1" {
		t.Skipf("localhost resolves to %v first here", r.Localhost.Addresses)
	}
	if !strings.Contains(strings.Join(r.Sentences(), "\n"), "localhost means 127.0.0.1 here, which the server does not listen on; it answers on ::1 only") {
		t.Errorf("no warning about the trap:\n%s", strings.Join(r.Sentences(), "\n"))
	}
}

// A process whose command line is docker-proxy's, holding a real port,
// is explained as forwarding to the container's address, and the
// container is named by docker (a stand-in on the PATH here, which
// answers as docker's CLI does).
func TestDiagnoseDockerProxy(t *testing.T) {
	bin := t.TempDir()
	docker := `#!/bin/sh
case "$1" in
ps) echo 3f4e2a1b9c8d; echo 77aa ;;
inspect) echo '/db 172.17.0.3 '; printf '/web-1\033[2J 172.17.0.2 \n' ;;
esac
`
	if err := os.WriteFile(filepath.Join(bin, "docker"), []byte(docker), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+":"+os.Getenv("PATH"))
	cmd := exec.Command("python3", "-c", `import socket,sys,time
s=socket.socket(); s.bind(("127.0.0.1",0)); s.listen(); print(s.getsockname()[1], flush=True); time.sleep(60)`,
		"-proto", "tcp", "-host-ip", "127.0.0.1", "-host-port", "0", "-container-ip", "172.17.0.2", "-container-port", "80")
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Skipf("python3: %v", err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	line, _ := bufio.NewReader(out).ReadString('\n')
	port, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil {
		t.Fatalf("the stand-in said %q", line)
	}
	r := diagnoseNow(t, uint16(port))
	if len(r.Forwards) != 1 || r.Forwards[0].Tool != "docker-proxy" || r.Forwards[0].To != "172.17.0.2:80" {
		t.Fatalf("forwards %+v", r.Forwards)
	}
	if r.Forwards[0].Container != "docker container web-1\x1b[2J" {
		t.Errorf("the container is %q", r.Forwards[0].Container)
	}
	if text := strings.Join(r.Sentences(), "\n"); !strings.Contains(text, "goes on to 172.17.0.2:80, the docker container web-1\\x1b[2J.") {
		t.Errorf("the sentences do not say where it forwards, the container's name escaped:\n%s", text)
	}
}

// ssh -L and kubectl port-forward say where they forward, from their
// command lines.
func TestForwardersFromCommandLines(t *testing.T) {
	got := forwards([]netinfo.Owner{
		{PID: 1, Cmdline: "ssh -N -L 8080:db.internal:5432 me@bastion"},
		{PID: 2, Cmdline: "kubectl port-forward svc/web 8080:80"},
		{PID: 3, Cmdline: "python3 -m http.server 8080"},
	}, 8080)
	if len(got) != 2 || got[0].To != "db.internal:5432" || got[1].To != "svc/web port 80" {
		t.Errorf("%+v", got)
	}
}

// A loopback-only TCP server gets the fix for "works here, not from my
// phone"; a free port is not told to use another port; a UDP-only port
// says its TCP refusals are no news.
func TestDiagnoseFixesFitTheCase(t *testing.T) {
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	r := diagnoseNow(t, uint16(l.Addr().(*net.TCPAddr).Port))
	if !slices.ContainsFunc(r.Fixes, func(f Suggestion) bool {
		return f.Kind == "expose" && strings.Contains(f.Text, "--bind 0.0.0.0") && !strings.Contains(f.Text+f.Command, "python")
	}) {
		t.Errorf("no fix to expose a loopback-only server, or one that takes this Go program for Python: %+v", r.Fixes)
	}
	all, err := net.Listen("tcp4", "0.0.0.0:0")
	if err != nil {
		t.Fatal(err)
	}
	defer all.Close()
	if a := diagnoseNow(t, uint16(all.Addr().(*net.TCPAddr).Port)); !slices.ContainsFunc(a.Fixes, func(f Suggestion) bool { return f.Kind == "restrict" }) {
		t.Errorf("a server on 0.0.0.0 is not told how to keep it to this machine: %+v", a.Fixes)
	}
	pc, _ := net.ListenPacket("udp4", "127.0.0.1:0")
	defer pc.Close()
	u := diagnoseNow(t, uint16(pc.LocalAddr().(*net.UDPAddr).Port))
	if !strings.Contains(strings.Join(u.Sentences(), "\n"), "It is open on UDP only") {
		t.Errorf("UDP-only: %q", u.Sentences())
	}
	if slices.ContainsFunc(u.Fixes, func(f Suggestion) bool { return f.Kind == "expose" }) {
		t.Error("a UDP socket was told to bind like an HTTP server")
	}
	l2, _ := net.Listen("tcp4", "127.0.0.1:0")
	free := uint16(l2.Addr().(*net.TCPAddr).Port)
	l2.Close()
	if slices.ContainsFunc(diagnoseNow(t, free).Fixes, func(f Suggestion) bool { return f.Kind == "other-port" }) {
		t.Error("a free port was told to use another port")
	}
}

// A firewall rule names a port whole, in a list, a set or a range.
func TestFirewallRuleMentions(t *testing.T) {
	for line, want := range map[string]bool{
		"-A INPUT -p tcp --dport 8080 -j ACCEPT":                 true,
		"-A INPUT -p tcp --dport 18080 -j ACCEPT":                false,
		"-A INPUT -p tcp -m multiport --dports 80,8080 -j DROP":  true,
		"-A INPUT -p tcp -m multiport --dports 80,18080 -j DROP": false,
		"tcp dport { 80, 8080 } accept":                          true,
		"tcp dport 8000-8100 accept":                             true,
		"tcp dport 8081-8100 accept":                             false,
	} {
		if got := mentions(line, "8080"); got != want {
			t.Errorf("%q: %v, want %v", line, got, want)
		}
	}
}
