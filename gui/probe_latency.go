package gui

import (
	"sync"
	"time"

	"fyne.io/fyne/v2"
)

// uiLatency measures, while the probe runs, how long work handed to the
// UI goroutine waits before it runs: the lag a click or a key would feel.
// The window benchmarks read its 99th percentile from the probe.
type uiLatency struct {
	mu      sync.Mutex // guards samples, next, n
	samples [latencySamples]latencySample
	next    int
	n       int
}

type latencySample struct {
	at   time.Time // when the wait ended
	wait time.Duration
}

const (
	// sampleEvery is how often the lag is measured.
	sampleEvery = 20 * time.Millisecond
	// latencyWindow is how far back recent looks: more than a
	// benchmark's 10 s flood, for a probe file read after it.
	latencyWindow = 12 * time.Second
	// latencySamples holds more than a window's worth of samples.
	latencySamples = 1000
)

func (l *uiLatency) run(done <-chan struct{}) {
	for {
		select {
		case <-done:
			return
		case <-time.After(sampleEvery):
		}
		t0 := time.Now()
		fyne.DoAndWait(func() {})
		now := time.Now()
		l.add(latencySample{at: now, wait: now.Sub(t0)})
	}
}

func (l *uiLatency) add(s latencySample) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.samples[l.next] = s
	l.next = (l.next + 1) % len(l.samples)
	l.n = min(l.n+1, len(l.samples))
}

// recent are the waits that ended in the last latencyWindow before now,
// oldest first, each as [when it ended, in Unix ms; how long, in ms]: a
// benchmark takes the 99th percentile of those that ended during its
// flood, by the clock. (A p99 the window took over the last 10 s itself
// reached back before the flood into the capture's start: each probe file
// is up to 0.2 s old when read.)
func (l *uiLatency) recent(now time.Time) [][2]float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out [][2]float64
	for k := range l.n {
		x := l.samples[(l.next-l.n+k+len(l.samples))%len(l.samples)]
		if age := now.Sub(x.at); age >= 0 && age <= latencyWindow {
			out = append(out, [2]float64{float64(x.at.UnixMilli()), float64(x.wait) / float64(time.Millisecond)})
		}
	}
	return out
}
