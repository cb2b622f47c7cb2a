package gui

import (
	"image/color"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// readableTheme is the app's theme with its status colours (success,
// warning, error) made readable as text: Fyne's light theme draws a
// "This machine only" label in a green of about 2:1 on white. Each is
// taken toward black on a light background (white on a dark one) until
// it reads at 4.5:1, WCAG AA; buttons and badges filled with them gain
// contrast too. It also holds the user's choice of light or dark, where
// they chose one over the system's (Settings).
type readableTheme struct {
	fyne.Theme
	variant fyne.ThemeVariant
	forced  bool // variant overrides what the system asks for
}

// The theme choices of Settings.
const (
	themeSystem = "Follow the system"
	themeLight  = "Light"
	themeDark   = "Dark"
)

// useReadableTheme wraps the app's theme, with the variant choice
// ("Light", "Dark", or anything else for the system's).
func useReadableTheme(a fyne.App, choice string) {
	base := a.Settings().Theme()
	if t, ok := base.(readableTheme); ok {
		base = t.Theme
	}
	t := readableTheme{Theme: base}
	switch choice {
	case themeLight:
		t.variant, t.forced = theme.VariantLight, true
	case themeDark:
		t.variant, t.forced = theme.VariantDark, true
	}
	a.Settings().SetTheme(t)
}

// shownVariant is the variant the window is drawn in: the user's choice
// in Settings, else the system's.
func shownVariant() fyne.ThemeVariant {
	s := fyne.CurrentApp().Settings()
	if t, ok := s.Theme().(readableTheme); ok && t.forced {
		return t.variant
	}
	return s.ThemeVariant()
}

func (t readableTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if t.forced {
		v = t.variant
	}
	c := t.Theme.Color(n, v)
	switch n {
	case theme.ColorNameSuccess, theme.ColorNameWarning, theme.ColorNameError:
		return readableOn(c, t.Theme.Color(theme.ColorNameBackground, v))
	case theme.ColorNameInputBorder, theme.ColorNameDisabled, theme.ColorNamePlaceHolder:
		// An unticked box's outline, a hint (a low-importance label is
		// drawn in the disabled colour) and a placeholder at 3:1, WCAG's
		// ratio for controls: the light theme's were near white on white.
		return readableAt(c, t.Theme.Color(theme.ColorNameBackground, v), minControlContrast)
	}
	return c
}

// minControlContrast is WCAG's ratio for controls and what is not body
// text.
const minControlContrast = 3

// readableOn is c, darkened or lightened as little as it takes to read
// at 4.5:1 on bg.
func readableOn(c, bg color.Color) color.Color { return readableAt(c, bg, minContrast) }

// readableAt is c, darkened or lightened as little as it takes to stand
// out at ratio on bg.
func readableAt(c, bg color.Color, ratio float64) color.Color {
	key := readableKey{toNRGBA(c), toNRGBA(bg), ratio}
	readableMu.Lock()
	defer readableMu.Unlock()
	if r, ok := readableCache[key]; ok {
		return r
	}
	ground := over(key.bg, color.NRGBA{A: 0xff})
	toward := color.NRGBA{A: 0xff}
	if luminance(ground) < 0.18 {
		toward = color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	}
	r := over(key.c, ground)
	for range 20 {
		if contrast(r, ground) >= ratio {
			break
		}
		r = mix(r, toward, 0.1)
	}
	readableCache[key] = r
	return r
}

var (
	readableMu    sync.Mutex // themes are read from any goroutine that draws
	readableCache = map[readableKey]color.NRGBA{}
)

type readableKey struct {
	c, bg color.NRGBA
	ratio float64
}
