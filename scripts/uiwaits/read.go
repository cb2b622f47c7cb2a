package main

import (
	"errors"
	"io"
	"strconv"
	"strings"

	"golang.org/x/exp/trace"
)

// The window's main goroutine (1) runs Fyne's loop: frames, input and
// every fyne.Do. Another goroutine, the probe's latency sampler, hands it
// an empty fyne.DoAndWait every 20 ms; how long that waits is the "UI
// wait" the benchmarks report.
const mainGoroutine trace.GoID = 1

// span is a stretch the main goroutine spent in one state.
type span struct {
	from, to trace.Time
	state    trace.GoState
	where    string // for a syscall or a wait: the frames that made it
}

// region is a traced region of the main goroutine: "apply" (a view's
// batch) or "probe" (the probe reading the window).
type region struct {
	name     string
	from, to trace.Time
}

// sample is a CPU profile sample of the main goroutine (when the CPU
// profile ran alongside the trace).
type sample struct {
	at     trace.Time
	frames []string
}

type run struct {
	spans   []span
	regions []region
	waits   [][2]trace.Time // the sampler's waits: from its DoAndWait to its wake-up
	gcs     [][2]trace.Time // the collector's mark phases
	samples []sample
	batches []batch // the Packets tab's batches, when it logged them
}

// batch is one batch the Packets tab showed: when, and how many packets.
type batch struct {
	at   trace.Time
	rows int
}

func read(r io.Reader) (*run, error) {
	tr, err := trace.NewReader(r)
	if err != nil {
		return nil, err
	}
	out := &run{}
	sampler := trace.NoGoroutine
	var cur *span
	var waitFrom, gcFrom trace.Time
	open := map[string]trace.Time{}
	for {
		e, err := tr.ReadEvent()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err // what was read up to the damage still counts
		}
		switch e.Kind() {
		case trace.EventStackSample:
			if e.Goroutine() == mainGoroutine {
				out.samples = append(out.samples, sample{e.Time(), frames(e.Stack())})
			}
		case trace.EventRegionBegin:
			if e.Goroutine() == mainGoroutine {
				open[e.Region().Type] = e.Time()
			}
		case trace.EventRegionEnd:
			if e.Goroutine() == mainGoroutine {
				out.regions = append(out.regions, region{e.Region().Type, open[e.Region().Type], e.Time()})
			}
		case trace.EventLog:
			if l := e.Log(); l.Category == "rows" {
				n, _ := strconv.Atoi(l.Message)
				out.batches = append(out.batches, batch{e.Time(), n})
			}
		case trace.EventRangeBegin:
			if e.Range().Name == "GC concurrent mark phase" {
				gcFrom = e.Time()
			}
		case trace.EventRangeEnd:
			if e.Range().Name == "GC concurrent mark phase" {
				out.gcs = append(out.gcs, [2]trace.Time{gcFrom, e.Time()})
			}
		case trace.EventStateTransition:
			st := e.StateTransition()
			if st.Resource.Kind != trace.ResourceGoroutine {
				continue
			}
			id, fs := st.Resource.Goroutine(), frames(st.Stack)
			from, to := st.Goroutine()
			if to == trace.GoWaiting && has(fs, "uiLatency).run") && has(fs, "DoAndWait") {
				sampler, waitFrom = id, e.Time()
			}
			if id == sampler && from == trace.GoWaiting && to == trace.GoRunnable && waitFrom != 0 {
				out.waits = append(out.waits, [2]trace.Time{waitFrom, e.Time()})
				waitFrom = 0
			}
			if id != mainGoroutine {
				continue
			}
			if cur != nil {
				cur.to = e.Time()
				out.spans = append(out.spans, *cur)
			}
			cur = &span{from: e.Time(), state: to}
			if to == trace.GoSyscall || to == trace.GoWaiting { // a cgo call (GL, GLFW) shows as a syscall
				cur.where = label(fs, 3)
			}
		}
	}
}

func frames(s trace.Stack) []string {
	var out []string
	for f := range s.Frames() {
		out = append(out, f.Func)
	}
	return out
}

func has(fs []string, part string) bool {
	for _, f := range fs {
		if strings.Contains(f, part) {
			return true
		}
	}
	return false
}

// label names a stack by its first frames outside the runtime.
func label(fs []string, depth int) string {
	var keep []string
	for _, f := range fs {
		if strings.HasPrefix(f, "runtime.") || strings.HasPrefix(f, "internal/") || strings.HasPrefix(f, "sync.") {
			continue
		}
		if i := strings.LastIndex(f, "/"); i >= 0 {
			f = f[i+1:]
		}
		if keep = append(keep, f); len(keep) == depth {
			break
		}
	}
	return strings.Join(keep, " < ")
}
