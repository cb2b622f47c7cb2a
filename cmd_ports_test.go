package main

import (
	"bytes"
	"encoding/json"
	"net"
	"strconv"
	"strings"
	"testing"

	"github.com/loopscope/loopscope/netinfo"
)

// A hidden socket with a visible process that may hold it (it changed
// user after binding) names that process in the table, escaped, as a
// guess; without one it says how to see more.
func TestHiddenOwnerColumn(t *testing.T) {
	hidden := netinfo.Socket{NoProcess: netinfo.NoProcessHidden}
	if _, got := ownerColumns(hidden, tableOptions{}); got != "(hidden: run as root to see)" {
		t.Errorf("no candidate: %q", got)
	}
	hidden.PossibleHolders = []netinfo.Owner{{PID: 4242, Process: "srv\nx"}, {PID: 4243, Process: "srv"}}
	if _, got := ownerColumns(hidden, tableOptions{}); got != `(hidden: maybe srv\nx, PID 4242 +1 more)` {
		t.Errorf("two candidates: %q", got)
	}
}

// who and free take a port as URLs and ss write it, ":8080", too.
func TestPortArgTakesAColon(t *testing.T) {
	for arg, want := range map[string]uint16{"8080": 8080, ":8080": 8080} {
		if got, err := portArg("who", arg); err != nil || got != want {
			t.Errorf("%q: %d, %v", arg, got, err)
		}
	}
	if _, err := portArg("who", "::8080"); err == nil {
		t.Error(`"::8080" was taken as a port`)
	}
}

// diagnose --json on a real loopback listener gives the keys;
// a free port exits 1 saying nothing listens; a bad port exits 2.
func TestDiagnoseCommand(t *testing.T) {
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
	var out, errOut bytes.Buffer
	if code := run([]string{"diagnose", port, "--json"}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var got map[string]any
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"listening", "owners", "exposure", "reachability", "localhost_resolves_to", "port_class", "ephemeral_range", "http", "firewall", "suggestions"} {
		if _, ok := got[k]; !ok {
			t.Errorf("diagnose --json lacks %q", k)
		}
	}
	if got["exposure"] != "loopback" {
		t.Errorf("exposure %v", got["exposure"])
	}
	reach, _ := got["reachability"].([]any)
	if len(reach) < 3 || reach[0].(map[string]any)["result"] != "connected" {
		t.Errorf("reachability %v", reach)
	}
	l.Close()
	out.Reset()
	if code := run([]string{"diagnose", port}, &out, &errOut); code != 1 || !strings.HasPrefix(out.String(), "- Nothing listens on port "+port) {
		t.Errorf("a free port: exit %d, %q", code, out.String())
	}
	errOut.Reset()
	if code := run([]string{"diagnose", "70000"}, &out, &errOut); code != 2 || strings.Count(errOut.String(), "\n") != 1 {
		t.Errorf("a bad port: exit %d, %q", code, errOut.String())
	}
}
