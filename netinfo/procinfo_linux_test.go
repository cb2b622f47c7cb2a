package netinfo

import (
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

func TestProcessName(t *testing.T) {
	tests := []struct {
		name, comm, exe, argv0, want string
	}{
		{"comm as it is", "nginx", "/usr/sbin/nginx", "nginx: master process", "nginx"},
		{"argv[0] cannot impersonate", "evil", "/tmp/evil", "sshd", "evil"},
		{"interpreter keeps its comm", "python3", "/usr/bin/python3.11", "python3", "python3"},
		{"cut comm lengthened by the executable", "systemd-resolve", "/usr/lib/systemd/systemd-resolved", "", "systemd-resolved"},
		{"cut comm lengthened by argv[0]", "my-long-server-", "", "/opt/my-long-server-name", "my-long-server-name"},
		{"argv[0] that does not agree is ignored", "my-long-server-", "", "sshd", "my-long-server-"},
		{"no name at all", "", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := processName(tt.comm, tt.exe, tt.argv0); got != tt.want {
				t.Errorf("processName(%q, %q, %q) = %q, want %q", tt.comm, tt.exe, tt.argv0, got, tt.want)
			}
		})
	}
}

func TestParseStat(t *testing.T) {
	line := "4242 (a) b) (c) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 3 0 123456 1000 10 18446744073709551615\n"
	st, ok := parseStat([]byte(line))
	if !ok || st.comm != "a) b) (c" || st.state != 'S' || st.ppid != 1 || st.flags != 4194560 || st.threads != 3 || st.startTicks != 123456 {
		t.Errorf("parseStat = %+v, %v", st, ok)
	}
	for _, bad := range []string{"", "4242 (x", "4242 (x) S 1", "4242 (x) S abc 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0"} {
		if _, ok := parseStat([]byte(bad)); ok {
			t.Errorf("parseStat(%q) accepted", bad)
		}
	}
}

// FuzzParseStat: /proc/PID/stat holds a name the process chose; no line
// makes the parser panic.
func FuzzParseStat(f *testing.F) {
	f.Add("1 (init) S 0 1 1 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 5 1000 10 0")
	f.Add("7 ()) ) R 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0")
	f.Fuzz(func(t *testing.T, s string) { parseStat([]byte(s)) })
}

// TestNamesFromTheKernel runs processes that lie about themselves and
// checks the snapshot names them as the kernel does (ps -o comm).
func TestNamesFromTheKernel(t *testing.T) {
	hostile := []struct {
		name, comm string
	}{
		{"newline", "x\ntcp 0.0.0.0"},
		{"terminal escape", "\x1b[2J\x1b[Hpwn"},
		{"0xff byte", "bad\xffname"},
	}
	sc := NewScanner()
	for _, tt := range hostile {
		t.Run(tt.name, func(t *testing.T) {
			c := startChild(t, "named", []string{"NETINFO_TEST_COMM=" + tt.comm})
			port, _ := strconv.Atoi(c.line[0])
			s := listenerOn(t, sc, uint16(port))
			comm, err := os.ReadFile("/proc/" + strconv.Itoa(c.cmd.Process.Pid) + "/comm")
			if err != nil {
				t.Fatal(err)
			}
			if want := strings.TrimSuffix(string(comm), "\n"); s.Process != want || want != tt.comm {
				t.Errorf("process %q, the kernel's comm %q, set %q", s.Process, want, tt.comm)
			}
		})
	}
	t.Run("argv[0] says sshd", func(t *testing.T) {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Args[0] = "sshd"
		cmd.Env = append(os.Environ(), "NETINFO_TEST_CHILD=hold")
		c := runChild(t, cmd)
		port, _ := strconv.Atoi(c.line[0])
		s := listenerOn(t, sc, uint16(port))
		if s.Process == "sshd" || s.Process != "netinfo.test" {
			t.Errorf("process %q; a program that calls itself sshd in argv[0] must show its real name netinfo.test", s.Process)
		}
		if !strings.HasPrefix(s.Cmdline, "sshd ") {
			t.Errorf("command line %q should show argv[0] as given", s.Cmdline)
		}
	})
}
