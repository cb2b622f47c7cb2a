package gui

import (
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// statusBar is the line under the tabs: the shown view's status, a legend
// for the row colours, and how often the views refresh.
type statusBar struct {
	statuses map[view]fyne.CanvasObject
	refresh  *safeSelect
	right    fyne.CanvasObject // the legend and the refresh choice
	obj      fyne.CanvasObject
}

// ownPaced is a view that refreshes at its own pace, whatever the
// refresh choice, and tints no rows new or closed (Local Servers, live
// four times a second): the bar hides the legend and the choice there,
// which would do nothing.
type ownPaced interface{ ownPace() bool }

func newStatusBar(views []view, interval string, onInterval func(time.Duration, string), diagnose fyne.CanvasObject) *statusBar {
	b := &statusBar{statuses: map[view]fyne.CanvasObject{}}
	stack := container.NewStack()
	for _, v := range views {
		b.statuses[v] = v.status()
		stack.Add(v.status())
	}
	b.refresh = newSelect(refreshNames(), func(name string) {
		for _, c := range refreshChoices {
			if c.name == name {
				onInterval(c.every, name)
			}
		}
	})
	b.refresh.Selected = interval
	legend := container.NewHBox(swatch(rowBackground(rowNew, false)), widget.NewLabel("new"),
		swatch(rowBackground(rowGone, false)), widget.NewLabel("closed"))
	b.right = container.NewHBox(legend, b.refresh)
	b.obj = container.NewBorder(nil, nil, nil, container.NewHBox(b.right, diagnose), stack)
	return b
}

func (b *statusBar) object() fyne.CanvasObject { return b.obj }

// show shows v's status line and hides the others.
func (b *statusBar) show(v view) {
	for w, o := range b.statuses {
		if w == v {
			o.Show()
		} else {
			o.Hide()
		}
	}
	own, _ := v.(ownPaced)
	show(b.right, own == nil || !own.ownPace())
}

// swatch is a small square of a row colour, for the legend.
func swatch(c color.Color) fyne.CanvasObject {
	r := canvas.NewRectangle(c)
	r.CornerRadius = 3
	r.SetMinSize(fyne.NewSize(14, 14))
	return container.NewCenter(r)
}
