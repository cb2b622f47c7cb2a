package gui

import (
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// minContrast is WCAG AA's ratio for normal text.
const minContrast = 4.5

// badgeColors returns a badge's text colour and fill for a tone: the fill
// is the tone's colour, faint over the row; the text is the tone's colour,
// darkened on a light background (lightened on a dark one) until it reads
// at 4.5:1 against the fill on the plain background and on a selected
// row. The result is remembered per theme colours, so drawing a cell
// stays cheap.
func badgeColors(tone widget.Importance) (fg, fill color.Color) {
	base := theme.Color(importanceColor(tone))
	key := badgeKey{base: toNRGBA(base), bg: toNRGBA(theme.Color(theme.ColorNameBackground)),
		sel: toNRGBA(theme.Color(theme.ColorNameSelection))}
	if c, ok := badgeCache[key]; ok {
		return c.fg, c.fill
	}
	fill = withAlpha(base, badgeAlpha)
	toward := color.NRGBA{A: 0xff} // black, on a light background
	if luminance(over(fill, over(key.bg, color.NRGBA{A: 0xff}))) < 0.18 {
		toward = color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	}
	text := key.base
	for range 20 {
		if badgeContrast(text, fill, key) >= minContrast {
			break
		}
		text = mix(text, toward, 0.15)
	}
	badgeCache[key] = badgePair{text, fill}
	return text, fill
}

// dimColor is the colour of text that says "nothing here" ("no process",
// "—"): the foreground taken toward the background as far as it can go
// while it still reads at 4.5:1 on the background and on the tints of
// new and closed rows. Remembered per theme colours.
func dimColor() color.Color {
	bg := toNRGBA(theme.Color(theme.ColorNameBackground))
	fg := toNRGBA(theme.Color(theme.ColorNameForeground))
	key := [2]color.NRGBA{fg, bg}
	if c, ok := dimCache[key]; ok {
		return c
	}
	grounds := []color.NRGBA{bg, over(rowBackground(rowNew, false), bg), over(rowBackground(rowGone, false), bg)}
	worst := func(c color.NRGBA) float64 {
		w := math.Inf(1)
		for _, g := range grounds {
			w = min(w, contrast(c, g))
		}
		return w
	}
	dim := fg
	for t := 0.6; t > 0; t -= 0.05 {
		if c := mix(fg, bg, t); worst(c) >= minContrast {
			dim = c
			break
		}
	}
	dimCache[key] = dim
	return dim
}

// dimCache is only touched on the UI goroutine.
var dimCache = map[[2]color.NRGBA]color.NRGBA{}

// badgeAlpha is how strongly a badge's fill shows its tone.
const badgeAlpha = 0x38

type badgeKey struct{ base, bg, sel color.NRGBA }

type badgePair struct{ fg, fill color.Color }

// badgeCache is only touched on the UI goroutine.
var badgeCache = map[badgeKey]badgePair{}

// badgeContrast is the worse of the text's contrast against the fill over
// the background and over the selection colour.
func badgeContrast(text color.NRGBA, fill color.Color, k badgeKey) float64 {
	onBg := over(fill, over(k.bg, color.NRGBA{A: 0xff}))
	onSel := over(fill, over(k.sel, over(k.bg, color.NRGBA{A: 0xff})))
	return min(contrast(text, onBg), contrast(text, onSel))
}

func importanceColor(i widget.Importance) fyne.ThemeColorName {
	switch i {
	case widget.SuccessImportance:
		return theme.ColorNameSuccess
	case widget.DangerImportance:
		return theme.ColorNameError
	case widget.WarningImportance:
		return theme.ColorNameWarning
	}
	return theme.ColorNameDisabled
}

func toNRGBA(c color.Color) color.NRGBA { return color.NRGBAModel.Convert(c).(color.NRGBA) }

// over composites c over an opaque background.
func over(c color.Color, bg color.NRGBA) color.NRGBA {
	f := toNRGBA(c)
	a := float64(f.A) / 255
	ch := func(x, y uint8) uint8 { return uint8(math.Round(float64(x)*a + float64(y)*(1-a))) }
	return color.NRGBA{ch(f.R, bg.R), ch(f.G, bg.G), ch(f.B, bg.B), 0xff}
}

// mix moves a toward b by t (0..1).
func mix(a, b color.NRGBA, t float64) color.NRGBA {
	ch := func(x, y uint8) uint8 { return uint8(math.Round(float64(x)*(1-t) + float64(y)*t)) }
	return color.NRGBA{ch(a.R, b.R), ch(a.G, b.G), ch(a.B, b.B), 0xff}
}

// contrast is WCAG's contrast ratio between two opaque colours.
func contrast(a, b color.NRGBA) float64 {
	la, lb := luminance(a), luminance(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

func luminance(c color.NRGBA) float64 {
	lin := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.R) + 0.7152*lin(c.G) + 0.0722*lin(c.B)
}
