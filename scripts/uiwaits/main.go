// Command uiwaits reads an execution trace of the Loopscope window and
// says, for each long wait of the UI goroutine, what that goroutine did
// meanwhile: frames (their GL calls and buffer swaps), a view's batch,
// the collector. Take the trace with the window benchmark:
//
//	LOOPSCOPE_TEST_TRACE=/tmp/flood.trace go test -tags migrated_fynedo \
//	    -run '^$' -bench WindowPacketsFlood -benchtime 1x .
//	cd scripts/uiwaits && go run . /tmp/flood.trace 50
//
// Add LOOPSCOPE_TEST_CPUPROFILE=/tmp/flood.prof to the benchmark and the
// trace also holds CPU samples, which it names for each wait. It is its
// own module: golang.org/x/exp/trace is for this tool, not for Loopscope.
package main

import (
	"fmt"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/exp/trace"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: uiwaits TRACE [LONGER-THAN-MS]")
		os.Exit(2)
	}
	over := 50.0
	if len(os.Args) > 2 {
		v, err := strconv.ParseFloat(os.Args[2], 64)
		if err != nil {
			fmt.Fprintln(os.Stderr, "uiwaits: the threshold is a number of milliseconds")
			os.Exit(2)
		}
		over = v
	}
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "uiwaits:", err)
		os.Exit(1)
	}
	defer f.Close()
	r, err := read(f)
	if err != nil {
		fmt.Fprintln(os.Stderr, "uiwaits: the trace stops early:", err)
	}
	if len(r.waits) == 0 {
		fmt.Fprintln(os.Stderr, "uiwaits: no UI waits in this trace: was the window run with LOOPSCOPE_PROBE?")
		os.Exit(1)
	}
	start := r.waits[0][0]
	fmt.Println("frames a second:", framesPerSecond(r, start))
	fmt.Println("buffer swaps:", quantiles(durations(r.spans, isSwap)))
	fmt.Println("UI waits:", quantiles(waitDurations(r.waits)))
	if f, ok := floodSpan(r); ok {
		var in [][2]trace.Time
		for _, w := range r.waits {
			if w[1] >= f[0] && w[0] <= f[1] {
				in = append(in, w)
			}
		}
		fmt.Printf("the flood (batches of %d packets or more) from %.3f s to %.3f s; UI waits in it: %s\n",
			floodBatch, float64(f[0]-start)/1e9, float64(f[1]-start)/1e9, quantiles(waitDurations(in)))
		var marks []float64
		for _, g := range r.gcs {
			if g[1] >= f[0] && g[0] <= f[1] {
				marks = append(marks, ms(g[1]-g[0]))
			}
		}
		fmt.Println("the collector's mark phases in it:", quantiles(marks))
	}
	flood, _ := floodSpan(r)
	for _, w := range r.waits {
		if ms(w[1]-w[0]) >= over {
			explain(r, w, start, w[1] >= flood[0] && w[0] <= flood[1])
		}
	}
}

// floodBatch is a batch that says a flood is on (the Packets tab's floodRows).
const floodBatch = 1000

// floodSpan is from the first batch of a flood to its last.
func floodSpan(r *run) ([2]trace.Time, bool) {
	var f [2]trace.Time
	for _, b := range r.batches {
		if b.rows >= floodBatch {
			if f[0] == 0 {
				f[0] = b.at
			}
			f[1] = b.at
		}
	}
	return f, f[0] != 0
}

func isSwap(s span) bool {
	return s.state == trace.GoSyscall && strings.Contains(s.where, "SwapBuffers")
}

func ms(d trace.Time) float64 { return float64(d) / float64(time.Millisecond) }

// explain prints what the main goroutine did during wait w.
func explain(r *run, w [2]trace.Time, start trace.Time, inFlood bool) {
	fmt.Printf("\nwait of %.1f ms at %.3f s", ms(w[1]-w[0]), float64(w[0]-start)/1e9)
	if inFlood {
		fmt.Print(", in the flood")
	}
	if gc := overlap(r.gcs, w); gc > 0 {
		fmt.Printf(" (the collector marked for %.1f ms of it)", gc)
	}
	fmt.Println()
	by := map[string]float64{}
	for _, s := range r.spans {
		if d := overlap([][2]trace.Time{{s.from, s.to}}, w); d > 0 {
			k := s.state.String()
			if s.where != "" {
				k += " in " + s.where
			}
			by[k] += d
		}
	}
	for _, k := range sortedKeys(by) {
		if by[k] >= 1 {
			fmt.Printf("  %6.1f ms  %s\n", by[k], k)
		}
	}
	var line []string
	for _, g := range r.regions {
		if g.to > w[0] && g.from < w[1] {
			line = append(line, fmt.Sprintf("%+.0f %s %.1f", ms(g.from-w[0]), g.name, ms(g.to-g.from)))
		}
	}
	for _, s := range r.spans {
		if isSwap(s) && s.to > w[0] && s.from < w[1] {
			line = append(line, fmt.Sprintf("%+.0f swap %.1f", ms(s.from-w[0]), ms(s.to-s.from)))
		}
	}
	sort.Slice(line, func(i, j int) bool { return lead(line[i]) < lead(line[j]) })
	fmt.Println("  in order (ms from the wait's start):", strings.Join(line, ", "))
	cpu := map[string]float64{}
	for _, s := range r.samples {
		if s.at >= w[0] && s.at <= w[1] {
			cpu[label(s.frames, 4)]++
		}
	}
	for _, k := range sortedKeys(cpu)[:min(5, len(cpu))] {
		fmt.Printf("  CPU sample ×%.0f: %s\n", cpu[k], k)
	}
}

func lead(s string) float64 {
	v, _ := strconv.ParseFloat(strings.Fields(s)[0], 64)
	return v
}

func overlap(spans [][2]trace.Time, w [2]trace.Time) float64 {
	var d float64
	for _, s := range spans {
		if lo, hi := max(s[0], w[0]), min(s[1], w[1]); hi > lo {
			d += ms(hi - lo)
		}
	}
	return d
}

func sortedKeys(m map[string]float64) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool { return m[ks[i]] > m[ks[j]] })
	return ks
}

func durations(spans []span, keep func(span) bool) []float64 {
	var ds []float64
	for _, s := range spans {
		if keep(s) {
			ds = append(ds, ms(s.to-s.from))
		}
	}
	return ds
}

func waitDurations(ws [][2]trace.Time) []float64 {
	var ds []float64
	for _, w := range ws {
		ds = append(ds, ms(w[1]-w[0]))
	}
	return ds
}

func quantiles(ds []float64) string {
	if len(ds) == 0 {
		return "none"
	}
	slices.Sort(ds)
	n := len(ds)
	return fmt.Sprintf("%d, p50 %.1f ms, p90 %.1f, p99 %.1f, max %.1f", n, ds[n/2], ds[n*9/10], ds[n*99/100], ds[n-1])
}

// framesPerSecond counts the buffer swaps in each second from start.
func framesPerSecond(r *run, start trace.Time) string {
	var per []int
	for _, s := range r.spans {
		if isSwap(s) && s.from >= start {
			sec := int((s.from - start) / trace.Time(time.Second))
			for len(per) <= sec {
				per = append(per, 0)
			}
			per[sec]++
		}
	}
	return strings.Trim(fmt.Sprint(per), "[]")
}
