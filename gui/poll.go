package gui

import (
	"context"
	"fmt"
	"runtime/trace"
	"sync/atomic"
	"time"
)

// pollTick is how often poll looks whether a refresh is due.
const pollTick = 250 * time.Millisecond

// costShare bounds the share of a core refreshing may take (1/50): the next
// refresh waits at least this many times as long as the last one took, so
// a machine with 18,000 sockets is refreshed a little less often instead
// of keeping a core busy.
const costShare = 50

// poll calls fetch off the UI goroutine at once, every every() (0 means
// paused; a fetch that takes long stretches it, see costShare) and
// whenever kick fires, and hands each result to apply on the UI goroutine
// with one fyne.Do. Refreshes are skipped while active
// reports false (a hidden tab reads nothing) and while the previous
// result still awaits apply, so a slow UI never builds a queue. It
// returns when ctx is done.
func poll[T any](ctx context.Context, p *pace, kick <-chan struct{}, active func() bool,
	fetch func(context.Context) T, apply func(T)) {
	pending := make(chan struct{}, 1) // holds a token while a result awaits apply
	var last time.Time
	var cost time.Duration // how long the last fetch took
	tick := func() {
		if !active() {
			return
		}
		select {
		case pending <- struct{}{}:
		default:
			return // the UI has not caught up yet
		}
		last = time.Now()
		result := fetch(ctx)
		cost = time.Since(last)
		p.cost.Store(int64(cost))
		if ctx.Err() != nil {
			<-pending
			return
		}
		onUI(func() {
			defer func() { <-pending }()
			if ctx.Err() == nil {
				// A region, for scripts/uiwaits to tell a batch from a frame.
				trace.WithRegion(context.Background(), "apply", func() { apply(result) })
			}
		})
	}
	tick()
	t := time.NewTicker(p.tickEvery())
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			// Half a tick early counts as due: the ticker and the last
			// refresh's start are not in step.
			if iv := p.every(); iv > 0 && time.Since(last) >= max(iv, cost*time.Duration(p.costShare()))-p.tickEvery()/2 {
				tick()
			}
		case <-kick:
			tick()
		}
	}
}

// pace is how often a view refreshes: the interval the user chose, and
// what the last refresh cost, which may stretch it.
type pace struct {
	every func() time.Duration
	cost  atomic.Int64 // ns

	// A stream (the Packets tab) sets both: it looks every tick and is
	// not stretched by its cost, since a late batch is only a bigger one.
	tick  time.Duration // how often poll looks; pollTick when 0
	share int           // costShare when 0
}

func (p *pace) tickEvery() time.Duration {
	if p.tick > 0 {
		return p.tick
	}
	return pollTick
}

func (p *pace) costShare() int {
	if p.share > 0 {
		return p.share
	}
	return costShare
}

// note says, for the status line, when refreshing is slower than chosen.
func (p *pace) note() string {
	if p == nil || p.every == nil {
		return ""
	}
	iv, cost := p.every(), time.Duration(p.cost.Load())
	switch {
	case iv <= 0:
		return "paused (F5 refreshes)"
	case cost*time.Duration(p.costShare()) <= iv+iv/4:
		return ""
	}
	return fmt.Sprintf("refreshing every %.1f s, as reading the sockets takes %d ms", (cost * time.Duration(p.costShare())).Seconds(), cost.Milliseconds())
}
