// Command loopscope shows what is happening on a machine's ports: which
// sockets listen, who owns them, and who can reach them. With no arguments it
// opens the window; with a command it runs that command and exits.
package main

import (
	"io"
	"os"
	"os/signal"
	"syscall"

	// First among our imports so its init runs before Fyne's: it keeps
	// Fyne's "Error parsing user locale C" out of stderr.
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
func openWindow(tab string) {
	a := newApp(appID)
	w := a.NewWindow("Loopscope")
	ui := gui.New(a, w, netinfo.NewScanner(), gui.Options{OpenURL: openBrowser, Probe: os.Getenv("LOOPSCOPE_PROBE"),
		Version: version, ReadmeURL: readmeURL, Session: session.Probe()})
	if tab != "" {
		ui.SelectTab(tab) // validated by the caller
	}
	a.Lifecycle().SetOnStarted(func() { fyne.Do(func() { fitToScreen(w) }) })
	closeOnSignal(ui.Quit)
	ui.Start()
	w.ShowAndRun()
}

// closeOnSignal quits when the session ends Loopscope (logout, systemd,
// Ctrl+C in the terminal that started it) as its Quit would: servers
// stop, the size and tab are remembered, the tray icon goes.
func closeOnSignal(quit func()) {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sig
		signal.Stop(sig) // a second signal ends the program at once
		quit()
	}()
}
