package gui

import (
	"testing"
	"time"
)

// p99 looks back 10 s by the clock, not a number of samples: the slow
// start of a window 11 s ago is not in a flood's figure, and each wait
// counts once.
func TestLatencyP99LooksBackTenSeconds(t *testing.T) {
	var l uiLatency
	now := time.Now()
	for i := range 100 { // the window's start: 11–12 s ago, slow
		l.add(latencySample{at: now.Add(-12*time.Second + time.Duration(i)*10*time.Millisecond), wait: 200 * time.Millisecond})
	}
	for i := range 400 { // the flood: 1 ms waits but for four of 40 ms
		wait := time.Millisecond
		if i%100 == 0 {
			wait = 40 * time.Millisecond
		}
		l.add(latencySample{at: now.Add(-time.Duration(i) * 20 * time.Millisecond), wait: wait})
	}
	if got := l.p99(now); got != 40 {
		t.Errorf("p99 = %v ms, want 40: the 4 slow waits of 400 are the 99th percentile", got)
	}
	if got := l.p99(now.Add(-10 * time.Second)); got != 200 {
		t.Errorf("p99 10 s earlier = %v ms, want 200 (then only the start was within the window)", got)
	}
	var empty uiLatency
	if got := empty.p99(now); got != 0 {
		t.Errorf("no samples: p99 = %v, want 0", got)
	}
}
