package gui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
)

// pollTick is how often poll looks whether a refresh is due.
const pollTick = 250 * time.Millisecond

// poll calls fetch off the UI goroutine at once, every every() (0 means
// paused) and whenever kick fires, and hands each result to apply on the
// UI goroutine with one fyne.Do. Refreshes are skipped while active
// reports false (a hidden tab reads nothing) and while the previous
// result still awaits apply, so a slow UI never builds a queue. It
// returns when ctx is done.
func poll[T any](ctx context.Context, every func() time.Duration, kick <-chan struct{}, active func() bool,
	fetch func(context.Context) T, apply func(T)) {
	pending := make(chan struct{}, 1) // holds a token while a result awaits apply
	var last time.Time
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
		if ctx.Err() != nil {
			<-pending
			return
		}
		fyne.Do(func() {
			defer func() { <-pending }()
			if ctx.Err() == nil {
				apply(result)
			}
		})
	}
	tick()
	t := time.NewTicker(pollTick)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if iv := every(); iv > 0 && time.Since(last) >= iv {
				tick()
			}
		case <-kick:
			tick()
		}
	}
}
