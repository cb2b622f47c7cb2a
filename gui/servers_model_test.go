package gui

import (
	"testing"
	"time"

	"github.com/loopscope/loopscope/netinfo/serve"
)

// The log is kept in the order answers left, but the Time column sorts by
// when each request came: a slow request that came first sorts first.
func TestLogSortsByArrival(t *testing.T) {
	now := time.Now()
	slow := makeLogRow(serve.Entry{Seq: 2, Time: now, Path: "/slow"})
	quick := makeLogRow(serve.Entry{Seq: 1, Time: now.Add(time.Millisecond), Path: "/quick"})
	if compareLog(&slow, &quick, lcolTime) >= 0 {
		t.Errorf("the request that came first (answered last) does not sort first")
	}
	same := makeLogRow(serve.Entry{Seq: 3, Time: now})
	if compareLog(&slow, &same, lcolTime) >= 0 {
		t.Errorf("requests that came at once do not sort in log order")
	}
}
