// Command loopscope shows what is happening on a machine's ports: which
// sockets listen, who owns them, and who can reach them. With no arguments it
// opens the window; with a command it runs that command and exits.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	// First among our imports so its init runs before Fyne's: it keeps
	// Fyne's "Error parsing user locale C" out of stderr.
	"github.com/loopscope/loopscope/internal/instance"
	_ "github.com/loopscope/loopscope/internal/logfilter"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/loopscope/loopscope/assets"
	"github.com/loopscope/loopscope/gui"
	"github.com/loopscope/loopscope/internal/session"
	"github.com/loopscope/loopscope/netinfo"
)

// readmeURL is the README on the project's site (FyneApp.toml's
// Website), for Help ▸ Read me.
const readmeURL = "https://github.com/loopscope/loopscope#readme"

// version is the release, kept equal to FyneApp.toml's by a test.
const version = "0.1.0"

// appID is the reverse-DNS identity Fyne stores preferences under.
const appID = "io.github.loopscope.loopscope"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes one command line and returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	return newTable().Run(args, stdout, stderr)
}

// newApp creates the Fyne app with Loopscope's icon.
func newApp(id string) fyne.App {
	a := app.NewWithID(id)
	a.SetIcon(fyne.NewStaticResource("loopscope.png", assets.IconPNG))
	return a
}

// openWindow runs the desktop app until its window closes, on tab if set.
// Where Loopscope already runs for this user, that one shows its window
// (on tab) instead, and this start ends.
func openWindow(tab string) error {
	one, handed, err := instance.Start(instancePath(), tab)
	if handed {
		fmt.Fprintln(os.Stderr, "Loopscope is already running: its window is shown.")
		return nil
	}
	if errors.Is(err, instance.ErrNotAnswering) {
		return errors.New("already running, but not answering (stopped or hung): end that Loopscope, or wait, and start again")
	}
	if err == nil { // else another start may open a second window: no harm done
		defer one.Close()
	}
	a := newApp(appID)
	w := a.NewWindow("Loopscope")
	ui := gui.New(a, w, netinfo.NewScanner(), gui.Options{OpenURL: openBrowser, Probe: os.Getenv("LOOPSCOPE_PROBE"),
		Version: version, ReadmeURL: readmeURL, Session: session.Probe(), Notify: session.Notifier(), OnQuit: exitSoon})
	if tab != "" {
		ui.SelectTab(tab) // validated by the caller
	}
	a.Lifecycle().SetOnStarted(func() { fyne.Do(func() { fitToScreen(w) }) })
	closeOnSignal(ui.Quit)
	if one != nil {
		go func() {
			for tab := range one.Requests {
				fyne.Do(func() { ui.Show(tab) })
			}
		}()
	}
	ui.Start()
	w.ShowAndRun()
	return nil
}

// instancePath is where the running Loopscope listens for later starts:
// beside its preferences, so each user (and each test's HOME) has one.
func instancePath() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "fyne", appID, "instance.sock")
}

// quitGrace is how long quitting may take before the process ends anyway.
const quitGrace = 5 * time.Second

// exitSoon ends the process quitGrace after the user quit, if Fyne has not
// ended it by then: Fyne 2.7.1 can hang on its way out when an event was
// queued as its loop stopped (seen after quitting from the tray). The
// window's closing has saved the preferences and stopped the servers by
// then.
func exitSoon() {
	go func() {
		time.Sleep(quitGrace)
		os.Exit(0)
	}()
}

// closeOnSignal quits when the session ends Loopscope (logout, systemd,
// Ctrl+C in the terminal that started it) as its Quit would: servers
// stop, the size and tab are remembered, the tray icon goes.
func closeOnSignal(quit func()) {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		<-sig
		signal.Stop(sig) // a second signal ends the program at once
		quit()
	}()
}
