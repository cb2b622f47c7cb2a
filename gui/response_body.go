package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// bodyView is the Body tab: a note when part of the body is not shown (or
// what an image is), and the body itself — text in a monospace view, or
// an image.
type bodyView struct {
	note *widget.Label
	text *textView
	img  *canvas.Image
	box  *fyne.Container
}

func newBodyView() *bodyView {
	v := &bodyView{note: captionNote(""), text: newTextView()}
	v.img = &canvas.Image{FillMode: canvas.ImageFillContain}
	v.img.Hide()
	v.box = container.NewBorder(v.note, nil, nil, nil, container.NewStack(v.text, v.img))
	return v
}

func (v *bodyView) object() fyne.CanvasObject { return v.box }

// set shows s's body.
func (v *bodyView) set(s *shownResponse) {
	setText(v.note, s.bodyNote)
	show(v.note, s.bodyNote != "")
	relayout(v.box) // the note may have come or gone
	if s.image != nil {
		v.img.Image = s.image
		// Small images are drawn in sharp pixels: they are icons, and a
		// learner looking at a favicon wants to see its pixels.
		v.img.ScaleMode = canvas.ImageScaleSmooth
		if b := s.image.Bounds(); b.Dx() <= 128 && b.Dy() <= 128 {
			v.img.ScaleMode = canvas.ImageScalePixels
		}
		v.text.SetText("")
		v.text.Hide()
		v.img.Show()
		v.img.Refresh()
		return
	}
	v.img.Hide()
	v.img.Image = nil
	v.text.SetText(s.bodyText)
	v.text.Show()
}
