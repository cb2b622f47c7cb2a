package gui

import (
	"image/color"
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

// TestDimTextPassesWCAGAA: "no process" and "—" read at 4.5:1 on the
// plain background and on the tints of new and closed rows, in both
// themes, and still look quieter than the other text.
func TestDimTextPassesWCAGAA(t *testing.T) {
	a := test.NewTempApp(t)
	for _, variant := range []fyne.ThemeVariant{theme.VariantDark, theme.VariantLight} {
		a.Settings().SetTheme(&variantTheme{Theme: theme.DefaultTheme(), variant: variant})
		bg, fg := toNRGBA(theme.Color(theme.ColorNameBackground)), toNRGBA(theme.Color(theme.ColorNameForeground))
		dim := toNRGBA(dimColor())
		for name, ground := range map[string]color.NRGBA{"background": bg,
			"new row": over(rowBackground(rowNew, false), bg), "closed row": over(rowBackground(rowGone, false), bg)} {
			if c := contrast(dim, ground); c < minContrast {
				t.Errorf("variant %d: dim text on the %s: %.2f:1, want at least %.1f:1", variant, name, c, minContrast)
			}
		}
		if contrast(dim, bg) >= contrast(fg, bg)-1 {
			t.Errorf("variant %d: dim text (%.2f:1) is not quieter than the foreground (%.2f:1)", variant, contrast(dim, bg), contrast(fg, bg))
		}
	}
}

// TestStatusTextPassesWCAGAA: text in the status colours (a green "This
// machine only", an amber note, a red reason) reads at 4.5:1 on the
// background in both themes.
func TestStatusTextPassesWCAGAA(t *testing.T) {
	checkContrast(t, minContrast, theme.ColorNameSuccess, theme.ColorNameWarning, theme.ColorNameError)
	bg := over(theme.DefaultTheme().Color(theme.ColorNameBackground, theme.VariantLight), color.NRGBA{A: 0xff})
	if plain := contrast(over(theme.DefaultTheme().Color(theme.ColorNameSuccess, theme.VariantLight), bg), bg); plain >= minContrast {
		t.Errorf("Fyne's light green reads at %.2f:1 already: readableTheme may go", plain)
	}
}

// Controls and hints stand out at 3:1 in both themes: an unticked box's
// outline, a placeholder, a low-importance hint (the light theme's were
// near white on white).
func TestControlsStandOut(t *testing.T) {
	checkContrast(t, minControlContrast, theme.ColorNameInputBorder, theme.ColorNamePlaceHolder, theme.ColorNameDisabled)
}

// checkContrast checks that readableTheme's colours names stand out at
// least at ratio on its background, in both themes.
func checkContrast(t *testing.T, ratio float64, names ...fyne.ThemeColorName) {
	t.Helper()
	test.NewTempApp(t)
	th := readableTheme{Theme: theme.DefaultTheme()}
	for _, variant := range []fyne.ThemeVariant{theme.VariantDark, theme.VariantLight} {
		bg := over(th.Color(theme.ColorNameBackground, variant), color.NRGBA{A: 0xff})
		for _, n := range names {
			if c := contrast(over(th.Color(n, variant), bg), bg); c < ratio {
				t.Errorf("variant %d, %s: %.2f:1 on the background, want at least %v:1", variant, n, c, ratio)
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
