package serve

import (
	"sync"
	"testing"
	"time"
)

func TestLogKeepsTheNewestEntries(t *testing.T) {
	l := newLog()
	for i := 1; i <= LogSize+250; i++ {
		l.add(Entry{Path: string(rune('a' + i%26))})
	}
	entries, next, missed := l.Since(0)
	if len(entries) != LogSize || missed != 250 || next != LogSize+250 {
		t.Fatalf("Since(0): %d entries, next %d, missed %d", len(entries), next, missed)
	}
	if entries[0].Seq != 251 || entries[len(entries)-1].Seq != LogSize+250 {
		t.Errorf("kept %d…%d, want 251…%d", entries[0].Seq, entries[len(entries)-1].Seq, LogSize+250)
	}
	for i := 1; i < len(entries); i++ {
		if entries[i].Seq != entries[i-1].Seq+1 {
			t.Fatalf("out of order at %d: %d after %d", i, entries[i].Seq, entries[i-1].Seq)
		}
	}
	l.add(Entry{Path: "new"})
	entries, next2, missed := l.Since(next)
	if len(entries) != 1 || entries[0].Path != "new" || missed != 0 || next2 != next+1 {
		t.Errorf("Since(%d) = %+v, %d, %d", next, entries, next2, missed)
	}
	if entries, _, _ := l.Since(next2); len(entries) != 0 {
		t.Errorf("nothing new, got %d", len(entries))
	}
}

func TestLogChangedSignalsWithoutBlocking(t *testing.T) {
	l := newLog()
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Go(func() {
			for i := 0; i < 1000; i++ {
				l.add(Entry{})
			}
		})
	}
	wg.Wait() // nobody read Changed: adding must not have blocked
	select {
	case <-l.Changed():
	default:
		t.Fatal("no change signalled after 4000 adds")
	}
	if l.Total() != 4000 {
		t.Errorf("Total = %d", l.Total())
	}
}

// Durations read well at every scale; a loopback answer in 40 µs is not
// "0.0 ms".
func TestDurationText(t *testing.T) {
	for d, want := range map[time.Duration]string{
		40 * time.Microsecond:   "0.04 ms",
		2500 * time.Microsecond: "2.5 ms",
		250 * time.Millisecond:  "250 ms",
		1500 * time.Millisecond: "1.5 s",
		90 * time.Second:        "1m30s",
	} {
		if got := Duration(d); got != want {
			t.Errorf("Duration(%v) = %q, want %q", d, got, want)
		}
	}
}
