// Package cli is Loopscope's command table: every command's name, flags,
// usage line and help in one place, from which it parses a command line,
// runs the command and writes --help, so the three cannot drift apart.
// It knows nothing of the window.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Command is one entry of the table.
type Command struct {
	// Name is the word that selects the command; "" for the command that
	// runs when the line starts with a flag or is empty (the window).
	Name string
	// Aliases are other words for it ("--help", "-h").
	Aliases []string
	// Usage is the synopsis after the program name: "who PORT [--json]".
	Usage string
	// Help says what it does, in a sentence or two; help wraps it.
	Help string
	// Args names the positional arguments ("PORT", "FILE.png"); the
	// command takes exactly that many. Empty: it takes none.
	Args []string
	// Setup declares the command's flags on fs and returns the function
	// that runs it once they are parsed.
	Setup func(fs *flag.FlagSet) Run
	// Words are what shell completion offers for a flag's value (by the
	// flag's name, "tab") or, at "", for the first argument.
	Words map[string][]string
	// Files names the flags whose value is a file or folder ("dir"), and
	// "" when the arguments are: shell completion offers file names there
	// (and nothing for other values it has no Words for).
	Files []string
}

// Run runs a command with its positional arguments.
type Run func(inv *Invocation) error

// Invocation is one run of a command.
type Invocation struct {
	Args   []string // the positional arguments, as many as Command.Args names
	Stdout io.Writer
	Stderr io.Writer
}

// UsageError is a mistake on the command line: reported in one line, exit code 2.
type UsageError struct{ Msg string }

func (e UsageError) Error() string { return e.Msg }

// Usagef returns a UsageError.
func Usagef(format string, args ...any) error {
	return UsageError{fmt.Sprintf(format, args...)}
}

// ErrFailedQuietly makes a command exit 1 without a message of its own:
// it has already said what there is to say ("who" when nobody listens).
var ErrFailedQuietly = errors.New("failed quietly")

// ErrShowHelp makes the table print the help text and exit 0.
var ErrShowHelp = errors.New("help requested")

// Table is the program's commands.
type Table struct {
	Program  string // "loopscope"
	Intro    string // the help text's first lines
	Outro    string // the help text's last lines
	Commands []Command
}

// Run parses args, runs the command they name and returns the exit code:
// 0 success, 1 failure (the error on stderr, after "PROGRAM: "), 2 a
// mistake on the command line.
func (t *Table) Run(args []string, stdout, stderr io.Writer) int {
	err := t.Dispatch(args, stdout, stderr)
	var ue UsageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, ErrShowHelp):
		text := t.Help()
		var ch commandHelp
		if errors.As(err, &ch) {
			text = ch.text
		}
		if _, err := fmt.Fprint(stdout, text); err != nil {
			fmt.Fprintf(stderr, "%s: write the help: %v\n", t.Program, err)
			return 1
		}
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "%s: %s\n", t.Program, oneLine(err.Error()))
		return 2
	case errors.Is(err, ErrFailedQuietly):
		return 1
	}
	fmt.Fprintf(stderr, "%s: %s\n", t.Program, err)
	return 1
}

// oneLine keeps a usage error to one line whatever it quotes.
func oneLine(s string) string { return strings.ReplaceAll(s, "\n", `\n`) }

// Dispatch parses args and runs the command they name, returning its
// error; Run turns that into a message and an exit code.
func (t *Table) Dispatch(args []string, stdout, stderr io.Writer) error {
	cmd, rest, err := t.find(args)
	if err != nil {
		return err
	}
	fs := flag.NewFlagSet(cmd.Name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	run := cmd.Setup(fs)
	pos, err := parseInterspersed(fs, rest)
	if err != nil {
		return t.flagError(cmd, fs, err)
	}
	if err := t.checkArgs(cmd, pos); err != nil {
		return err
	}
	return run(&Invocation{Args: pos, Stdout: stdout, Stderr: stderr})
}

// find picks the command args name, and the arguments left for it.
func (t *Table) find(args []string) (*Command, []string, error) {
	if len(args) > 0 {
		for i := range t.Commands {
			c := &t.Commands[i]
			if c.Name != "" && (args[0] == c.Name || slices.Contains(c.Aliases, args[0])) {
				return c, args[1:], nil
			}
		}
	}
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		for i := range t.Commands {
			if t.Commands[i].Name == "" {
				return &t.Commands[i], args, nil
			}
		}
	}
	return nil, nil, Usagef("unknown command %q; run '%s --help' for the list", args[0], t.Program)
}

// prefix is what a command's messages start with: "who: ", or nothing for
// the default command.
func prefix(c *Command) string {
	if c.Name == "" {
		return ""
	}
	return c.Name + ": "
}

func (t *Table) flagError(c *Command, fs *flag.FlagSet, err error) error {
	if errors.Is(err, flag.ErrHelp) {
		if c.Name == "" {
			return ErrShowHelp
		}
		return commandHelp{t.commandHelp(c, fs)}
	}
	// The flag package names flags with one dash; the help shows two.
	msg := strings.Replace(err.Error(), ": -", ": --", 1)
	return Usagef("%s%s; run '%s --help'", prefix(c), msg, t.Program)
}

func (t *Table) checkArgs(c *Command, pos []string) error {
	switch {
	case len(pos) == len(c.Args):
		return nil
	case len(c.Args) == 0:
		return Usagef("%sunexpected argument %q; run '%s --help'", prefix(c), pos[0], t.Program)
	case len(c.Args) == 1:
		return Usagef("%sgive exactly one %s (got %d); run '%s --help'", prefix(c), c.Args[0], len(pos), t.Program)
	}
	return Usagef("%sgive %s (got %d arguments); run '%s --help'", prefix(c), strings.Join(c.Args, " "), len(pos), t.Program)
}

// parseInterspersed parses flags given before, between or after the
// positional arguments, and returns the positional ones. "--" ends the
// flags.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for rest := args; ; {
		// A negative number is an argument (a bad port, say), not a flag.
		for len(rest) > 0 && negativeNumber(rest[0]) {
			pos, rest = append(pos, rest[0]), rest[1:]
		}
		if err := fs.Parse(rest); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		if len(rest) > 0 && len(rest)-fs.NArg() > 0 && rest[len(rest)-fs.NArg()-1] == "--" {
			return append(pos, fs.Args()...), nil
		}
		pos = append(pos, fs.Arg(0))
		rest = fs.Args()[1:]
	}
}

func negativeNumber(s string) bool {
	if len(s) < 2 || s[0] != '-' {
		return false
	}
	for _, c := range s[1:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// commandHelp is a request for one command's help: "loopscope capture
// --help" says how to use capture, not every command.
type commandHelp struct{ text string }

func (commandHelp) Error() string        { return ErrShowHelp.Error() }
func (commandHelp) Is(target error) bool { return target == ErrShowHelp }

// commandHelp is one command's help: its synopsis, what it does, and its
// flags.
func (t *Table) commandHelp(c *Command, fs *flag.FlagSet) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Usage: %s %s\n\n", t.Program, c.Usage)
	help := c.Help
	if help != "" {
		help = strings.ToUpper(help[:1]) + help[1:]
	}
	for _, l := range wrap(help, 76) {
		b.WriteString(l + "\n")
	}
	first := true
	fs.VisitAll(func(f *flag.Flag) {
		if first {
			b.WriteString("\nOptions:\n")
			first = false
		}
		name := "--" + f.Name
		if len(f.Name) == 1 {
			name = "-" + f.Name // as the usage line writes it
		}
		fmt.Fprintf(&b, "  %-16s %s\n", name, f.Usage)
	})
	return b.String()
}

// helpColumn is where the help text of each command starts.
const helpColumn = 33

// Help is the text --help prints, made from the table.
func (t *Table) Help() string {
	var b strings.Builder
	b.WriteString(t.Intro)
	b.WriteString("\nUsage:\n")
	for _, c := range t.Commands {
		if c.Help == "" {
			continue
		}
		synopsis := "  " + t.Program
		if c.Usage != "" {
			synopsis += " " + c.Usage
		}
		lines := wrap(c.Help, 78-helpColumn)
		if len(synopsis) < helpColumn-1 {
			fmt.Fprintf(&b, "%-*s%s\n", helpColumn, synopsis, lines[0])
			lines = lines[1:]
		} else {
			b.WriteString(synopsis + "\n")
		}
		for _, l := range lines {
			fmt.Fprintf(&b, "%*s%s\n", helpColumn, "", l)
		}
	}
	b.WriteString(t.Outro)
	return b.String()
}

// wrap breaks text into lines of at most width characters, between words.
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(text) {
		switch {
		case line == "":
			line = w
		case len(line)+1+len(w) > width:
			lines = append(lines, line)
			line = w
		default:
			line += " " + w
		}
	}
	return append(lines, line)
}
