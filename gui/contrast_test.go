package gui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// TestBadgesPassWCAGAA: every badge's text reads at 4.5:1 against its
// fill, on the plain background and on a selected row, in the dark and
// the light theme.
func TestBadgesPassWCAGAA(t *testing.T) {
	a := test.NewTempApp(t)
	for _, variant := range []fyne.ThemeVariant{theme.VariantDark, theme.VariantLight} {
		a.Settings().SetTheme(&variantTheme{Theme: theme.DefaultTheme(), variant: variant})
		for _, tone := range []widget.Importance{widget.SuccessImportance, widget.WarningImportance, widget.DangerImportance, widget.LowImportance} {
			fg, fill := badgeColors(tone)
			k := badgeKey{bg: toNRGBA(theme.Color(theme.ColorNameBackground)), sel: toNRGBA(theme.Color(theme.ColorNameSelection))}
			if c := badgeContrast(toNRGBA(fg), fill, k); c < minContrast {
				t.Errorf("variant %d, tone %d: badge contrast %.2f:1, want at least %.1f:1", variant, tone, c, minContrast)
			}
		}
	}
}

// TestContrastFormula checks contrast against WCAG's own examples.
func TestContrastFormula(t *testing.T) {
	black, white := toNRGBA(colorBlack), toNRGBA(colorWhite)
	if c := contrast(black, white); c < 20.99 || c > 21.01 {
		t.Errorf("black on white: %.2f, want 21", c)
	}
	if c := contrast(white, white); c != 1 {
		t.Errorf("white on white: %.2f, want 1", c)
	}
}
