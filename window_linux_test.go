package main

// Real-window tests: the binary runs in Xvfb, xdotool moves the mouse and
// presses keys as a user would, xclip reads the clipboard, and the
// window's probe (gui/probe.go) says what it shows and where its rows and
// buttons are. Fyne's test driver delivers input differently from the
// real one: a left click on a Ports row once selected nothing here while
// every unit test passed.

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// xwindow is the real window under a private Xvfb.
type xwindow struct {
	t       *testing.T
	display string
	probe   string
	app     *exec.Cmd
	id      string // the X window id
}

// probeState mirrors gui's probe file.
type probeState struct {
	Tab      string             `json:"tab"`
	Focused  string             `json:"focused"`
	Filter   string             `json:"filter"`
	Rows     int                `json:"rows"`
	Empty    bool               `json:"empty"`
	Current  string             `json:"current"`
	Whole    bool               `json:"current_whole"`
	Selected int                `json:"selected"`
	Details  string             `json:"details"`
	Status   string             `json:"status"`
	RowY     map[string]float32 `json:"row_y"`
	RowX     float32            `json:"row_x"`
	Buttons  map[string]struct{ X, Y float32 }
	Dialogs  []struct{ Title, Text string }
	Extra    map[string]string `json:"extra"`
}

// needTools finds the programs the real-window tests drive.
func needTools(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"Xvfb", "xdotool", "xclip"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("LOOPSCOPE_STRICT") == "1" {
				t.Fatalf("%s not found; run 'make deps'", tool)
			}
			t.Skipf("%s not found", tool)
		}
	}
}

// openWindow starts Xvfb and the window on tab, with fresh preferences.
func openXWindow(t *testing.T, tab string) *xwindow {
	t.Helper()
	return openXWindowWith(t, tab, t.TempDir(), nil)
}

// openXWindowWith starts the window with home as $HOME and extra
// environment, as a returning user whose preferences are in home.
func openXWindowWith(t *testing.T, tab, home string, env []string) *xwindow {
	t.Helper()
	needTools(t)
	x := &xwindow{t: t, probe: filepath.Join(t.TempDir(), "probe.json")}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	xvfb := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "1280x800x24", "-nolisten", "tcp")
	xvfb.ExtraFiles = []*os.File{w}
	if err := xvfb.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() { xvfb.Process.Kill(); xvfb.Wait() })
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil {
		t.Fatalf("Xvfb gave no display: %v", err)
	}
	x.display = ":" + strings.TrimSpace(line)
	x.app = exec.Command(os.Args[0])
	if tab != "" { // "": the tab the user left it on
		x.app.Args = append(x.app.Args, "--tab", tab)
	}
	x.app.Env = childEnv(append([]string{"DISPLAY=" + x.display, "HOME=" + home, "LOOPSCOPE_PROBE=" + x.probe, "FYNE_SCALE=1"}, env...))
	x.app.Stderr = os.Stderr
	if err := x.app.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.app.Process.Kill(); x.app.Wait() })
	t.Cleanup(x.shootOnFailure)
	x.id = strings.Fields(x.run("xdotool", "search", "--sync", "--onlyvisible", "--name", "^Loopscope$"))[0]
	x.focusWindow()
	x.wait("the first data", func(p probeState) bool {
		return p.Rows > 0 || (p.Tab == "Servers" || p.Tab == "Packets" || p.Tab == "Learn") && p.Status != ""
	})
	return x
}

// waitExit waits for the program to end after what (a Quit, a close),
// and wants it to end with 0.
func (x *xwindow) waitExit(what string) {
	x.t.Helper()
	done := make(chan *os.ProcessState, 1)
	go func() { st, _ := x.app.Process.Wait(); done <- st }()
	select {
	case st := <-done:
		if st == nil || !st.Success() {
			x.t.Errorf("%s ended Loopscope with %v", what, st)
		}
	case <-time.After(10 * time.Second):
		x.t.Fatalf("%s did not end Loopscope", what)
	}
}

// focusWindow gives the window the keyboard. A window just mapped may
// not take the focus yet, so it tries again for a while.
func (x *xwindow) focusWindow() {
	x.t.Helper()
	var err error
	for range 50 {
		cmd := exec.Command("xdotool", "windowfocus", "--sync", x.id)
		cmd.Env = append(os.Environ(), "DISPLAY="+x.display)
		if err = cmd.Run(); err == nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	x.t.Fatalf("the window would not take the keyboard: %v", err)
}

// shootOnFailure saves what the screen showed when a test failed, to the
// folder LOOPSCOPE_FAILSHOTS names, so a failure can be looked at.
func (x *xwindow) shootOnFailure() {
	dir := os.Getenv("LOOPSCOPE_FAILSHOTS")
	if !x.t.Failed() || dir == "" || x.display == "" {
		return
	}
	out := filepath.Join(dir, x.t.Name()+".png")
	cmd := exec.Command("import", "-window", "root", out)
	cmd.Env = append(os.Environ(), "DISPLAY="+x.display)
	if err := cmd.Run(); err == nil {
		x.t.Logf("the screen at the failure: %s", out)
	}
}

// run runs an X tool against the window's display.
func (x *xwindow) run(name string, args ...string) string {
	x.t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+x.display)
	out, err := cmd.Output()
	if err != nil {
		x.t.Fatalf("%s %v: %v", name, args, err)
	}
	return string(out)
}

func (x *xwindow) keys(keys ...string) {
	x.t.Helper()
	x.run("xdotool", append([]string{"key", "--window", x.id, "--delay", "60"}, keys...)...)
}

func (x *xwindow) typeText(s string) {
	x.t.Helper()
	x.run("xdotool", "type", "--window", x.id, "--delay", "40", s)
}

// click clicks at a point of the window, with the button given (1 left, 3 right).
func (x *xwindow) click(px, py float32, button string) {
	x.t.Helper()
	x.run("xdotool", "mousemove", "--window", x.id, strconv.Itoa(int(px)), strconv.Itoa(int(py)), "click", button)
}

// clipboard is what a paste would give.
func (x *xwindow) clipboard() string {
	x.t.Helper()
	cmd := exec.Command("xclip", "-o", "-selection", "clipboard")
	cmd.Env = append(os.Environ(), "DISPLAY="+x.display)
	out, _ := cmd.Output() // empty before anything is copied
	return string(out)
}

// state reads the probe.
func (x *xwindow) state() probeState {
	var p probeState
	b, err := os.ReadFile(x.probe)
	if err == nil {
		json.Unmarshal(b, &p)
	}
	return p
}

// wait waits until the probe shows what cond wants. The limit only guards
// against a hang; nothing here measures speed.
func (x *xwindow) wait(what string, cond func(probeState) bool) probeState {
	x.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		p := x.state()
		if cond(p) {
			return p
		}
		if time.Now().After(deadline) {
			x.t.Fatalf("the window never showed %s; it shows %+v", what, p)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitClipboard waits until the clipboard holds want.
func (x *xwindow) waitClipboard(want string) string {
	x.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got := x.clipboard()
		if strings.Contains(got, want) {
			return got
		}
		if time.Now().After(deadline) {
			x.t.Fatalf("the clipboard holds %q, want it to contain %q", got, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// filterTo types a filter and waits for the rows it leaves.
func (x *xwindow) filterTo(text string, rows int) probeState {
	x.t.Helper()
	x.keys("ctrl+f", "ctrl+a", "BackSpace")
	x.typeText(text)
	return x.wait(fmt.Sprintf("%d rows for the filter %q", rows, text), func(p probeState) bool {
		return p.Filter == text && p.Rows == rows
	})
}

// clickRow left-clicks row i of the shown table.
func (x *xwindow) clickRow(i int, button string) {
	x.t.Helper()
	p := x.wait(fmt.Sprintf("row %d on screen", i), func(p probeState) bool { _, ok := p.RowY[strconv.Itoa(i)]; return ok })
	x.click(p.RowX, p.RowY[strconv.Itoa(i)], button)
}

// clickButton clicks the enabled button with text, in a dialog or the
// details, once it has stayed in one place for two looks: a button that
// just appeared may still move while the window lays itself out.
func (x *xwindow) clickButton(text string) {
	x.t.Helper()
	var last struct{ X, Y float32 }
	seen := false
	p := x.wait("a button "+text+" that stays put", func(p probeState) bool {
		b, ok := p.Buttons[text]
		if !ok {
			seen = false
			return false
		}
		still := seen && b == last
		last, seen = b, true
		if !still {
			time.Sleep(150 * time.Millisecond)
		}
		return still
	})
	b := p.Buttons[text]
	x.click(b.X, b.Y, "1")
}
