package main

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// returningUser writes the preferences of someone who served site before
// (Fyne keeps them under $HOME/.config/fyne/APPID), and a fake browser
// that writes the URL it was asked to open to a file.
func returningUser(t *testing.T, prefs map[string]any) (home string, env []string, opened string) {
	t.Helper()
	home = t.TempDir()
	dir := filepath.Join(home, ".config", "fyne", appID)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(prefs)
	if err := os.WriteFile(filepath.Join(dir, "preferences.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	opened = filepath.Join(t.TempDir(), "opened")
	script := "#!/bin/sh\nprintf '%s\\n' \"$1\" >> " + opened + "\n"
	if err := os.WriteFile(filepath.Join(bin, "xdg-open"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return home, []string{"PATH=" + bin + ":" + os.Getenv("PATH")}, opened
}

// TestWindowServersStartOpenStop: with the folder remembered, Start
// serves it in one click; Open in browser opens its URL; the browser's
// request shows in the log; Copy URL copies it; Stop frees the port.
func TestWindowServersStartOpenStop(t *testing.T) {
	site := t.TempDir()
	os.WriteFile(filepath.Join(site, "index.html"), []byte("<h1>site</h1>"), 0o644)
	home, env, opened := returningUser(t, map[string]any{"serve.kind": "Static files", "serve.dir": site})
	x := openXWindowWith(t, "Servers", home, env)

	x.clickButton("Start")
	p := x.wait("a running file server", func(p probeState) bool {
		return p.Rows == 1 && strings.HasPrefix(p.Details, "Static files · http://127.0.0.1:")
	})
	url := strings.TrimPrefix(p.Details, "Static files · ") + "/"
	if !regexp.MustCompile(`^http://127\.0\.0\.1:\d+/$`).MatchString(url) {
		t.Fatalf("details title %q", p.Details)
	}

	x.clickButton("Open in browser")
	deadline := time.Now().Add(10 * time.Second)
	var got []byte
	for time.Now().Before(deadline) {
		if got, _ = os.ReadFile(opened); len(got) > 0 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if strings.TrimSpace(string(got)) != url {
		t.Fatalf("the browser was asked to open %q, want %q", got, url)
	}
	resp, err := http.Get(url) // what the browser would do
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "<h1>site</h1>" {
		t.Errorf("the server answered %q", body)
	}
	x.wait("the request in the log", func(p probeState) bool { return p.Extra["log_rows"] == "1" })

	x.clickButton("Copy URL")
	x.waitClipboard(url)

	x.clickButton("Stop")
	x.wait("the server stopped", func(p probeState) bool {
		_, again := p.Buttons["Start again"]
		return again && strings.Contains(p.Status, "0 of 1 servers running")
	})
	if c, err := net.Dial("tcp", strings.TrimSuffix(strings.TrimPrefix(url, "http://"), "/")); err == nil {
		c.Close()
		t.Error("the port still answers after Stop")
	}

	// A second server: a left click on each row shows that row's server.
	x.clickButton("Start")
	x.wait("two servers", func(p probeState) bool { return p.Rows == 2 })
	x.clickRow(0, "1")
	time.Sleep(500 * time.Millisecond) // the click taken, whichever row was current before
	first := x.wait("the first row chosen", func(p probeState) bool { return p.Current != "" && p.Details != "" })
	x.clickRow(1, "1")
	second := x.wait("the second row chosen", func(p probeState) bool { return p.Current != first.Current && p.Details != "" })
	if first.Details == second.Details {
		t.Errorf("both rows show the same details: %q", first.Details)
	}
}
