package gui

import (
	"slices"

	"fyne.io/fyne/v2/widget"
)

// appendRows adds rows that come after every row held — a capture's new
// packets — and forgets the oldest drop rows (those that left the
// capture's ring). In the table's natural order (natural reports whether
// the sort is the rows' own order) only the new rows are filtered, so a
// batch costs what it adds, not what the table holds; sorted by another
// column, the table sorts everything again. toEnd scrolls to the last
// row after, which redraws the rows, so the whole table (its header too)
// is not refreshed as well.
func (t *dataTable[R]) appendRows(more []R, drop int, natural, toEnd bool) {
	defer func() { t.spare = nil }()
	drop = min(drop, len(t.all))
	if !natural {
		all := append(slices.Clone(t.all[drop:]), more...)
		t.setRows(all)
		if toEnd {
			t.scrollToEnd()
		}
		return
	}
	// The dropped rows are the first of t.all, of t.sorted and of what
	// t.rows shows of them, in that order.
	for _, r := range t.sorted[:min(drop, len(t.sorted))] {
		if len(t.rows) > 0 && t.rows[0] == r {
			t.rows = t.rows[1:]
		}
	}
	if len(t.selected) > 0 || t.current != "" {
		for i := range drop {
			k := t.spec.key(&t.all[i])
			delete(t.selected, k)
			if k == t.current {
				t.current = ""
				if t.onCurrent != nil {
					t.onCurrent(nil)
				}
			}
		}
	}
	clear(t.all[:drop]) // until the rows slide, the array still holds them
	t.all = t.all[drop:]
	t.sorted = t.sorted[min(drop, len(t.sorted)):]
	// Appended in place, so each row is held once. When the rows move —
	// slid back to the front of their array, or into a bigger one — the
	// pointers into them are made again (and the filter run again): that
	// happens once every few batches, not once a batch.
	start := len(t.all)
	moved := t.makeRoom(len(more))
	t.all = append(t.all, more...)
	words := filterWords(t.query)
	if moved {
		// Room for the batches until the next move, so they append in place;
		// in the arrays the last move made, when they are big enough: a
		// full capture slides every few batches, and two new arrays each
		// time made the collector work on the UI goroutine.
		t.sortedBuf = reusePointers(t.sortedBuf, len(t.all), cap(t.all))
		t.sorted = t.sortedBuf
		for i := range t.all {
			t.sorted[i] = &t.all[i]
		}
		t.rowsBuf = reusePointers(t.rowsBuf, 0, cap(t.all))
		t.rows = t.rowsBuf
		for _, r := range t.sorted {
			if t.matches(r, words) {
				t.rows = append(t.rows, r)
			}
		}
	} else {
		for i := start; i < len(t.all); i++ {
			r := &t.all[i]
			t.sorted = append(t.sorted, r)
			if t.matches(r, words) {
				t.rows = append(t.rows, r)
			}
		}
	}
	if toEnd {
		t.scrollToEnd()
	} else {
		t.widget.Refresh()
	}
	t.showEmpty()
}

// reusePointers is buf cut to n, when it can hold c, cleared beyond n so
// it keeps no old row alive; else a new array.
func reusePointers[R any](buf []*R, n, c int) []*R {
	if cap(buf) < c {
		return make([]*R, n, c)
	}
	buf = buf[:n]
	clear(buf[n:cap(buf)])
	return buf
}

// makeRoom makes sure n more rows fit after t.all without append moving
// them, and reports whether it moved the rows to make the room. The
// oldest rows leave from the front as new ones come at the end, so the
// room is usually made by sliding the rows back to the front of the
// array they are in (t.front); only a table that grows gets a bigger
// one, half as big again as it needs.
func (t *dataTable[R]) makeRoom(n int) bool {
	need := len(t.all) + n
	if need <= cap(t.all) {
		return false
	}
	full := t.front[:cap(t.front)]
	inFront := cap(t.all) > 0 && cap(full) >= cap(t.all) &&
		&full[cap(full)-cap(t.all)] == &t.all[:1][0]
	if inFront && cap(full) >= need+need/4 {
		copy(full, t.all)
		clear(full[len(t.all):]) // what was left behind holds no packets
		t.all = full[:len(t.all)]
		return true
	}
	grown := t.spare[:0]
	if cap(grown) < need {
		grown = make([]R, 0, need+need/2)
	}
	grown = append(grown, t.all...)
	t.all, t.front = grown, grown
	return true
}

// matches reports whether r passes the filter box (its words) and the
// second filter.
func (t *dataTable[R]) matches(r *R, words []string) bool {
	if t.keep != nil && !t.keep(r) {
		return false
	}
	return len(words) == 0 || matchesAll(t.spec.search(r), words)
}

// scrollToEnd shows the last row: a capture that follows the newest.
// Rows that fit scroll to the top (an offset from a longer list before
// would draw nothing). Otherwise the last row scrolls into view with
// Fyne's ScrollTo, which counts the header right going down; twice when
// the table grew: Fyne's scroller clamps the offset to the size its
// content had before the new rows, and learns the new size only after
// (ScrollToBottom, which skips the scroller, left the rows past the old
// size drawn blank until the next batch). A full capture, whose oldest
// rows leave as new ones come, keeps its length: once is enough, and
// each ScrollTo walks every row above the last.
func (t *dataTable[R]) scrollToEnd() {
	rowH := rowHeight()
	if len(t.rows) == 0 || float32(len(t.rows))*rowH <= t.widget.Size().Height-2*rowH {
		t.widget.ScrollToTop()
		t.endRows = 0
		return
	}
	last := widget.TableCellID{Row: len(t.rows) - 1, Col: 0}
	t.widget.ScrollTo(last)
	if len(t.rows) != t.endRows {
		t.widget.ScrollTo(last)
		t.endRows = len(t.rows)
	}
}
