package gui

import (
	"strings"

	"fyne.io/fyne/v2"
)

// Measuring a text shapes it (HarfBuzz), and a capture shows ~300 new
// texts a batch: under a flood that measuring was a tenth of the window's
// CPU. For printable ASCII the sum of each letter's advance is within a
// few per cent of the shaped width (only kerning and ligatures differ),
// so a text clearly shorter or clearly longer than its room is decided
// from that sum, and only the close calls are shaped.

// Shaping can make a text narrower than its advances' sum (kerning:
// "r." in bold loses a tenth) and, rarely, a little wider: a text surely
// fits when its sum, a little widened, fits; it surely does not when its
// sum, well narrowed, still does not. A test holds these bounds against
// hostile pairs in each style.
const (
	widerSlack    = 0.04
	narrowerSlack = 0.25
)

// advances are the widths of the printable ASCII letters, per size and
// style (the UI goroutine only).
var advances = map[widestKey]*[128]float32{}

func advanceTable(size float32, style fyne.TextStyle) *[128]float32 {
	k := widestKey{size, style}
	if t, ok := advances[k]; ok {
		return t
	}
	t := new([128]float32)
	for c := byte(' '); c < 127; c++ {
		t[c] = fyne.MeasureText(string(c), size, style).Width
	}
	advances[k] = t
	return t
}

// estimateWidth is s's width as the sum of its letters' advances; ok is
// false when s is not printable ASCII, which must be measured.
func estimateWidth(s string, size float32, style fyne.TextStyle) (w float32, ok bool) {
	t := advanceTable(size, style)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < ' ' || c >= 127 {
			return 0, false
		}
		w += t[c]
	}
	return w, true
}

// fitsIn says whether s fits in width: surely (from the estimate), surely
// not, or, for a close call or text that is not ASCII, as measured.
func fitsIn(s string, width, size float32, style fyne.TextStyle) bool {
	if w, ok := estimateWidth(s, size, style); ok {
		switch {
		case w*(1+widerSlack)+1 <= width:
			return true
		case w*(1-narrowerSlack)-1 > width:
			return false
		}
	}
	return fyne.MeasureText(s, size, style).Width <= width
}

// ellipsize is the longest start of s that fits in width with "…" after it.
func ellipsize(s string, width, size float32, style fyne.TextStyle) string {
	r := []rune(s)
	lo, hi := 0, len(r)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if fitsIn(string(r[:mid])+"…", width, size, style) {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return strings.TrimRight(string(r[:lo]), " ") + "…"
}
