package gui

import (
	"slices"
	"strings"
)

// appendRows adds rows that come after every row held — a capture's new
// packets — and forgets the oldest drop rows (those that left the
// capture's ring). In the table's natural order (natural reports whether
// the sort is the rows' own order) only the new rows are filtered, so a
// batch costs what it adds, not what the table holds; sorted by another
// column, the table sorts everything again.
func (t *dataTable[R]) appendRows(more []R, drop int, natural bool) {
	drop = min(drop, len(t.all))
	if !natural {
		all := append(slices.Clone(t.all[drop:]), more...)
		t.setRows(all)
		return
	}
	gone := make(map[string]bool, drop)
	for i := range drop {
		gone[t.spec.key(&t.all[i])] = true
	}
	t.all = t.all[drop:]
	t.sorted = t.sorted[min(drop, len(t.sorted)):]
	for len(t.rows) > 0 && gone[t.spec.key(t.rows[0])] {
		t.rows = t.rows[1:]
	}
	for k := range gone {
		delete(t.selected, k)
		if k == t.current {
			t.current = ""
			if t.onCurrent != nil {
				t.onCurrent(nil)
			}
		}
	}
	// Appended in place, so each row is held once. When the append moves
	// t.all, the pointers into it are made again (and the filter run
	// again): with Go's growth that is once every quarter of the rows
	// held, not once a batch.
	var before *R
	if cap(t.all) > 0 {
		before = &t.all[:cap(t.all)][0]
	}
	start := len(t.all)
	t.all = append(t.all, more...)
	words := strings.Fields(strings.ToLower(t.query))
	if len(t.all) > 0 && &t.all[:cap(t.all)][0] != before {
		t.sorted = make([]*R, len(t.all))
		for i := range t.all {
			t.sorted[i] = &t.all[i]
		}
		t.rows = t.rows[:0:0]
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
	t.widget.Refresh()
	t.showEmpty()
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
// Fyne's ScrollToBottom does nothing when the rows fit, and would leave
// an offset from a longer list before: the table then draws nothing.
func (t *dataTable[R]) scrollToEnd() {
	t.widget.ScrollToTop()
	t.widget.ScrollToBottom()
}
