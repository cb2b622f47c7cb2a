package gui

import "runtime/debug"

// captureGCPercent is the collector's headroom while a live capture runs.
// The window's heap is then mostly the packets it holds, which live long:
// the default headroom (as much again as is live) took the window past
// 300 MB under a 100,000-packets-a-second flood with the default ring of
// 100,000; 60 % kept it at 291–299 MB, at about the same UI lag
// (BenchmarkWindowPacketsFlood, README). A file or no capture keeps the
// default.
const captureGCPercent = 60

// captureMemory sets the headroom for a live capture, and gives the
// default back when it ends; the UI goroutine only.
type captureMemory struct {
	before int
	on     bool
}

func (m *captureMemory) start() {
	if !m.on {
		m.before, m.on = debug.SetGCPercent(captureGCPercent), true
	}
}

func (m *captureMemory) stop() {
	if m.on {
		debug.SetGCPercent(m.before)
		m.on = false
	}
}
