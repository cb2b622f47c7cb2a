package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestWindowSettingsTheme: Ctrl+, opens Settings; choosing Light redraws
// the window light at once, Escape closes the dialog, Ctrl+Q quits
// cleanly, and the window comes back light.
func TestWindowSettingsTheme(t *testing.T) {
	home := t.TempDir()
	x := openXWindowWith(t, "Ports", home, []string{"FYNE_THEME=dark"})
	dark := x.wait("the dark theme", func(p probeState) bool { return p.Extra["background"] != "" }).Extra["background"]
	if light(dark) {
		t.Fatalf("FYNE_THEME=dark draws on %s", dark)
	}
	x.keys("ctrl+comma")
	p := x.wait("Settings with its theme choices", func(p probeState) bool {
		return len(p.Dialogs) == 1 && p.Dialogs[0].Title == "Settings" && p.Extra["theme:Light"] != ""
	})
	xy := strings.Split(p.Extra["theme:Light"], ",")
	cx, _ := strconv.ParseFloat(xy[0], 32)
	cy, _ := strconv.ParseFloat(xy[1], 32)
	x.click(float32(cx), float32(cy), "1")
	x.wait("the window drawn light", func(p probeState) bool { return light(p.Extra["background"]) })
	x.keys("Escape")
	x.wait("Settings closed", func(p probeState) bool { return len(p.Dialogs) == 0 })

	// File ▸ Quit. xdotool may fail to send the key's release to the
	// window the press closed.
	quit := exec.Command("xdotool", "key", "--window", x.id, "ctrl+q")
	quit.Env = append(os.Environ(), "DISPLAY="+x.display)
	quit.Run()
	x.waitExit("Ctrl+Q")
	prefs, _ := os.ReadFile(filepath.Join(home, ".config", "fyne", appID, "preferences.json"))
	if !strings.Contains(string(prefs), `"theme":"Light"`) {
		t.Errorf("the preferences do not keep the theme: %s", prefs)
	}
	again := openXWindowWith(t, "Ports", home, []string{"FYNE_THEME=dark"})
	again.wait("light again after the restart", func(p probeState) bool { return light(p.Extra["background"]) })
}

// light reports whether a "#rrggbb" colour is a light one.
func light(hex string) bool {
	v, err := strconv.ParseUint(strings.TrimPrefix(hex, "#"), 16, 32)
	return err == nil && len(hex) == 7 && (v>>16)+(v>>8&0xff)+(v&0xff) > 3*0x80
}
