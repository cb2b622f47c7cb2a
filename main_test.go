//go:build !windows

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"runtime/trace"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain lets the test binary run as loopscope itself: with
// LOOPSCOPE_TEST_MAIN=1 its arguments are a loopscope command line.
func TestMain(m *testing.M) {
	if os.Getenv("LOOPSCOPE_TEST_MAIN") == "1" {
		record(os.Getenv("LOOPSCOPE_TEST_CPUPROFILE"), 14*time.Second, pprof.StartCPUProfile, pprof.StopCPUProfile)
		record(os.Getenv("LOOPSCOPE_TEST_TRACE"), 16*time.Second, trace.Start, trace.Stop)
		var allocs io.Writer
		record(os.Getenv("LOOPSCOPE_TEST_ALLOCPROFILE"), 13*time.Second, func(w io.Writer) error { allocs = w; return nil },
			func() { pprof.Lookup("allocs").WriteTo(allocs, 0) })
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	if mode := os.Getenv("LOOPSCOPE_TEST_HOLD"); mode != "" {
		if mode == "ignore-term" {
			signal.Ignore(syscall.SIGTERM)
		}
		if comm := os.Getenv("LOOPSCOPE_TEST_COMM"); comm != "" {
			setComm(comm) // a name of its own choosing, as any process may
		}
		switch mode {
		case "share":
			holdShared() // a server's master and its worker
		case "inherit":
			fmt.Println(os.Getpid())
			time.Sleep(time.Minute) // bounded, in case the test dies
			os.Exit(0)
		}
		holdPort() // stand in for a server that holds a port
	}
	os.Exit(m.Run())
}

// runCLI calls run in this process.
func runCLI(args ...string) (stdout, stderr string, code int) {
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut)
	return out.String(), errOut.String(), code
}

// childEnv is this process's environment with LC_ALL removed, LANG=C.UTF-8
// (the locale that makes Fyne log an error) and LOOPSCOPE_TEST_MAIN=1.
func childEnv(extra []string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "LC_ALL=") && !strings.HasPrefix(kv, "LANG=") {
			env = append(env, kv)
		}
	}
	// No desktop session unless a test gives one (window_tray_linux_test.go):
	// the developer's own tray and notifications stay out of the tests.
	env = append(env, "LANG=C.UTF-8", "LOOPSCOPE_TEST_MAIN=1", "DBUS_SESSION_BUS_ADDRESS=")
	return append(env, extra...)
}

// runBinary runs the test binary as the real program in a subprocess.
func runBinary(t *testing.T, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = childEnv(env)
	return runCmd(t, cmd)
}

func runCmd(t *testing.T, cmd *exec.Cmd) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatalf("%v: %v", cmd.Args, err)
	}
	return out.String(), errOut.String(), code
}

// assertUsageError checks the shape of every command-line mistake.
func assertUsageError(t *testing.T, stdout, stderr string, code int) {
	t.Helper()
	if code != 2 {
		t.Errorf("exit code %d, want 2", code)
	}
	if stdout != "" {
		t.Errorf("stdout %q, want nothing", stdout)
	}
	if !strings.HasPrefix(stderr, "loopscope: ") || !strings.HasSuffix(stderr, "\n") || strings.Count(stderr, "\n") != 1 ||
		strings.Count(stderr, "loopscope:") != 1 {
		t.Errorf("stderr %q, want one line starting %q once", stderr, "loopscope: ")
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"unknown command", []string{"bogus"}},
		{"tab without a value", []string{"--tab"}},
		{"unknown tab", []string{"--tab", "Nope"}},
		{"version with an extra argument", []string{"--version", "extra"}},
		{"help with an extra argument", []string{"help", "extra"}},
		{"who without a port", []string{"who"}},
		{"unknown flag", []string{"ports", "--nope"}},
		{"stray argument", []string{"ports", "extra"}},
		{"screenshot no file", []string{"screenshot"}},
		{"screenshot two files", []string{"screenshot", "a.png", "b.png"}},
		{"screenshot not png", []string{"screenshot", "shot.jpg"}},
		{"screenshot size abc", []string{"screenshot", "--size", "abc", "a.png"}},
		{"screenshot size too small", []string{"screenshot", "--size", "10x10", "a.png"}},
		{"screenshot unknown tab", []string{"screenshot", "--tab", "Nope", "a.png"}},
		{"screenshot unknown flag", []string{"screenshot", "--nope", "a.png"}},
		{"screenshot unknown server kind", []string{"screenshot", "--serve", "ftp", "a.png"}},
		{"screenshot send without a server", []string{"screenshot", "--send", "a.png"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, code := runCLI(tt.args...)
			assertUsageError(t, stdout, stderr, code)
		})
	}
}

func TestHelpAndVersion(t *testing.T) {
	stdout, stderr, code := runCLI("--help")
	if code != 0 || stderr != "" || !strings.Contains(stdout, "Usage:") || !strings.Contains(stdout, "loopscope ports") {
		t.Errorf("--help: code %d, stderr %q, stdout %q", code, stderr, stdout)
	}
	stdout, stderr, code = runCLI("--version")
	if want := "loopscope " + version + "\n"; code != 0 || stderr != "" || stdout != want {
		t.Errorf("--version: code %d, stderr %q, stdout %q; want %q", code, stderr, stdout, want)
	}
}

// socketsJSON runs ports with args and decodes its JSON output.
func socketsJSON(t *testing.T, args ...string) []map[string]any {
	t.Helper()
	stdout, stderr, code := runCLI(args...)
	if code != 0 || stderr != "" {
		t.Fatalf("%v: code %d, stderr %q", args, code, stderr)
	}
	var socks []map[string]any
	if err := json.Unmarshal([]byte(stdout), &socks); err != nil {
		t.Fatalf("%v: output is not a JSON array of objects: %v\n%s", args, err, stdout)
	}
	return socks
}

var jsonKeys = []string{"proto", "family", "local_ip", "local_port", "remote_ip", "remote_port", "state",
	"pid", "process", "exe", "user", "cmdline", "exposure", "port_class", "service", "owner_hidden"}

// findSocket finds this process's socket on a local port: on a busy machine
// another socket (a TIME_WAIT left by someone else) can share the port.
func findSocket(socks []map[string]any, proto string, port int) map[string]any {
	for _, s := range socks {
		if s["proto"] == proto && s["local_port"] == float64(port) && s["pid"] == float64(os.Getpid()) {
			return s
		}
	}
	return nil
}

// ownSocket checks a socket this test opened on 127.0.0.1.
func ownSocket(t *testing.T, socks []map[string]any, proto string, port int, state string) {
	t.Helper()
	s := findSocket(socks, proto, port)
	if s == nil {
		t.Fatalf("no %s socket on port %d in the output", proto, port)
	}
	if s["pid"] != float64(os.Getpid()) || s["exposure"] != "loopback" || s["state"] != state || s["local_ip"] != "127.0.0.1" {
		t.Errorf("%s port %d: pid %v exposure %v state %v local_ip %v; want %d loopback %s 127.0.0.1",
			proto, port, s["pid"], s["exposure"], s["state"], s["local_ip"], os.Getpid(), state)
	}
}

// loopbackSockets opens a TCP listener and a UDP socket on 127.0.0.1.
func loopbackSockets(t *testing.T) (ln net.Listener, udpPort int) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	return ln, pc.LocalAddr().(*net.UDPAddr).Port
}

func TestPortsJSON(t *testing.T) {
	ln, udpPort := loopbackSockets(t)
	tcpPort := ln.Addr().(*net.TCPAddr).Port
	socks := socketsJSON(t, "ports", "--json")
	for i, s := range socks {
		for _, k := range jsonKeys {
			if _, ok := s[k]; !ok {
				t.Errorf("socket %d has no key %q: %v", i, k, s)
			}
		}
	}
	ownSocket(t, socks, "tcp", tcpPort, "LISTEN")
	ownSocket(t, socks, "udp", udpPort, "UNCONN")
}

func TestPortsAllJSON(t *testing.T) {
	ln, _ := loopbackSockets(t)
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	clientPort := conn.LocalAddr().(*net.TCPAddr).Port
	socks := socketsJSON(t, "ports", "--all", "--json")
	ownSocket(t, socks, "tcp", ln.Addr().(*net.TCPAddr).Port, "LISTEN")
	ownSocket(t, socks, "tcp", clientPort, "ESTABLISHED")
	if s := findSocket(socks, "tcp", clientPort); s["remote_port"] != float64(ln.Addr().(*net.TCPAddr).Port) {
		t.Errorf("client end: remote_port %v, want %d", s["remote_port"], ln.Addr().(*net.TCPAddr).Port)
	}
}

func TestPortsTable(t *testing.T) {
	ln, _ := loopbackSockets(t)
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	stdout, stderr, code := runCLI("ports")
	if code != 0 || stderr != "" {
		t.Fatalf("code %d, stderr %q", code, stderr)
	}
	lines := strings.Split(stdout, "\n")
	if !strings.HasPrefix(lines[0], "PROTO") {
		t.Errorf("header %q does not start with PROTO", lines[0])
	}
	for _, l := range lines[1:] {
		if f := strings.Fields(l); len(f) > 2 && f[0] == "tcp" && f[1] == "127.0.0.1" && f[2] == port {
			return
		}
	}
	t.Errorf("no line for tcp 127.0.0.1 port %s in:\n%s", port, stdout)
}

// TestSubprocessQuietLocale fails if Fyne's locale error reaches stderr,
// which happens when internal/logfilter is not imported first.
func TestSubprocessQuietLocale(t *testing.T) {
	stdout, stderr, code := runBinary(t, nil, "ports", "--json")
	if code != 0 || stderr != "" {
		t.Fatalf("code %d, stderr %q; want 0 and nothing", code, stderr)
	}
	var socks []map[string]any
	if err := json.Unmarshal([]byte(stdout), &socks); err != nil {
		t.Fatalf("stdout is not a JSON array: %v\n%s", err, stdout)
	}
}

func TestSubprocessUsageError(t *testing.T) {
	stdout, stderr, code := runBinary(t, nil, "bogus")
	assertUsageError(t, stdout, stderr, code)
}

// TestScreenshotOfAScrolledRow: selecting a row far down the list scrolls
// the table; Fyne sizes a marker negatively there, which once made the
// software painter panic.
func TestScreenshotOfAScrolledRow(t *testing.T) {
	xvfb := needXvfb(t)
	var last int
	for range 40 {
		l, err := net.Listen("tcp4", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { l.Close() })
		last = max(last, l.Addr().(*net.TCPAddr).Port)
	}
	file := filepath.Join(t.TempDir(), "scrolled.png")
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second) // hang guard only
	defer cancel()
	cmd := exec.CommandContext(ctx, xvfb, "-a", os.Args[0], "screenshot", "--size", "1400x900", "--select", strconv.Itoa(last), file)
	cmd.Env = childEnv(nil)
	cmd.WaitDelay = 5 * time.Second
	stdout, stderr, code := runCmd(t, cmd)
	if code != 0 || stderr != "" || !strings.Contains(stdout, "wrote") {
		t.Fatalf("code %d, stdout %q, stderr %.400q", code, stdout, stderr)
	}
}

// TestScreenshotWithAServer: --serve starts a server in the window and
// sends it requests, --send one more from the panel, and nothing but the
// "wrote" line is printed.
func TestScreenshotWithAServer(t *testing.T) {
	xvfb := needXvfb(t)
	file := filepath.Join(t.TempDir(), "servers.png")
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second) // hang guard only
	defer cancel()
	cmd := exec.CommandContext(ctx, xvfb, "-a", os.Args[0], "screenshot", "--tab", "Servers", "--serve", "api", "--send", file)
	cmd.Env = childEnv(nil)
	cmd.WaitDelay = 5 * time.Second
	stdout, stderr, code := runCmd(t, cmd)
	if code != 0 || stderr != "" || stdout != "wrote "+file+" (1180x720, tab Servers)\n" {
		t.Fatalf("code %d, stdout %q, stderr %.400q", code, stdout, stderr)
	}
	if fi, err := os.Stat(file); err != nil || fi.Size() < 10_000 {
		t.Fatalf("no picture: %v", err)
	}
}

// needXvfb finds xvfb-run, or skips (fails under LOOPSCOPE_STRICT=1).
func needXvfb(t *testing.T) string {
	t.Helper()
	xvfb, err := exec.LookPath("xvfb-run")
	if err != nil {
		if os.Getenv("LOOPSCOPE_STRICT") == "1" {
			t.Fatal("xvfb-run not found; run 'make deps'")
		}
		t.Skip("xvfb-run not found")
	}
	return xvfb
}

// shoot runs `loopscope screenshot ARGS FILE` under xvfb-run, wants it to
// exit 0 saying "wrote …" and nothing else, and returns the picture.
func shoot(t *testing.T, args ...string) image.Image {
	t.Helper()
	xvfb := needXvfb(t)
	file := filepath.Join(t.TempDir(), "s.png")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second) // hang guard only
	defer cancel()
	cmd := exec.CommandContext(ctx, xvfb, append(append([]string{"-a", os.Args[0], "screenshot"}, args...), file)...)
	cmd.Env = childEnv(nil)
	cmd.WaitDelay = 5 * time.Second
	stdout, stderr, code := runCmd(t, cmd)
	if code != 0 || stderr != "" || !strings.Contains(stdout, "wrote") {
		t.Fatalf("screenshot %v: code %d, stdout %q, stderr %.400q; want 0, \"wrote ...\", nothing", args, code, stdout, stderr)
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("decode %s: %v", file, err)
	}
	return img
}

// TestScreenshotSmoke opens the real window under Xvfb and checks its PNG.
func TestScreenshotSmoke(t *testing.T) {
	img := shoot(t, "--size", "900x600")
	if b := img.Bounds(); b.Dx() != 900 || b.Dy() != 600 {
		t.Errorf("image is %dx%d, want 900x600", b.Dx(), b.Dy())
	}
	colours, opaque := map[color.RGBA64]bool{}, 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 5 {
		for x := b.Min.X; x < b.Max.X; x += 5 {
			r, g, bl, a := img.At(x, y).RGBA()
			colours[color.RGBA64{uint16(r), uint16(g), uint16(bl), uint16(a)}] = true
			if a == 0xffff {
				opaque++
			}
		}
	}
	if len(colours) <= 8 || opaque == 0 {
		t.Errorf("image looks blank: %d distinct colours, %d opaque samples", len(colours), opaque)
	}
}

func TestVersionMatchesFyneApp(t *testing.T) {
	data, err := os.ReadFile("FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		key, val, ok := strings.Cut(strings.TrimSpace(line), "=")
		if ok && strings.TrimSpace(key) == "Version" {
			if v := strings.Trim(strings.TrimSpace(val), `"`); v != version {
				t.Errorf("FyneApp.toml Version %q, main.go version %q", v, version)
			}
			return
		}
	}
	t.Error("FyneApp.toml has no Version line")
}

// The software-centre metadata names this release, and the same app ID.
func TestMetainfoMatchesRelease(t *testing.T) {
	data, err := os.ReadFile("assets/io.github.loopscope.loopscope.metainfo.xml")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `<release version="`+version+`"`) {
		t.Errorf("the metainfo has no release %s", version)
	}
	if !strings.Contains(string(data), "<id>"+appID+"</id>") {
		t.Errorf("the metainfo's id is not %s", appID)
	}
}

// goListDeps lists the packages pkgs depend on, themselves included.
func goListDeps(t *testing.T, pkgs ...string) []string {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go not found in PATH")
	}
	args := append([]string{"list", "-deps", "-tags", "migrated_fynedo"}, pkgs...)
	out, err := exec.Command(gobin, args...).Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, ee.Stderr)
		}
		t.Fatal(err)
	}
	return strings.Fields(string(out))
}

func TestLayering(t *testing.T) {
	pkgs := []string{"./netinfo/...", "./internal/..."}
	if fi, err := os.Stat("sniff"); err == nil && fi.IsDir() {
		pkgs = append(pkgs, "./sniff/...")
	}
	for _, p := range goListDeps(t, pkgs...) {
		if strings.HasPrefix(p, "fyne.io/") {
			t.Errorf("%v depend on %s; only gui and main may use Fyne", pkgs, p)
		}
	}
	for _, p := range goListDeps(t, "./gui") {
		if p == "fyne.io/fyne/v2/app" {
			t.Error("gui depends on fyne.io/fyne/v2/app; take a fyne.App as a parameter instead")
		}
	}
}

// record writes to file ("": nothing) what start records, for d, for
// looking into the window benchmarks: a CPU profile
// (LOOPSCOPE_TEST_CPUPROFILE), what was allocated by then
// (LOOPSCOPE_TEST_ALLOCPROFILE), or the execution trace that
// scripts/uiwaits reads (LOOPSCOPE_TEST_TRACE). It stops on a timer, as
// the benchmarks kill the window.
func record(file string, d time.Duration, start func(io.Writer) error, stop func()) {
	if file == "" {
		return
	}
	f, err := os.Create(file)
	if err != nil || start(f) != nil {
		return
	}
	time.AfterFunc(d, func() { stop(); f.Close() })
}

// TestScreenshotSettings: --settings draws the Settings dialog over the
// tab, so the picture's middle differs from the tab's alone.
func TestScreenshotSettings(t *testing.T) {
	plain, settings := shoot(t, "--tab", "Ports"), shoot(t, "--tab", "Ports", "--settings")
	differ := 0
	b := plain.Bounds()
	for y := b.Dy() / 4; y < 3*b.Dy()/4; y += 9 {
		for x := b.Dx() / 3; x < 2*b.Dx()/3; x += 9 {
			if plain.At(x, y) != settings.At(x, y) {
				differ++
			}
		}
	}
	if differ < 100 {
		t.Errorf("--settings changed %d sampled pixels of the picture's middle; the dialog is not in it", differ)
	}
}
