//go:build !js && !wasm && !android && !ios

package main

import (
	"fyne.io/fyne/v2"
	"github.com/go-gl/glfw/v3.3/glfw"
)

// fitToScreen shrinks the window to fit the screen it opens on, with a
// margin, whatever its remembered size and the scale (FYNE_SCALE=1.5 on
// a small screen would otherwise open it larger than the screen). Fyne
// does not say how large the screen is; GLFW, which it runs on, does.
// Call it on the UI goroutine once the window is shown.
func fitToScreen(w fyne.Window) {
	mon := glfw.GetPrimaryMonitor()
	if mon == nil {
		return
	}
	mode := mon.GetVideoMode()
	scale := w.Canvas().Scale()
	if mode == nil || scale <= 0 {
		return
	}
	maxW, maxH := float32(mode.Width)*0.94/scale, float32(mode.Height)*0.9/scale
	size := w.Canvas().Size()
	if size.Width > maxW || size.Height > maxH {
		w.Resize(fyne.NewSize(min(size.Width, maxW), min(size.Height, maxH)))
	}
}
