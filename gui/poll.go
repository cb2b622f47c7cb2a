package gui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
)

// poll calls fetch off the UI goroutine at once, every interval and
// whenever kick fires, and hands each result to apply on the UI goroutine
// with one fyne.Do. Ticks are skipped while active reports false (a hidden
// tab reads nothing) and while the previous result still awaits apply, so a
// slow UI never builds a queue. It returns when ctx is done.
func poll[T any](ctx context.Context, interval time.Duration, kick <-chan struct{}, active func() bool,
	fetch func(context.Context) T, apply func(T)) {
	pending := make(chan struct{}, 1) // holds a token while a result awaits apply
	tick := func() {
		if !active() {
			return
		}
		select {
		case pending <- struct{}{}:
		default:
			return // the UI has not caught up yet
		}
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
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			tick()
		case <-kick:
			tick()
		}
	}
}
