package gui

import (
	"slices"
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
	// latencyWindow is the span p99 looks back over: a benchmark's 10 s
	// flood, and nothing from before it.
	latencyWindow = 10 * time.Second
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

// p99 is the 99th percentile, in ms, of the waits that ended in the last
// latencyWindow before now. (It was once the last 500 samples, "10 s" at
// one every 20 ms; but each sample also waits, so under load those 500
// reached back 12 s, into the window's own start.)
func (l *uiLatency) p99(now time.Time) float64 {
	l.mu.Lock()
	var s []time.Duration
	for _, x := range l.samples[:l.n] {
		if age := now.Sub(x.at); age >= 0 && age <= latencyWindow {
			s = append(s, x.wait)
		}
	}
	l.mu.Unlock()
	if len(s) == 0 {
		return 0
	}
	slices.Sort(s)
	return float64(s[len(s)*99/100]) / float64(time.Millisecond)
}
