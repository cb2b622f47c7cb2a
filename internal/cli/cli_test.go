package cli

import (
	"bytes"
	"errors"
	"flag"
	"strings"
	"testing"
)

// testTable has a default command with a flag, a command with one
// argument and a flag, and help.
func testTable(ran *[]string) *Table {
	return &Table{
		Program: "prog",
		Intro:   "Prog does things.\n",
		Outro:   "\nBye.\n",
		Commands: []Command{
			{Usage: "[--tab NAME]", Help: "open the window", Setup: func(fs *flag.FlagSet) Run {
				tab := fs.String("tab", "", "")
				return func(*Invocation) error { *ran = append(*ran, "open "+*tab); return nil }
			}},
			{Name: "who", Usage: "who PORT [--json]", Args: []string{"PORT"}, Help: "show who listens on PORT; a long help text that must wrap onto a second line of the help",
				Setup: func(fs *flag.FlagSet) Run {
					js := fs.Bool("json", false, "")
					return func(inv *Invocation) error {
						*ran = append(*ran, "who "+inv.Args[0]+map[bool]string{true: " json"}[*js])
						return nil
					}
				}},
			{Name: "help", Aliases: []string{"--help", "-h"}, Usage: "--help", Help: "show this help",
				Setup: func(*flag.FlagSet) Run { return func(*Invocation) error { return ErrShowHelp } }},
		},
	}
}

func TestDispatch(t *testing.T) {
	tests := []struct {
		args []string
		code int
		ran  string
	}{
		{nil, 0, "open "},
		{[]string{"--tab", "Ports"}, 0, "open Ports"},
		{[]string{"who", "80"}, 0, "who 80"},
		{[]string{"who", "--json", "80"}, 0, "who 80 json"},
		{[]string{"who", "80", "--json"}, 0, "who 80 json"},
		{[]string{"who", "--", "-5"}, 0, "who -5"},
		{[]string{"who", "-5"}, 0, "who -5"},
	}
	for _, tt := range tests {
		var ran []string
		var out, errOut bytes.Buffer
		code := testTable(&ran).Run(tt.args, &out, &errOut)
		if code != tt.code || len(ran) != 1 || ran[0] != tt.ran || errOut.Len() != 0 {
			t.Errorf("%q: code %d, ran %q, stderr %q; want %d and %q", tt.args, code, ran, errOut.String(), tt.code, tt.ran)
		}
	}
}

// TestUsageErrorsAreOneLine: every mistake is one line on stderr, with
// the program's name once, exit 2, and nothing run.
func TestUsageErrorsAreOneLine(t *testing.T) {
	for _, args := range [][]string{
		{"--tab"}, {"--nope"}, {"bogus"}, {"who"}, {"who", "1", "2"}, {"who", "--nope", "1"},
		{"help", "extra"}, {"--help", "extra"}, {"open\nrow"},
	} {
		var ran []string
		var out, errOut bytes.Buffer
		code := testTable(&ran).Run(args, &out, &errOut)
		msg := errOut.String()
		if code != 2 || len(ran) != 0 || out.Len() != 0 || strings.Count(msg, "\n") != 1 ||
			!strings.HasPrefix(msg, "prog: ") || strings.Count(msg, "prog:") != 1 {
			t.Errorf("%q: code %d, ran %q, stdout %q, stderr %q", args, code, ran, out.String(), msg)
		}
	}
}

func TestHelpIsMadeFromTheTable(t *testing.T) {
	var ran []string
	var out bytes.Buffer
	if code := testTable(&ran).Run([]string{"-h"}, &out, &bytes.Buffer{}); code != 0 {
		t.Fatalf("-h: exit %d", code)
	}
	help := out.String()
	for _, want := range []string{"Prog does things.", "  prog [--tab NAME]", "  prog who PORT [--json]", "show who listens", "Bye."} {
		if !strings.Contains(help, want) {
			t.Errorf("help lacks %q:\n%s", want, help)
		}
	}
	for _, l := range strings.Split(help, "\n") {
		if len(l) > 80 {
			t.Errorf("help line longer than 80 characters: %q", l)
		}
	}
	if code := testTable(&ran).Run([]string{"who", "-h"}, &out, &bytes.Buffer{}); code != 0 {
		t.Errorf("who -h: exit %d, want the help and 0", code)
	}
}

func TestFlagMessagesUseTwoDashes(t *testing.T) {
	var ran []string
	var errOut bytes.Buffer
	testTable(&ran).Run([]string{"--tab"}, &bytes.Buffer{}, &errOut)
	if !strings.Contains(errOut.String(), "--tab") {
		t.Errorf("stderr %q does not name --tab as the help does", errOut.String())
	}
}

// failingWriter fails every write, as a full disk does.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

func TestHelpThatCannotBeWrittenFails(t *testing.T) {
	var ran []string
	var errOut bytes.Buffer
	if code := testTable(&ran).Run([]string{"--help"}, failingWriter{}, &errOut); code != 1 || !strings.Contains(errOut.String(), "no space") {
		t.Errorf("--help to a full disk: exit %d, stderr %q; want 1 and the reason", code, errOut.String())
	}
}

// "prog who --help" shows who's own help — its usage, what it does, its
// flags — and exits 0; "prog --help" still shows every command.
func TestCommandHelp(t *testing.T) {
	var ran []string
	tb := testTable(&ran)
	var out, errOut bytes.Buffer
	if code := tb.Run([]string{"who", "--help"}, &out, &errOut); code != 0 || errOut.Len() > 0 {
		t.Fatalf("exit %d, stderr %q", code, errOut.String())
	}
	got := out.String()
	for _, want := range []string{"Usage: prog who PORT [--json]\n", "Show who listens on PORT", "--json"} {
		if !strings.Contains(got, want) {
			t.Errorf("who --help lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "open the window") || len(ran) > 0 {
		t.Errorf("who --help shows other commands or ran one:\n%s", got)
	}
	out.Reset()
	if tb.Run([]string{"--help"}, &out, &errOut); !strings.Contains(out.String(), "open the window") {
		t.Errorf("--help lost the other commands:\n%s", out.String())
	}
}
