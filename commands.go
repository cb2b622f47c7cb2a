package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/loopscope/loopscope/gui"
	"github.com/loopscope/loopscope/internal/cli"
	"github.com/loopscope/loopscope/netinfo/serve"
)

// newTable is Loopscope's command line: one entry per command, from which
// the parser, the dispatcher and --help are made.
func newTable() *cli.Table {
	tabs := strings.Join(gui.TabNames(), ", ")
	var kinds []string
	for _, k := range serve.Kinds() {
		kinds = append(kinds, string(k))
	}
	return &cli.Table{
		Program: "loopscope",
		Intro:   "Loopscope shows which ports are open on this machine, who owns them,\nand who can reach them.\n",
		Outro:   "\nExit codes: 0 success, 1 failure, 2 bad command line.\n",
		Commands: []cli.Command{
			{Usage: "[--tab NAME]", Help: "open the window (on tab NAME: " + tabs + ")", Setup: setupOpen,
				Words: map[string][]string{"tab": gui.TabNames()}},
			{Name: "ports", Usage: "ports [--all] [--json] [--wide]", Setup: setupPorts,
				Help: "list listening TCP and UDP sockets (what 'ss -tuln' shows) with their owners; --all lists every socket, connections included; --wide prints long names whole"},
			{Name: "who", Usage: "who PORT [--json] [--wide]", Args: []string{"PORT"}, Setup: setupWho,
				Help: "show who listens on PORT, every process that holds it; exit 1 if nobody"},
			{Name: "free", Usage: "free PORT [--force] [--yes]", Args: []string{"PORT"}, Setup: setupFree,
				Help: "end every process listening on PORT (SIGTERM; with --force, SIGKILL if one ignores it); asks first unless --yes; exit 0 once the port is free"},
			{Name: "diagnose", Usage: "diagnose PORT [--json]", Args: []string{"PORT"}, Setup: setupDiagnose,
				Help: "say why PORT can or cannot be reached, with the evidence: what listens and who holds it, who can reach it, what connecting by 127.0.0.1, ::1, localhost and each LAN address gives, what localhost is here, an HTTP probe, the firewall, and what to do; exit 1 if nothing listens"},
			{Name: "serve", Usage: "serve KIND [--port N] [--dir D] [--routes FILE] [--bind ADDR] [--expose] [--cors ORIGINS] [--show-hidden] [--yes]",
				Args: []string{"KIND"}, Setup: setupServe, Words: map[string][]string{"": kinds, "bind": {"127.0.0.1", "0.0.0.0"}}, Files: []string{"dir", "routes"},
				Help: "run a local server on 127.0.0.1 until interrupted. KIND is files (a folder, like 'python3 -m http.server'; --dir, default here), echo (answers with the request), api (a mock JSON API; --routes FILE), tcp-echo or udp-echo. Prints 'serving KIND on URL', then one line per request. --expose lets other devices reach it; --cors lets the listed browser origins read it; --show-hidden serves dotfiles and keys; --yes serves even a home or root folder. A taken port exits 1 naming its owner"},
			{Name: "capture", Usage: "capture [-i IFACE] [-f FILTER] [-c COUNT] [-w FILE] [-r FILE] [--json]", Setup: setupCapture,
				Files: []string{"r", "w"},
				Help:  "print the packets on an interface (loopback unless -i), one line each, until COUNT packets or Ctrl+C; -f takes a capture filter like 'tcp port 8080'; -w writes them to a pcap file instead ('-' for stdout); -r reads a .pcap or .pcapng file; --json prints a JSON object per packet. Ends with 'N captured, D dropped by kernel' on stderr. Needs root, or the capture helper given the capability with setcap (see the README's Capturing without root)"},
			{Name: "screenshot", Usage: "screenshot [--tab NAME] [--size WxH] [--select PORT] [--serve KIND [--send]] [--capture FILTER] [--lesson N] [--settings] FILE.png", Args: []string{"FILE.png"},
				Setup: setupScreenshot, Words: map[string][]string{"tab": gui.TabNames(), "serve": kinds}, Files: []string{""},
				Help: "open the window, wait for real data, save a PNG of it and exit (needs a display); --select selects the row of PORT first; --serve starts a local server of KIND (or of each KIND,KIND…) and makes a few requests to it, and --send also sends one from the Send a request panel; --capture starts capturing on loopback with FILTER first; --lesson opens lesson N of the Learn tab and runs its steps first; --settings opens the Settings dialog over it"},
			{Name: "completion", Usage: "completion bash|zsh|fish", Args: []string{"SHELL"}, Words: map[string][]string{"": {"bash", "zsh", "fish"}},
				Help: "print the shell completion of these commands and their options for bash, zsh or fish; 'source <(loopscope completion bash)' loads it",
				Setup: func(*flag.FlagSet) cli.Run {
					return func(inv *cli.Invocation) error {
						script, err := newTable().Completion(inv.Args[0])
						if err == nil {
							_, err = io.WriteString(inv.Stdout, script)
						}
						return err
					}
				}},
			{Name: "help", Aliases: []string{"-h", "-help", "--help"}, Usage: "--help", Help: "show this help",
				Setup: func(*flag.FlagSet) cli.Run { return func(*cli.Invocation) error { return cli.ErrShowHelp } }},
			{Name: "version", Aliases: []string{"-version", "--version"}, Usage: "--version", Help: "show the version",
				Setup: func(*flag.FlagSet) cli.Run {
					return func(inv *cli.Invocation) error {
						_, err := fmt.Fprintf(inv.Stdout, "loopscope %s\n", version)
						return err
					}
				}},
		},
	}
}

// setupOpen is the command without a name: open the window, on a tab.
func setupOpen(fs *flag.FlagSet) cli.Run {
	tab := fs.String("tab", "", "the tab to open on")
	return func(*cli.Invocation) error {
		if *tab != "" && !validTab(*tab) {
			return cli.Usagef("no tab called %q; the tabs are %s", *tab, strings.Join(gui.TabNames(), ", "))
		}
		return openWindow(*tab)
	}
}

// validTab reports whether name is one of the window's tabs.
func validTab(name string) bool { return gui.ValidTab(name) }
