package gui

import (
	"testing"
	"time"
)

// recent looks back 12 s by the clock, oldest first, each wait once,
// across the ring's wrap.
func TestRecentWaitsLookBackTwelveSeconds(t *testing.T) {
	var l uiLatency
	now := time.Now()
	for i := range 900 { // 18 s of samples, one every 20 ms, the last now
		l.add(latencySample{at: now.Add(-time.Duration(899-i) * 20 * time.Millisecond), wait: time.Duration(i) * time.Millisecond})
	}
	for i := range 200 { // more than the ring holds: it wraps
		l.add(latencySample{at: now.Add(time.Duration(i+1) * 20 * time.Millisecond), wait: time.Duration(900+i) * time.Millisecond})
	}
	later := now.Add(200 * 20 * time.Millisecond)
	got := l.recent(later)
	if len(got) != 601 { // 12 s at one every 20 ms, both ends in
		t.Fatalf("%d waits in the last 12 s, want 601", len(got))
	}
	for k, w := range got {
		if want := float64(1100 - 601 + k); w[1] != want {
			t.Fatalf("wait %d is %v ms, want %v: not oldest first, or one twice", k, w[1], want)
		}
	}
	if first := later.UnixMilli() - int64(got[0][0]); first != 12000 {
		t.Errorf("the oldest wait ended %d ms before, want 12000", first)
	}
	var empty uiLatency
	if got := empty.recent(now); len(got) != 0 {
		t.Errorf("no samples: %v", got)
	}
}
