package gui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
)

// Under a packet flood every batch brings new numbers: packet numbers,
// times, ports. Fyne draws each new text by shaping it twice (to size it
// and to draw it, with a new shaper each time) and rasterizing its
// glyphs, about 0.3 ms a text, on the UI goroutine; it keys the texture
// it makes by the text. A pieceText draws such a text as two-letter
// pieces instead: there are only 13² of those, so after the first moments
// every piece is one Fyne has drawn and measured before, and a new number
// costs neither shaping nor rasterizing.
//
// Only texts of digits and . : - are cut: the default font has no kerning
// between those letters (TestPieceWidthsAddUp), so the pieces side by side
// are as wide as the whole text.

// pieceLen is how many letters a piece holds.
const pieceLen = 2

// pieceable reports whether s can be drawn in pieces.
func pieceable(s string) bool {
	if len(s) <= pieceLen || len(s) > 40 {
		return false // one piece is the text itself
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9', c == '.', c == ':', c == '-':
		default:
			return false
		}
	}
	return true
}

// pieceText shows a pieceable text in a cell, laid out as a canvas.Text
// with the cell's padding would be: leading or trailing, centred
// vertically.
type pieceText struct {
	box    *fyne.Container
	lay    *pieceLayout
	pieces []*canvas.Text
	split  []string // the last text's pieces, kept for the next
}

func newPieceText() *pieceText {
	p := &pieceText{lay: &pieceLayout{}}
	p.box = container.New(p.lay)
	return p
}

// set shows the pieces (numberPieces, wordPieces) in the given look; the
// box lays them out.
func (p *pieceText) set(pieces []string, size float32, style fyne.TextStyle, c color.Color, trailing bool) {
	for len(p.pieces) < len(pieces) {
		t := canvas.NewText("", c)
		p.pieces = append(p.pieces, t)
		p.box.Objects = append(p.box.Objects, t)
	}
	p.lay.widths = p.lay.widths[:0]
	for i, t := range p.pieces {
		if i >= len(pieces) {
			t.Hide()
			continue
		}
		t.Text = pieces[i]
		t.TextSize, t.TextStyle, t.Color = size, style, c
		m := fyne.MeasureText(t.Text, size, style)
		p.lay.widths = append(p.lay.widths, m.Width)
		p.lay.height = m.Height
		t.Show()
	}
	p.lay.trailing = trailing
}

// numberPieces appends s (pieceable) to dst cut in pieces of pieceLen.
func numberPieces(dst []string, s string) []string {
	for i := 0; i < len(s); i += pieceLen {
		dst = append(dst, s[i:min(i+pieceLen, len(s))])
	}
	return dst
}

// wordPieces appends s to dst cut after each space, and each run of
// digits in pieces of pieceLen: a status line whose counts change ten
// times a second is then made of words and pieces drawn before.
func wordPieces(dst []string, s string) []string {
	start := 0
	for i := 0; i < len(s); {
		if isDigit(s[i]) {
			if start < i {
				dst = append(dst, s[start:i])
			}
			j := i
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			dst = numberPieces(dst, s[i:j])
			i, start = j, j
			continue
		}
		i++
		if s[i-1] == ' ' {
			dst = append(dst, s[start:i])
			start = i
		}
	}
	if start < len(s) {
		dst = append(dst, s[start:])
	}
	return dst
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// pieceLayout places the pieces side by side in the padded box a cell
// gives its text.
type pieceLayout struct {
	widths        []float32
	height        float32 // a line's
	trailing      bool
	pad, padRight float32
}

func (l *pieceLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	x := l.pad
	if l.trailing {
		x = size.Width - l.MinSize(nil).Width + l.pad
	}
	h := max(size.Height-2*l.pad, 0)
	for i, w := range l.widths {
		place(objects[i], fyne.NewPos(x, l.pad), fyne.NewSize(w, h))
		x += w
	}
}

// MinSize is what the whole text in a cell's padding asks: a cell that
// changes from one to the other keeps its size, and Fyne lays nothing
// out again.
func (l *pieceLayout) MinSize([]fyne.CanvasObject) fyne.Size {
	var total float32
	for _, w := range l.widths {
		total += w
	}
	return fyne.NewSize(total+l.pad+l.padRight, l.height+2*l.pad)
}
