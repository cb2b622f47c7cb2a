package gui

import (
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/gopacket/gopacket/layers"

	"github.com/loopscope/loopscope/sniff"
)

// packetDetail shows the selected packet: every layer and its fields as a
// tree, and its bytes as a hex dump in which the selected layer's or
// field's bytes are marked.
type packetDetail struct {
	hint   *widget.Label
	tree   *widget.Tree
	hex    *widget.TextGrid
	title  *widget.Label
	body   fyne.CanvasObject
	obj    fyne.CanvasObject
	layers []sniff.Layer
	data   []byte
	marked [2]int // the byte range marked in the hex dump

	// The chosen field, whole: the tree cuts long values.
	value     *widget.Label
	copyB     *widget.Button
	valueBox  *fyne.Container
	copyValue string
}

// hexPrefix is the width of the offset column of a hex line: "0000  ".
const hexPrefix = 6

func newPacketDetail() *packetDetail {
	d := &packetDetail{}
	d.hint = widget.NewLabel(detailHint)
	d.hint.Wrapping = fyne.TextWrapWord
	d.hint.Importance = widget.LowImportance
	d.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	d.title.Truncation = fyne.TextTruncateEllipsis
	d.tree = widget.NewTree(d.children, d.isBranch, func(bool) fyne.CanvasObject {
		l := widget.NewLabel("")
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}, d.updateNode)
	d.tree.OnSelected = d.selected
	d.hex = widget.NewTextGrid()
	d.hex.ShowLineNumbers = false
	d.value = widget.NewLabel("")
	d.value.Wrapping = fyne.TextWrapWord
	d.copyB = widget.NewButtonWithIcon("Copy value", theme.ContentCopyIcon(), func() {
		if d.copyValue != "" {
			fyne.CurrentApp().Clipboard().SetContent(d.copyValue)
		}
	})
	d.valueBox = container.NewBorder(nil, nil, nil, d.copyB, d.value)
	d.valueBox.Hide()
	split := container.NewHSplit(container.NewBorder(nil, d.valueBox, nil, nil, d.tree), container.NewScroll(d.hex))
	split.Offset = 0.42 // the hex dump needs about 75 columns
	d.body = container.NewBorder(d.title, nil, nil, nil, split)
	d.body.Hide()
	d.obj = container.NewStack(container.NewPadded(d.hint), d.body)
	return d
}

func (d *packetDetail) object() fyne.CanvasObject { return d.obj }

// Tree node IDs: "3" is layer 3, "3.7" field 7 of it.
func (d *packetDetail) children(id widget.TreeNodeID) []widget.TreeNodeID {
	if id == "" {
		ids := make([]string, len(d.layers))
		for i := range d.layers {
			ids[i] = strconv.Itoa(i)
		}
		return ids
	}
	i, err := strconv.Atoi(id)
	if err != nil || i >= len(d.layers) {
		return nil
	}
	ids := make([]string, len(d.layers[i].Fields))
	for j := range ids {
		ids[j] = id + "." + strconv.Itoa(j)
	}
	return ids
}

func (d *packetDetail) isBranch(id widget.TreeNodeID) bool {
	return id == "" || !strings.Contains(id, ".")
}

func (d *packetDetail) updateNode(id widget.TreeNodeID, branch bool, o fyne.CanvasObject) {
	l := o.(*widget.Label)
	li, fi, isField := splitNode(id)
	if li < 0 || li >= len(d.layers) {
		l.SetText("")
		return
	}
	ly := d.layers[li]
	if !isField {
		l.TextStyle = fyne.TextStyle{Bold: true}
		l.SetText(fmt.Sprintf("%s  (bytes %d–%d)", ly.Name, ly.Start, max(ly.End-1, ly.Start)))
		return
	}
	l.TextStyle = fyne.TextStyle{}
	if fi < len(ly.Fields) {
		l.SetText(fieldLine(ly.Fields[fi]))
	}
}

// showValue shows the chosen field whole under the tree, with a button
// that copies its value; a layer, or none, hides the line.
func (d *packetDetail) showValue(f sniff.Field) {
	if f.Name == "" {
		d.valueBox.Hide()
		d.copyValue = ""
		return
	}
	setText(d.value, fieldLine(f))
	d.copyValue = f.Value
	d.valueBox.Show()
}

// fieldLine is a field as the tree and the value line show it.
func fieldLine(f sniff.Field) string {
	name := f.Label
	if name == "" {
		name = f.Name
	}
	return name + ": " + f.Value
}

// splitNode reads a node ID: its layer, and its field when it is one.
func splitNode(id string) (layer, field int, isField bool) {
	a, b, isField := strings.Cut(id, ".")
	layer, err := strconv.Atoi(a)
	if err != nil {
		return -1, -1, false
	}
	if isField {
		field, _ = strconv.Atoi(b)
	}
	return layer, field, isField
}

// show shows the packet e, or the hint for nil.
func (d *packetDetail) show(e *sniff.Entry) {
	if e == nil {
		d.layers, d.data = nil, nil
		setText(d.hint, detailHint)
		d.body.Hide()
		d.hint.Show()
		return
	}
	d.layers = sniff.Details(e.Data, layers.LinkType(e.Link))
	d.data = e.Data
	setText(d.title, fmt.Sprintf("Packet %d · captured %s · %d bytes on the wire, %d captured", e.No,
		e.Time.Local().Format("2006-01-02 15:04:05.000000"), e.Length, len(e.Data)))
	var b strings.Builder
	for i, line := range sniff.HexLines(e.Data) {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "%04x  %-49s  %s", line.Offset, line.Hex, line.ASCII)
	}
	d.hex.SetText(b.String())
	d.marked = [2]int{}
	d.tree.UnselectAll()
	d.tree.Refresh()
	d.tree.ScrollToTop() // another packet: its first layers first
	d.showValue(sniff.Field{})
	// Open every layer but the link layer (MAC addresses, rarely what a
	// reader of loopback traffic wants first).
	for i := range d.layers {
		if i > 0 || len(d.layers) == 1 {
			d.tree.OpenBranch(strconv.Itoa(i))
		}
	}
	d.hint.Hide()
	d.body.Show()
}

// selected marks the bytes of the node: a field's own bytes, or its
// layer's.
func (d *packetDetail) selected(id widget.TreeNodeID) {
	li, fi, isField := splitNode(id)
	if li < 0 || li >= len(d.layers) {
		return
	}
	ly := d.layers[li]
	if isField && fi >= 0 && fi < len(ly.Fields) {
		d.mark(ly.Fields[fi].Start, ly.Fields[fi].End)
		d.showValue(ly.Fields[fi])
		return
	}
	d.mark(ly.Start, ly.End)
	d.showValue(sniff.Field{})
}

// mark marks bytes [from, to) in the hex dump, both in the hex and in the
// text column, and clears the previous mark.
func (d *packetDetail) mark(from, to int) {
	for i := range d.hex.Rows {
		d.hex.SetRowStyle(i, nil)
		for j := range d.hex.Rows[i].Cells {
			d.hex.Rows[i].Cells[j].Style = nil
		}
	}
	// The selection colour of the theme shown now (it may have changed).
	markStyle := &widget.CustomTextGridStyle{BGColor: theme.Color(theme.ColorNameSelection)}
	for b := from; b < to && b < len(d.data); b++ {
		row, col := b/16, b%16
		hc := hexPrefix + sniff.HexColumn(col)
		d.hex.SetStyleRange(row, hc, row, hc+1, markStyle)
		ac := hexPrefix + 49 + 2 + col
		d.hex.SetStyle(row, ac, markStyle)
	}
	d.marked = [2]int{from, to}
	d.hex.Refresh()
}

// detailHint is what the details say when no packet is chosen.
const detailHint = "Select a packet to see its layers — link, IP, TCP or UDP, and what they carry — field by field, and its bytes."

// gone says that the packet shown (number no) left the capture's ring,
// rather than clearing the details without a word.
func (d *packetDetail) gone(no string, holds int) {
	d.show(nil)
	setText(d.hint, fmt.Sprintf("Packet %s left the view: the capture keeps the newest %s. Pause view holds the table still while the capture goes on.", no, grouped(holds)))
}
