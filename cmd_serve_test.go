//go:build !windows

package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
)

// served is a running "loopscope serve".
type served struct {
	cmd    *exec.Cmd
	exited chan struct{}
	err    error // how it exited, once exited is closed
}

// wait waits for it to exit and returns how.
func (s *served) wait() error { <-s.exited; return s.err }

// serving runs "loopscope serve args…" as a subprocess and returns it
// with the URL of its first line and a reader of the lines after.
func serving(t *testing.T, args ...string) (*served, string, *bufio.Reader, *strings.Builder) {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"serve"}, args...)...)
	cmd.Env = childEnv(nil)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sv := &served{cmd: cmd, exited: make(chan struct{})}
	go func() { sv.err = cmd.Wait(); close(sv.exited) }()
	t.Cleanup(func() { cmd.Process.Kill(); <-sv.exited })
	r := bufio.NewReader(out)
	line, err := r.ReadString('\n')
	if err != nil {
		t.Fatalf("serve %v printed no first line: %v; stderr %q", args, err, stderr.String())
	}
	m := regexp.MustCompile(`^serving (\S+) on (\S+)\n$`).FindStringSubmatch(line)
	if m == nil || m[1] != args[0] {
		t.Fatalf("first line %q, want \"serving %s on URL\"", line, args[0])
	}
	return sv, m[2], r, &stderr
}

func TestServeEchoLogsAndStopsOnInterrupt(t *testing.T) {
	cmd, url, lines, stderr := serving(t, "echo")
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("URL %q is not on 127.0.0.1", url)
	}
	resp, err := http.Get(url + "hello%1b%5b31m?q=1")
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	line, err := lines.ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	// One line per request, outside text escaped: the escape sequence
	// in the path cannot colour the terminal.
	if !regexp.MustCompile(`^\d\d:\d\d:\d\d\.\d{3} 127\.0\.0\.1:\d+ GET /hello%1b%5b31m\?q=1 200 `).MatchString(line) || strings.ContainsRune(line, 0x1b) {
		t.Errorf("log line %q", line)
	}
	cmd.cmd.Process.Signal(syscall.SIGINT)
	if err := cmd.wait(); err != nil {
		t.Errorf("after SIGINT: %v, want exit 0", err)
	}
	if s := stderr.String(); s != "" {
		t.Errorf("stderr %q, want nothing (no locale noise)", s)
	}
	if c, err := net.Dial("tcp", strings.TrimSuffix(strings.TrimPrefix(url, "http://"), "/")); err == nil {
		c.Close()
		t.Error("the port still answers after the server exited")
	}
}

func TestServeSIGTERMExitsZero(t *testing.T) {
	cmd, _, _, _ := serving(t, "udp-echo")
	cmd.cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.wait(); err != nil {
		t.Errorf("after SIGTERM: %v, want exit 0", err)
	}
}

func TestServeTakenPortNamesTheOwner(t *testing.T) {
	port, holder := startHolder(t, "plain")
	stdout, stderr, code := runBinary(t, nil, "serve", "tcp-echo", "--port", port)
	if code != 1 || stdout != "" {
		t.Errorf("exit %d, stdout %q; want 1 and nothing", code, stdout)
	}
	want := fmt.Sprintf("(PID %d)", holder.Process.Pid)
	if !strings.Contains(stderr, "port "+port+" is already in use by ") || !strings.Contains(stderr, want) || strings.Count(stderr, "\n") != 1 {
		t.Errorf("stderr %q, want one line naming the holder %s", stderr, want)
	}
}

func TestServeUsageErrors(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "routes.json")
	os.WriteFile(bad, []byte(`[{"path": "/a", "staus": 200}]`), 0o644)
	twoBad := filepath.Join(t.TempDir(), "two.json")
	os.WriteFile(twoBad, []byte(`[{"method": "GET", "path": "api", "status": 99}]`), 0o644)
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"no kind", []string{"serve"}, "KIND"},
		{"unknown kind", []string{"serve", "ftp"}, "tcp-echo"},
		{"dir for echo", []string{"serve", "echo", "--dir", "."}, "--dir is for files"},
		{"routes for files", []string{"serve", "files", "--routes", bad}, "--routes is for api"},
		{"bad port", []string{"serve", "echo", "--port", "70000"}, "not a port"},
		{"letters for a port", []string{"serve", "echo", "--port", "abc"}, `"abc" is not a port`},
		{"bad routes file", []string{"serve", "api", "--routes", bad}, `route 1`},
		{"two mistakes in one route", []string{"serve", "api", "--routes", twoBad}, `"path" must start with "/"; two.json: route 1 (GET api): "status" 99`},
		{"missing routes file", []string{"serve", "api", "--routes", "/nonexistent/r.json"}, "r.json"},
		{"lan bind without expose", []string{"serve", "echo", "--bind", "0.0.0.0"}, "--expose"},
		{"serving the root", []string{"serve", "files", "--dir", "/"}, "--yes"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, code := runCLI(tt.args...)
			assertUsageError(t, stdout, stderr, code)
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr %q does not mention %q", stderr, tt.want)
			}
		})
	}
}

func TestServeFilesFromTheCurrentFolder(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("from a"), 0o644)
	os.WriteFile(filepath.Join(dir, ".env"), []byte("SECRET=1"), 0o644)
	cmd := exec.Command(os.Args[0], "serve", "files", "--port", "0")
	cmd.Dir = dir
	cmd.Env = childEnv(nil)
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	line, _ := bufio.NewReader(out).ReadString('\n')
	url := strings.TrimSpace(strings.TrimPrefix(line, "serving files on "))
	for path, want := range map[string]int{"a.txt": 200, ".env": 404} {
		resp, err := http.Get(url + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want || (want == 200 && string(body) != "from a") {
			t.Errorf("%s: %d %q, want %d", path, resp.StatusCode, body, want)
		}
	}
}
