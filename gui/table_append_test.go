package gui

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// Batches appended and old rows dropped, with and without filters and in
// either order, leave the table showing what it would show were it given
// the rows it holds all at once; its arrays keep no row that left, and
// the selection only rows that are shown.
func TestAppendRowsAgreesWithSetRows(t *testing.T) {
	sh := newTestShell(t, nil)
	v := newPacketsView(sh)
	tb := v.table
	var who owners
	at := time.Now()
	rng := rand.New(rand.NewPCG(9, 26))
	var held []*packetRow // what the table must hold, oldest first
	next := uint64(1)
	thirds := func(r *packetRow) bool { return r.e.No%3 == 0 }
	queries := []string{"", "", "udp", "7", "1 2"}
	slid := 0
	uiLocked(func() {
		for step := range 600 {
			switch rng.IntN(12) {
			case 0:
				tb.setFilter(queries[rng.IntN(len(queries))], nil, "")
			case 1:
				tb.setFilter(queries[rng.IntN(len(queries))], thirds, "in thirds")
			case 2:
				tb.sort.desc = !tb.sort.desc
				tb.resort()
				tb.refilter(false)
			case 3:
				if len(tb.rows) > 0 {
					tb.tap(rng.IntN(len(tb.rows)), 0)
				}
			}
			n := rng.IntN(60)
			drop := n // a full ring: as many leave as come
			switch rng.IntN(8) {
			case 0:
				drop = len(held)
			case 1, 2, 3:
				drop = rng.IntN(n + 1)
			}
			drop = min(drop, len(held))
			batch := floodBatch(next, n, at, &who)
			next += uint64(n)
			front, inFront := tb.allFront, sameArray(tb.all, tb.allFront)
			tb.appendRows(batch, drop, !tb.sort.desc, rng.IntN(2) == 0)
			if inFront && len(front) > 0 && sameArray(tb.all, front) && cap(tb.all) == cap(front[:cap(front)]) && drop > 0 {
				slid++
			}
			held = held[drop:]
			for i := range batch {
				held = append(held, &batch[i])
			}
			checkTableHolds(t, step, tb, held)
		}
	})
	if slid == 0 {
		t.Error("the table's pointers never slid back to the front of their array: that path went untested")
	}
}

// checkTableHolds compares the table with held, its rows oldest first.
func checkTableHolds(t *testing.T, step int, tb *dataTable[packetRow], held []*packetRow) {
	t.Helper()
	if !slices.Equal(tb.all, held) {
		t.Fatalf("step %d: the table holds %d rows, want %d, or not the same", step, len(tb.all), len(held))
	}
	words := filterWords(tb.query)
	var want []*packetRow
	for _, r := range held {
		if tb.matches(r, words) {
			want = append(want, r)
		}
	}
	if tb.sort.desc {
		slices.Reverse(want)
	}
	if !slices.Equal(tb.rows, want) {
		t.Fatalf("step %d (filter %q, keep %v, desc %v): shows %d rows, want %d, or in another order",
			step, tb.query, tb.keep != nil, tb.sort.desc, len(tb.rows), len(want))
	}
	isHeld := make(map[*packetRow]bool, len(held))
	for _, r := range held {
		isHeld[r] = true
	}
	for name, arr := range map[string][]*packetRow{"all": tb.allFront, "rows": tb.rowsFront, "all's array": tb.all, "rows' array": tb.rows} {
		for _, r := range arr[:cap(arr)] {
			if r != nil && !isHeld[r] {
				t.Fatalf("step %d: %s still points at packet %s, which left", step, name, r.key)
			}
		}
	}
	shown := make(map[string]bool, len(tb.rows))
	for _, r := range tb.rows {
		shown[r.key] = true
	}
	for k := range tb.selected {
		if !shown[k] {
			t.Fatalf("step %d: packet %s is selected but not shown", step, k)
		}
	}
}
