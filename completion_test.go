package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The bash completion, made from the command table, offers what the
// parser takes: sourced into a real bash, asked as bash asks it.
func TestBashCompletion(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	script, err := newTable().Completion("bash")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "capture.pcap"), nil, 0o644)
	os.Mkdir(filepath.Join(dir, "files"), 0o755) // a folder named like a server kind
	os.WriteFile(filepath.Join(dir, "my capture [1].pcap"), nil, 0o644)
	complete := func(line string) []string {
		t.Helper()
		words := strings.Fields(line)
		if strings.HasSuffix(line, " ") {
			words = append(words, "")
		}
		var quoted []string
		for _, w := range words {
			quoted = append(quoted, "'"+w+"'")
		}
		prog := script + "\nCOMP_WORDS=(" + strings.Join(quoted, " ") + ")\nCOMP_CWORD=" + strconv.Itoa(len(words)-1) +
			"\n_loopscope\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n"
		cmd := exec.Command("bash", "-c", prog)
		cmd.Dir = dir
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		return strings.FieldsFunc(string(out), func(r rune) bool { return r == '\n' }) // one offer a line
	}
	for _, tc := range []struct {
		line      string
		want, not []string
	}{
		{"loopscope ", []string{"ports", "who", "diagnose", "serve", "capture", "completion", "--tab"}, nil},
		{"loopscope --tab ", []string{"Ports", "Processes", "Servers", "Packets", "Learn"}, []string{"ports"}},
		{"loopscope --tab Learn ", nil, []string{"ports", "Ports"}}, // the window takes no command after its flags
		{"loopscope ports --j", []string{"--json"}, []string{"--wide"}},
		{"loopscope serve ", []string{"files", "echo", "api", "tcp-echo", "udp-echo"}, []string{"--port", "files/"}},
		{"loopscope serve files --", []string{"--port", "--dir", "--expose", "--bind"}, []string{"files"}},
		{"loopscope serve --port ", nil, []string{"capture.pcap", "files"}},
		{"loopscope serve --bind ", []string{"127.0.0.1", "0.0.0.0"}, nil},
		{"loopscope capture -r ", []string{"capture.pcap", "my capture [1].pcap"}, []string{"my", "capture"}},
		{"loopscope capture -f ", nil, []string{"capture.pcap"}},
		{"loopscope capture -", []string{"-i", "-f", "-c", "-w", "-r", "--json"}, nil},
		{"loopscope completion ", []string{"bash", "zsh", "fish"}, nil},
		{"loopscope screenshot --tab Ports ", []string{"capture.pcap"}, nil},
	} {
		got := complete(tc.line)
		for _, w := range tc.want {
			if !slices.Contains(got, w) {
				t.Errorf("%q offers %v, without %q", tc.line, got, w)
			}
		}
		for _, w := range tc.not {
			if slices.Contains(got, w) {
				t.Errorf("%q offers %v, with %q", tc.line, got, w)
			}
		}
	}
}

// The words offered are plain: compgen -W expands what it is given, so
// a $, a backtick or a quote in one would run or break.
func TestCompletionWordsArePlain(t *testing.T) {
	plain := regexp.MustCompile(`^[A-Za-z0-9._-]+$`)
	for _, c := range newTable().Commands {
		for flag, words := range c.Words {
			for _, w := range words {
				if !plain.MatchString(w) {
					t.Errorf("%s %s offers %q", c.Name, flag, w)
				}
			}
		}
	}
}

// Every shell's script is made; another shell is refused with a usage error.
func TestCompletionShells(t *testing.T) {
	for _, sh := range []string{"bash", "zsh", "fish"} {
		s, err := newTable().Completion(sh)
		if err != nil || !strings.Contains(s, "serve") || !strings.Contains(s, "tab") {
			t.Errorf("%s: %v\n%s", sh, err, s)
		}
	}
	if code := run([]string{"completion", "tcsh"}, &strings.Builder{}, &strings.Builder{}); code != 2 {
		t.Errorf("completion tcsh exits %d, want 2", code)
	}
}
