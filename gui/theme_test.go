package gui

import (
	"image/color"

	"fyne.io/fyne/v2"
)

var (
	colorBlack = color.NRGBA{A: 0xff}
	colorWhite = color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
)

// variantTheme forces a theme variant, dark or light, whatever the
// settings say.
type variantTheme struct {
	fyne.Theme
	variant fyne.ThemeVariant
}

func (t *variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.variant)
}
