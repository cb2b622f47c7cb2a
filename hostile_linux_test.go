package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/loopscope/loopscope/internal/texttable"
)

// setComm sets this process's kernel name, as any process may.
func setComm(name string) {
	b := append([]byte(name), 0)
	if err := unix.Prctl(unix.PR_SET_NAME, uintptr(unsafe.Pointer(&b[0])), 0, 0, 0); err != nil {
		os.Exit(3)
	}
}

// startHostile starts a holder with a kernel name and an argv[0] of its
// choosing, and extra arguments, and returns its port.
func startHostile(t *testing.T, comm, argv0 string, args ...string) string {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^$"}, args...)...)
	cmd.Args[0] = argv0
	cmd.Env = append(os.Environ(), "LOOPSCOPE_TEST_HOLD=plain", "LOOPSCOPE_TEST_COMM="+comm)
	port, _ := startCmd(t, cmd)
	return port
}

// forgedRow is what a hostile name tries to add to the table: a whole
// row claiming sshd listens on every interface.
const forgedRow = "tcp    0.0.0.0    22     all-interfaces   ssh      1      sshd          root"

// hostileHolders starts processes whose names try to break the output.
func hostileHolders(t *testing.T) map[string]string {
	t.Helper()
	long := strings.Repeat("L", 15) // a kernel name cut at 15 bytes, lengthened by argv[0]
	return map[string]string{
		"newline":   startHostile(t, "x\ntcp 0.0.0.0", "x"),
		"escape":    startHostile(t, "\x1b[2J\x1b[Hpwn", "e"),
		"0xff":      startHostile(t, "bad\xffname", "f"),
		"forged":    startHostile(t, long, long+"\n"+forgedRow),
		"100KB":     startHostile(t, long, long+strings.Repeat("A", 100_000), strings.Repeat("B", 100_000)),
		"bidi+tabs": startHostile(t, "a\tb\u202ec", "b"),
		"wide":      startHostile(t, "漢字漢字漢", "w"),
		"combining": startHostile(t, "e\u0301\u0301\u0301x", "c"),
		"spaces":    startHostile(t, "a", "a"+strings.Repeat(" ", 200)+"Listens on TCP 127.0.0.1:5432."),
	}
}

// checkSafeOutput fails on any byte of out that could act as control:
// control characters but newline, invalid UTF-8 (0xFF is tabwriter's
// escape), and Unicode format characters.
func checkSafeOutput(t *testing.T, what, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Errorf("%s: output is not valid UTF-8", what)
	}
	for i, r := range out {
		if (r < 0x20 && r != '\n') || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u202e' {
			t.Fatalf("%s: character %U at byte %d:\n%q", what, r, i, out[max(0, i-80):min(len(out), i+80)])
		}
	}
}

// TestHostileNamesCannotForgeTheTable: in 'ports' every line is a row of
// its own, aligned, and no name adds a line, clears the terminal or
// breaks the columns; a 100 KB name does not make the output huge.
func TestHostileNamesCannotForgeTheTable(t *testing.T) {
	ports := hostileHolders(t)
	for _, args := range [][]string{{"ports"}, {"ports", "--all"}} {
		stdout, stderr, code := runCLI(args...)
		if code != 0 || stderr != "" {
			t.Fatalf("%v: exit %d, stderr %q", args, code, stderr)
		}
		checkSafeOutput(t, strings.Join(args, " "), stdout)
		if len(stdout) > 512<<10 {
			t.Errorf("%v printed %d bytes: a long name is not capped", args, len(stdout))
		}
		lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
		for _, heading := range []string{"EXPOSURE", "USER"} {
			col := texttable.Width(lines[0][:strings.Index(lines[0], heading)])
			for i, l := range lines[1:] {
				if !startsAtScreenColumn(l, col) {
					t.Errorf("%v line %d is out of line with the %s column on screen:\n%s\n%s", args, i+1, heading, lines[0], l)
				}
			}
		}
		for i, l := range lines[1:] {
			if !strings.HasPrefix(l, "tcp ") && !strings.HasPrefix(l, "udp ") {
				t.Errorf("%v line %d is not a row: %q", args, i+1, l)
			}
			if strings.Contains(l, "sshd          root") && !strings.Contains(l, `\n`) {
				t.Errorf("%v line %d is a forged row: %q", args, i+1, l)
			}
		}
		for name, port := range ports {
			if !containsRow(lines, port) {
				t.Errorf("%v: no row for the %s holder on port %s", args, name, port)
			}
		}
	}
}

// startsAtScreenColumn reports whether a field of line starts at screen
// column col: a space just before it and something else at it.
func startsAtScreenColumn(line string, col int) bool {
	w := 0
	prev := rune(0)
	for _, r := range line {
		if w == col {
			return prev == ' ' && r != ' '
		}
		if w > col {
			return false
		}
		w += texttable.Width(string(r))
		prev = r
	}
	return false
}

func containsRow(lines []string, port string) bool {
	for _, l := range lines {
		if f := strings.Fields(l); len(f) > 2 && f[2] == port {
			return true
		}
	}
	return false
}

// TestHostileNamesInWhoAndFree: 'who' shows the names escaped and the
// command line capped, '--wide' shows them whole but still escaped, and
// free's confirmation prints nothing raw.
func TestHostileNamesInWhoAndFree(t *testing.T) {
	ports := hostileHolders(t)
	for name, port := range ports {
		stdout, _, code := runCLI("who", port)
		if code != 0 {
			t.Fatalf("who %s (%s): exit %d", port, name, code)
		}
		checkSafeOutput(t, "who "+name, stdout)
		if len(stdout) > 4<<10 {
			t.Errorf("who %s (%s): %d bytes; the command line is not capped", port, name, len(stdout))
		}
	}
	stdout, _, _ := runCLI("who", ports["100KB"], "--wide")
	checkSafeOutput(t, "who --wide", stdout)
	if !strings.Contains(stdout, strings.Repeat("A", 100_000)) {
		t.Error("who --wide does not print the long name whole")
	}
	if stdout, _, _ := runCLI("who", ports["newline"]); !strings.Contains(stdout, `x\ntcp 0.0.0.0`) {
		t.Errorf("who does not show the name escaped:\n%s", stdout)
	}
	for _, name := range []string{"newline", "escape", "forged"} {
		stdout, stderr, code := runCLI("free", ports[name], "--yes")
		if code != 0 {
			t.Errorf("free (%s): exit %d, stderr %q", name, code, stderr)
		}
		checkSafeOutput(t, "free "+name, stdout)
		checkSafeOutput(t, "free "+name+" (stderr)", stderr)
	}
}
