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
	mu      sync.Mutex // guards samples, next
	samples [500]time.Duration
	next    int
	n       int
}

// sampleEvery is how often the lag is measured.
const sampleEvery = 20 * time.Millisecond

func (l *uiLatency) run(done <-chan struct{}) {
	for {
		select {
		case <-done:
			return
		case <-time.After(sampleEvery):
		}
		t0 := time.Now()
		fyne.DoAndWait(func() {})
		d := time.Since(t0)
		l.mu.Lock()
		l.samples[l.next] = d
		l.next = (l.next + 1) % len(l.samples)
		l.n = min(l.n+1, len(l.samples))
		l.mu.Unlock()
	}
}

// p99 is the 99th percentile of the last 500 samples (10 s), in ms.
func (l *uiLatency) p99() float64 {
	l.mu.Lock()
	s := slices.Clone(l.samples[:l.n])
	l.mu.Unlock()
	if len(s) == 0 {
		return 0
	}
	slices.Sort(s)
	return float64(s[len(s)*99/100]) / float64(time.Millisecond)
}
