package serve

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestManagerStartRestartRemove(t *testing.T) {
	m := NewManager()
	t.Cleanup(m.CloseAll)
	a, err := m.Start(Config{Kind: Echo})
	if err != nil {
		t.Fatal(err)
	}
	b, err := m.Start(Config{Kind: UDPEcho})
	if err != nil {
		t.Fatal(err)
	}
	if m.Listening("tcp", a.Port()) != a || m.Listening("udp", b.Port()) != b || m.Listening("udp", a.Port()) == a {
		t.Error("Listening does not find the servers by network and port")
	}
	if _, err := m.Start(Config{Kind: Echo, Port: a.Port()}); err == nil {
		t.Fatal("a second server started on a taken port")
	}
	if len(m.Servers()) != 2 {
		t.Errorf("a failed start was kept: %d servers", len(m.Servers()))
	}
	id, port := m.ID(a), a.Port()
	if resp, err := http.Get(a.URL() + "before"); err == nil {
		resp.Body.Close()
	}
	a.Close()
	if m.Listening("tcp", port) != nil {
		t.Error("a stopped server still counts as listening")
	}
	a2, err := m.Restart(a)
	if err != nil {
		t.Fatal(err)
	}
	if a2.Port() != port || m.ID(a2) != id || m.Servers()[0] != a2 {
		t.Errorf("restart: port %d (want %d), id %d (want %d)", a2.Port(), port, m.ID(a2), id)
	}
	if resp, err := http.Get(a2.URL() + "after"); err == nil {
		resp.Body.Close()
	}
	if entries, _, _ := a2.Log().Since(0); len(entries) != 2 || entries[0].Path != "/before" || entries[1].Path != "/after" {
		t.Errorf("the log after a restart: %+v; want the request before and the one after", entries)
	}
	if _, err := m.Restart(a2); err == nil {
		t.Error("restarted a running server")
	}
	m.Remove(a2)
	if !free("tcp", port) || len(m.Servers()) != 1 {
		t.Errorf("Remove left the port taken or the server listed")
	}
	m.CloseAll()
	if st, _ := b.State(); st != Stopped {
		t.Errorf("CloseAll left %v", st)
	}
}

func TestEquivalentCommandsParseBackInAShell(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "it's $HOME; here")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	s := start(t, Config{Kind: Files, Dir: dir})
	cmd := s.Equivalent()
	// The shell must see the same words we meant: the folder whole.
	out, err := exec.Command("sh", "-c", `eval "set -- $1"; for a; do printf '%s\n' "$a"; done`, "_", cmd.Line).Output()
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("python3\n-m\nhttp.server\n%d\n--bind\n127.0.0.1\n--directory\n%s\n", s.Port(), dir)
	if string(out) != want {
		t.Errorf("the shell read %q as\n%s\nwant\n%s", cmd.Line, out, want)
	}
	for _, k := range []Kind{Echo, API, TCPEcho, UDPEcho} {
		s := start(t, Config{Kind: k})
		c := s.Equivalent()
		if !strings.Contains(c.Line, strconv.Itoa(s.Port())) || !strings.Contains(c.Line, "127.0.0.1") || c.Note == "" {
			t.Errorf("%s: %+v", k, c)
		}
	}
}
