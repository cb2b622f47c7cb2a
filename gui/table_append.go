package gui

import (
	"reflect"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// appendRows adds rows that come after every row held — a capture's new
// packets — and forgets the oldest drop rows (those that left the
// capture's ring). The table keeps pointers into more, which the caller
// must not change or reuse: rows stay where they were made, so when the
// table slides its arrays it moves pointers, not rows (100,000 rows that
// hold pointers, copied while the collector marked, took up to 70 ms of
// the UI goroutine). In the table's natural order (natural reports
// whether the sort is the rows' own order) only the new rows are
// filtered, so a batch costs what it adds, not what the table holds;
// sorted by another column, the table sorts everything again. toEnd
// scrolls to the last row after, which redraws the rows, so the whole
// table (its header too) is not refreshed as well.
func (t *dataTable[R]) appendRows(more []R, drop int, natural, toEnd bool) {
	defer func(shown int) {
		t.spare = nil
		if len(t.rows) != shown {
			settleLayout(t.widget)
		}
	}(len(t.rows))
	drop = min(drop, len(t.all))
	if !natural {
		all := make([]*R, 0, len(t.all)-drop+len(more))
		all = appendPointers(append(all, t.all[drop:]...), more)
		t.all, t.allFront = all, nil
		t.resort()
		t.refilter(false)
		if toEnd {
			t.scrollToEnd()
		}
		return
	}
	gone := t.all[:drop]
	// In the natural order the dropped rows are the first of t.all and of
	// what t.rows shows of them, in that order.
	shownGone := 0
	for _, r := range gone {
		if shownGone < len(t.rows) && t.rows[shownGone] == r {
			shownGone++
		}
	}
	// A view that does not follow the newest stays on the rows it shows
	// as those above it leave: its offset moves up with them.
	offset, steady, stride := fyne.Position{}, false, float32(0)
	if !toEnd && shownGone > 0 {
		offset, steady = t.scrollOffset()
		stride = t.rowStride() // now: the rows' cells are about to move
	}
	if len(t.selected) > 0 || t.current != "" {
		for _, r := range gone {
			k := t.spec.key(r)
			delete(t.selected, k)
			if k == t.current {
				t.current = ""
				if t.onCurrent != nil {
					t.onCurrent(nil)
				}
			}
		}
	}
	words := filterWords(t.query)
	unfiltered := len(words) == 0 && t.keep == nil
	if !unfiltered && sameArray(t.rows, t.all) {
		t.rows, t.rowsFront = append([]*R(nil), t.rows...), nil
	}
	clear(t.rows[:shownGone]) // until the pointers slide, their arrays still hold them
	t.rows = t.rows[shownGone:]
	clear(gone)
	t.all = t.all[drop:]
	t.all, t.allFront = roomFor(t.all, t.allFront, t.spare, len(more))
	t.all = appendPointers(t.all, more)
	t.sorted = t.all
	if unfiltered {
		t.rows, t.rowsFront = t.all, nil
	} else {
		t.rows, t.rowsFront = roomFor(t.rows, t.rowsFront, nil, len(more))
		for _, r := range t.all[len(t.all)-len(more):] {
			if t.matches(r, words) {
				t.rows = append(t.rows, r)
			}
		}
	}
	switch {
	case toEnd:
		t.scrollToEnd()
	case steady:
		offset.Y = max(0, offset.Y-float32(shownGone)*stride)
		t.widget.ScrollToOffset(offset) // and redraws the rows
	default:
		t.widget.Refresh()
	}
	t.showEmpty()
}

// rowStride is how far apart Fyne lays the rows out, read off two rows'
// cells: its rows are as tall as the taller of a cell and the header
// (40 px here where a cell asks 35, and a row 39 with the separator).
func (t *dataTable[R]) rowStride() float32 {
	var first *tableCell
	for row, c := range t.shownCells {
		switch {
		case c.row != row || !c.Visible():
		case first == nil:
			first = c
		case c.row != first.row:
			return (c.Position().Y - first.Position().Y) / float32(c.row-first.row)
		}
	}
	return rowHeight()
}

// scrollOffset is how far the table is scrolled. Fyne's Table keeps its
// offset to itself (it has ScrollToOffset, no getter), and what its cells
// show of it lags until the next layout; so it is read from the field,
// which Fyne 2.7 calls offset. ok is false if a Fyne version names it
// otherwise (TestStillViewStaysOnItsPackets then fails).
func (t *dataTable[R]) scrollOffset() (off fyne.Position, ok bool) {
	f := reflect.ValueOf(&t.widget.Table).Elem().FieldByName("offset")
	if !f.IsValid() || f.Type() != reflect.TypeFor[fyne.Position]() {
		return fyne.Position{}, false
	}
	return fyne.NewPos(float32(f.Field(0).Float()), float32(f.Field(1).Float())), true
}

// appendPointers appends a pointer to each of more to s.
func appendPointers[R any](s []*R, more []R) []*R {
	for i := range more {
		s = append(s, &more[i])
	}
	return s
}

// sameArray reports whether a and b end in the same array.
func sameArray[T any](a, b []T) bool {
	return cap(a) > 0 && cap(b) > 0 && &a[:cap(a)][cap(a)-1] == &b[:cap(b)][cap(b)-1]
}

// roomFor returns s with room for n more after it, so that append does
// not move it, and the array it is now in. The oldest rows leave from the
// front as new ones come at the end, so the room is usually made by
// sliding s back to the front of the array it is in (front); only a
// table that grows gets a bigger array: spare when it is big enough (made
// off the UI goroutine), else one twice as big as it needs.
func roomFor[T any](s, front, spare []T, n int) (out, in []T) {
	need := len(s) + n
	if need <= cap(s) {
		return s, front
	}
	full := front[:cap(front)]
	if sameArray(s, full) && cap(full) >= need+need/2 {
		copy(full, s)
		clear(full[len(s):]) // what was left behind holds no rows
		return full[:len(s)], front
	}
	grown := spare[:0]
	if cap(grown) < need {
		grown = make([]T, 0, 2*need)
	}
	grown = append(grown, s...)
	return grown, grown
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
