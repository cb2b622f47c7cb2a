// Command loopscope shows what is happening on a machine's ports: which
// sockets listen, who owns them, and who can reach them. With no arguments it
// opens the window; with a command it runs that command and exits.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	// First among our imports so its init runs before Fyne's: it keeps
	// Fyne's "Error parsing user locale C" out of stderr.
	_ "github.com/loopscope/loopscope/internal/logfilter"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/loopscope/loopscope/assets"

	"github.com/loopscope/loopscope/gui"
	"github.com/loopscope/loopscope/netinfo"
)

// version is the release, kept equal to FyneApp.toml's by a test.
const version = "0.1.0"

// appID is the reverse-DNS identity Fyne stores preferences under.
const appID = "io.github.loopscope.loopscope"

// usageError is a mistake on the command line: one line, exit code 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return usageError{fmt.Sprintf(format, args...)}
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes one command line and returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		openWindow("")
		return 0
	}
	var err error
	switch args[0] {
	case "--tab", "-tab":
		err = cmdOpen(args)
	case "ports":
		err = cmdPorts(args[1:], stdout)
	case "who":
		err = cmdWho(args[1:], stdout)
	case "free":
		err = cmdFree(args[1:], stdout)
	case "screenshot":
		err = cmdScreenshot(args[1:], stdout)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	case "version", "-version", "--version":
		fmt.Fprintf(stdout, "loopscope %s\n", version)
		return 0
	default:
		err = usagef("unknown command %q; run 'loopscope --help' for the list", args[0])
	}
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "loopscope: %s\n", err)
		return 2
	case errors.Is(err, errNothingFound):
		return 1
	case errors.Is(err, errHelp):
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "loopscope: %s\n", err)
	return 1
}

// errHelp asks run to print the usage and exit 0 (a command's -h).
var errHelp = errors.New("help requested")

// errNothingFound makes a command exit 1 without a message of its own.
var errNothingFound = errors.New("nothing found")

const usage = `Loopscope shows which ports are open on this machine, who owns them,
and who can reach them.

Usage:
  loopscope [--tab NAME]         open the window (on tab NAME: Ports, Processes)
  loopscope ports [--all] [--json]
                                 list listening TCP and UDP sockets (what
                                 'ss -tuln' shows) with their owners; --all
                                 lists every socket, connections included
  loopscope who PORT [--json]   show who listens on PORT; exit 1 if nobody
  loopscope free PORT [--force] [--yes]
                                 end the process listening on PORT (SIGTERM;
                                 with --force, SIGKILL if it ignores that);
                                 asks first unless --yes; exit 0 once free
  loopscope screenshot [--tab NAME] [--size WxH] [--select PORT] FILE.png
                                 open the window, wait for real data, save a
                                 PNG of it and exit (needs a display);
                                 --select selects the row of PORT first
  loopscope --help               show this help
  loopscope --version            show the version

Exit codes: 0 success, 1 failure, 2 bad command line.
`

// newApp creates the Fyne app with Loopscope's icon.
func newApp(id string) fyne.App {
	a := app.NewWithID(id)
	a.SetIcon(fyne.NewStaticResource("loopscope.png", assets.IconPNG))
	return a
}

// cmdOpen opens the window on a chosen tab: loopscope --tab NAME.
func cmdOpen(args []string) error {
	fs := newFlagSet("loopscope")
	tab := fs.String("tab", "", "the tab to open on")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if !validTab(*tab) {
		return usagef("no tab called %q; the tabs are %s", *tab, strings.Join(gui.TabNames(), ", "))
	}
	openWindow(*tab)
	return nil
}

// validTab reports whether name is one of the window's tabs.
func validTab(name string) bool {
	return slices.ContainsFunc(gui.TabNames(), func(n string) bool { return strings.EqualFold(n, name) })
}

// openWindow runs the desktop app until its window closes, on tab if set.
func openWindow(tab string) {
	a := newApp(appID)
	w := a.NewWindow("Loopscope")
	ui := gui.New(a, w, netinfo.NewScanner())
	if tab != "" {
		ui.SelectTab(tab) // validated by the caller
	}
	ui.Start()
	w.ShowAndRun()
}
