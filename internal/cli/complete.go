package cli

import (
	"flag"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// completing is what a completion script needs of one command: its
// flags, which of them take a value, and the words its values and its
// first argument may be.
type completing struct {
	name   string
	help   string
	flags  []*flag.Flag
	valued map[string]bool     // the flags that take a value
	words  map[string][]string // a flag's values ("tab") or, at "", the first argument's
	files  []string            // the flags, and "" for the arguments, that take file names
}

// completions reads the table: each command's flags as its Setup
// declares them, on a FlagSet of its own that is never parsed.
func (t *Table) completions() []completing {
	var out []completing
	for _, c := range t.Commands {
		if strings.HasPrefix(c.Name, "-") {
			continue
		}
		fs := flag.NewFlagSet(c.Name, flag.ContinueOnError)
		if c.Setup != nil {
			c.Setup(fs)
		}
		cc := completing{name: c.Name, help: c.Help, valued: map[string]bool{}, words: c.Words, files: c.Files}
		fs.VisitAll(func(f *flag.Flag) {
			cc.flags = append(cc.flags, f)
			if b, ok := f.Value.(interface{ IsBoolFlag() bool }); !ok || !b.IsBoolFlag() {
				cc.valued[f.Name] = true
			}
		})
		out = append(out, cc)
	}
	return out
}

// dash is a flag as the usage lines write it: "-i", "--json".
func dash(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// Completion is a completion script for shell (bash, zsh or fish), made
// from the table, so it offers exactly the commands and flags the parser
// takes.
func (t *Table) Completion(shell string) (string, error) {
	switch shell {
	case "bash":
		return t.bash("bash"), nil
	case "zsh":
		// zsh runs bash's script through its bashcompinit; source it.
		return "autoload -U +X bashcompinit && bashcompinit\n" + t.bash("zsh"), nil
	case "fish":
		return t.fish(), nil
	}
	return "", Usagef("completion: no shell called %q; give bash, zsh or fish", shell)
}

// bashFiles adds the file names that start with $cur to COMPREPLY, one
// a line, so a name with spaces or wildcards stays whole (bash 3.2 has
// no mapfile).
const bashFiles = `compopt -o filenames 2>/dev/null; while IFS= read -r f; do COMPREPLY+=("$f"); done < <(compgen -f -- "$cur")`

func (t *Table) bash(shell string) string {
	cs := t.completions()
	var b strings.Builder
	fn := "_" + strings.ReplaceAll(t.Program, "-", "_")
	fmt.Fprintf(&b, "# %s completion for %s, made by '%s completion %s'.\n", t.Program, shell, t.Program, shell)
	fmt.Fprintf(&b, "%s() {\n", fn)
	// Each flag that takes a value: a pattern that skips the value while
	// looking for the command, and what completing the value offers.
	var valued []string
	var values strings.Builder
	for _, c := range cs {
		for _, name := range sortedKeys(c.valued) {
			pat := c.name + ":" + dash(name)
			valued = append(valued, pat)
			switch words, ok := c.words[name]; {
			case ok:
				fmt.Fprintf(&values, "\t%s) COMPREPLY=($(compgen -W %q -- \"$cur\")); return ;;\n", pat, strings.Join(words, " "))
			case slices.Contains(c.files, name):
				fmt.Fprintf(&values, "\t%s) COMPREPLY=(); %s; return ;;\n", pat, bashFiles)
			default: // a number, an address, a filter: nothing to offer
				fmt.Fprintf(&values, "\t%s) COMPREPLY=(); return ;;\n", pat)
			}
		}
	}
	b.WriteString("\tlocal cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"${COMP_WORDS[COMP_CWORD-1]}\" cmd=\"\" args=0 skip=0 opened=0 w\n")
	// The command is the first word that is neither a flag nor a flag's value.
	b.WriteString("\tfor w in \"${COMP_WORDS[@]:1:COMP_CWORD-1}\"; do\n")
	b.WriteString("\t\tif ((skip)); then skip=0; continue; fi\n")
	b.WriteString("\t\tcase \"$cmd:$w\" in\n")
	fmt.Fprintf(&b, "\t\t%s) skip=1; [[ -z $cmd ]] && opened=1 ;;\n", strings.Join(valued, "|"))
	b.WriteString("\t\t:-*) opened=1 ;; # the window's own flags: no command follows\n")
	b.WriteString("\t\t*:-*) ;;\n")
	b.WriteString("\t\t:*) cmd=\"$w\" ;;\n")
	b.WriteString("\t\t*) args=$((args+1)) ;;\n")
	b.WriteString("\t\tesac\n\tdone\n")
	// A flag's value.
	b.WriteString("\tcase \"$cmd:$prev\" in\n")
	b.WriteString(values.String())
	b.WriteString("\tesac\n")
	// The command's flags, its first argument's words, or the commands.
	b.WriteString("\tlocal words=\"\" files=0\n\tcase \"$cmd\" in\n")
	for _, c := range cs {
		var commands, words []string
		for _, f := range c.flags {
			words = append(words, dash(f.Name))
		}
		if c.name == "" {
			for _, o := range cs {
				if o.name != "" {
					commands = append(commands, o.name)
				}
			}
		}
		fmt.Fprintf(&b, "\t%q) words=%q", c.name, strings.Join(words, " "))
		if len(commands) > 0 {
			fmt.Fprintf(&b, "; ((opened)) || words+=%q", " "+strings.Join(commands, " "))
		}
		if first, ok := c.words[""]; ok {
			fmt.Fprintf(&b, "; ((args == 0)) && [[ $cur != -* ]] && words=%q", strings.Join(first, " "))
		}
		if slices.Contains(c.files, "") {
			b.WriteString("; [[ $cur != -* ]] && files=1")
		}
		b.WriteString(" ;;\n")
	}
	b.WriteString("\tesac\n")
	b.WriteString("\tCOMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n")
	b.WriteString("\tif ((files)); then " + bashFiles + "; fi\n")
	b.WriteString("\treturn 0\n}\n")
	fmt.Fprintf(&b, "complete -F %s %s\n", fn, t.Program)
	return b.String()
}

func (t *Table) fish() string {
	cs := t.completions()
	var b strings.Builder
	p := t.Program
	fmt.Fprintf(&b, "# %s completion for fish, made by '%s completion fish'.\n", p, p)
	cond := func(c completing) string {
		if c.name == "" {
			return "__fish_use_subcommand"
		}
		return "__fish_seen_subcommand_from " + c.name
	}
	for _, c := range cs {
		if c.name != "" {
			fmt.Fprintf(&b, "complete -c %s -n __fish_use_subcommand -f -a %s -d %s\n", p, c.name, fishQuote(firstClause(c.help)))
		}
		for _, f := range c.flags {
			opt := "-l " + f.Name
			if len(f.Name) == 1 {
				opt = "-o " + f.Name
			}
			fmt.Fprintf(&b, "complete -c %s -n %s %s -d %s", p, fishQuote(cond(c)), opt, fishQuote(f.Usage))
			switch words, ok := c.words[f.Name]; {
			case ok:
				fmt.Fprintf(&b, " -x -a %s", fishQuote(strings.Join(words, " ")))
			case slices.Contains(c.files, f.Name):
				b.WriteString(" -r -F")
			case c.valued[f.Name]:
				b.WriteString(" -x")
			}
			b.WriteString("\n")
		}
		if first, ok := c.words[""]; ok && c.name != "" {
			fmt.Fprintf(&b, "complete -c %s -n %s -f -a %s\n", p, fishQuote(cond(c)+"; and not __fish_seen_subcommand_from "+strings.Join(first, " ")), fishQuote(strings.Join(first, " ")))
		}
	}
	return b.String()
}

// firstClause is a help text up to the end of its first clause, for a
// short description: "run a local server on 127.0.0.1 until interrupted".
func firstClause(s string) string {
	end := len(s)
	for _, sep := range []string{"; ", ": ", ". ", " ("} {
		if i := strings.Index(s, sep); i > 0 && i < end {
			end = i
		}
	}
	return strings.TrimSpace(s[:end])
}

func fishQuote(s string) string {
	return "'" + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), "'", `\'`) + "'"
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
