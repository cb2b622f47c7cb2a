package gui

import (
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
)

// prefs remembers the window between runs: its size, where its splits
// sit, the last tab, and how often it refreshes.
type prefs struct{ p fyne.Preferences }

// refreshChoices are the refresh intervals the user can pick; 0 pauses.
var refreshChoices = []struct {
	name  string
	every time.Duration
}{{"Every 1 s", time.Second}, {"Every 2 s", 2 * time.Second}, {"Every 5 s", 5 * time.Second}, {"Paused", 0}}

// defaultSize is the window's first size; main shrinks it to the screen.
var defaultSize = fyne.NewSize(1180, 720)

func (p prefs) windowSize() fyne.Size {
	w, h := p.p.FloatWithFallback("window.width", 0), p.p.FloatWithFallback("window.height", 0)
	if w < 400 || h < 300 {
		return defaultSize
	}
	return fyne.NewSize(float32(w), float32(h))
}

func (p prefs) lastTab() string { return p.p.String("window.tab") }

func (p prefs) intervalName() string {
	name := p.p.StringWithFallback("refresh", "Every 2 s")
	for _, c := range refreshChoices {
		if c.name == name {
			return name
		}
	}
	return "Every 2 s"
}

func (p prefs) interval() time.Duration {
	for _, c := range refreshChoices {
		if c.name == p.intervalName() {
			return c.every
		}
	}
	return 2 * time.Second
}

func (p prefs) setInterval(name string) { p.p.SetString("refresh", name) }

var splitKeys = []string{"split.ports", "split.procs"}

func (p prefs) restoreSplits(splits ...*container.Split) {
	for i, s := range splits {
		if off := p.p.FloatWithFallback(splitKeys[i], 0); off > 0.15 && off < 0.9 {
			s.Offset = off
		}
	}
}

// rememberTab keeps the tab shown.
func (p prefs) rememberTab(tab string) {
	if p.p.String("window.tab") != tab {
		p.p.SetString("window.tab", tab)
	}
}

// rememberSize keeps the window's size, when it changed.
func (p prefs) rememberSize(size fyne.Size) {
	if size.Width >= 400 && size.Height >= 300 && (float32(p.p.Float("window.width")) != size.Width || float32(p.p.Float("window.height")) != size.Height) {
		p.p.SetFloat("window.width", float64(size.Width))
		p.p.SetFloat("window.height", float64(size.Height))
	}
}

// save remembers the window as it is when it closes.
func (p prefs) save(size fyne.Size, tab string, splits ...*container.Split) {
	if size.Width >= 400 && size.Height >= 300 {
		p.p.SetFloat("window.width", float64(size.Width))
		p.p.SetFloat("window.height", float64(size.Height))
	}
	p.p.SetString("window.tab", tab)
	for i, s := range splits {
		p.p.SetFloat(splitKeys[i], s.Offset)
	}
}

// lessonsPassed are the lessons whose check the learner passed, by index.
func (p prefs) lessonsPassed() map[int]bool {
	out := map[int]bool{}
	for _, i := range p.p.IntList("learn.passed") {
		out[i] = true
	}
	return out
}

func (p prefs) setLessonPassed(passed map[int]bool) {
	var list []int
	for i := range passed {
		list = append(list, i)
	}
	slices.Sort(list)
	p.p.SetIntList("learn.passed", list)
}

// What Settings changes, each kept the moment it changes.

func (p prefs) theme() string            { return p.p.StringWithFallback("theme", themeSystem) }
func (p prefs) setTheme(t string)        { p.p.SetString("theme", t) }
func (p prefs) startTab() string         { return p.p.String("start.tab") } // "": the last one
func (p prefs) setStartTab(t string)     { p.p.SetString("start.tab", t) }
func (p prefs) showConns() bool          { return p.p.Bool("procs.connections") }
func (p prefs) setShowConns(on bool)     { p.p.SetBool("procs.connections", on) }
func (p prefs) exposeServers() bool      { return p.p.Bool("serve.expose") }
func (p prefs) setExposeServers(on bool) { p.p.SetBool("serve.expose", on) }

// ringChoices are the capture ring sizes Settings offers.
var ringChoices = []struct {
	name string
	max  int
}{{"10,000 packets (about 20 MB)", 10_000}, {"100,000 packets (about 200 MB)", 100_000}, {"300,000 packets (about 600 MB)", 300_000}}

// ringName is the chosen ring size's name, the default's when none is.
func (p prefs) ringName() string {
	name := p.p.String("capture.ring")
	for _, c := range ringChoices {
		if c.name == name {
			return name
		}
	}
	return ringChoices[1].name
}

func (p prefs) setRing(name string) { p.p.SetString("capture.ring", name) }

// ring is how many packets a capture keeps.
func (p prefs) ring() int {
	for _, c := range ringChoices {
		if c.name == p.ringName() {
			return c.max
		}
	}
	return ringChoices[1].max
}

// The tray and the watch on ports.

// watchedPorts are the ports whose starting and stopping the user is told of.
func (p prefs) watchedPorts() []uint16 {
	var ports []uint16
	for _, n := range p.p.IntList("watch.ports") {
		if n > 0 && n < 65536 {
			ports = append(ports, uint16(n))
		}
	}
	return ports
}

func (p prefs) setWatchedPorts(ports []uint16) {
	list := make([]int, len(ports))
	for i, port := range ports {
		list[i] = int(port)
	}
	p.p.SetIntList("watch.ports", list)
}

func (p prefs) trayOn() bool            { return p.p.BoolWithFallback("tray.on", true) }
func (p prefs) setTrayOn(on bool)       { p.p.SetBool("tray.on", on) }
func (p prefs) trayTold() bool          { return p.p.Bool("tray.told") } // the first close said it stays in the tray
func (p prefs) setTrayTold()            { p.p.SetBool("tray.told", true) }
func (p prefs) notifyOn() bool          { return p.p.BoolWithFallback("notify.on", true) }
func (p prefs) setNotifyOn(on bool)     { p.p.SetBool("notify.on", on) }
func (p prefs) notifyExposed() bool     { return p.p.BoolWithFallback("notify.exposed", true) }
func (p prefs) setNotifyExposed(b bool) { p.p.SetBool("notify.exposed", b) }
