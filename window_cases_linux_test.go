package main

import (
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestWindowLeftClickSelectsOnEveryTab: a left click on a row selects it
// and shows its details, on every tab; Ctrl+C then copies that row.
func TestWindowLeftClickSelectsOnEveryTab(t *testing.T) {
	port, cmd := startHolder(t, "plain")
	pid := strconv.Itoa(cmd.Process.Pid)
	x := openXWindow(t, "Ports")

	x.filterTo(":"+port, 1)
	x.clickRow(0, "1")
	x.wait("the details of port "+port, func(p probeState) bool { return strings.Contains(p.Details, ":"+port) })
	x.keys("ctrl+c")
	if got := x.waitClipboard(port); !strings.Contains(got, "\t"+port+"\t") {
		t.Errorf("copied row %q is not tab-separated with the port in its own cell", got)
	}

	x.keys("ctrl+2")
	x.wait("the Processes tab", func(p probeState) bool { return p.Tab == "Processes" && p.Rows > 0 })
	x.filterTo(pid, 1)
	x.clickRow(0, "1")
	x.wait("the details of PID "+pid, func(p probeState) bool { return strings.Contains(p.Details, "(PID "+pid+")") })
	x.keys("ctrl+c")
	x.waitClipboard("\t" + pid + "\t")
}

// TestWindowKeyboard: Ctrl+F goes to the shown tab's filter, Ctrl+1…9 and
// Ctrl+Tab switch tabs (also while the filter has the focus), the arrow
// keys move the selection, Escape clears the filter.
func TestWindowKeyboard(t *testing.T) {
	startHolder(t, "plain")
	startHolder(t, "plain")
	x := openXWindow(t, "Ports")

	x.keys("ctrl+f")
	x.wait("the filter focused", func(p probeState) bool { return strings.Contains(p.Focused, "filterEntry") })
	x.keys("ctrl+2") // with the focus in the filter
	x.wait("the Processes tab", func(p probeState) bool { return p.Tab == "Processes" })
	x.keys("ctrl+Tab")
	x.wait("the Local Servers tab", func(p probeState) bool { return p.Tab == "Servers" })
	x.keys("ctrl+Tab")
	x.wait("the Packets tab", func(p probeState) bool { return p.Tab == "Packets" })
	x.keys("ctrl+Tab")
	x.wait("the Learn tab", func(p probeState) bool { return p.Tab == "Learn" })
	x.keys("ctrl+Tab") // with the focus on a lesson's button
	x.wait("Ports again, the tabs going round", func(p probeState) bool { return p.Tab == "Ports" })

	// The arrow keys move the selection, not only an invisible focus.
	x.clickRow(0, "1")
	first := x.wait("a selection", func(p probeState) bool { return p.Current != "" }).Current
	x.keys("Down")
	second := x.wait("the selection moved down", func(p probeState) bool { return p.Current != first }).Current
	x.keys("Up")
	x.wait("the selection moved back up", func(p probeState) bool { return p.Current == first })
	if second == first {
		t.Error("Down did not move the selection")
	}

	// A filter that matches nothing says so; Escape clears it and every row
	// shows again, from the top.
	all := x.state().Rows
	x.filterTo("no-such-thing-xyz", 0)
	x.wait("the empty state", func(p probeState) bool { return p.Empty })
	x.keys("Escape")
	x.wait("every row back", func(p probeState) bool {
		_, top := p.RowY["0"]
		return p.Filter == "" && p.Rows >= all && top && !p.Empty
	})
}

// TestWindowFilterAfterScrolling: a filter changed after scrolling far
// down shows its result from the top, not from where the scroll was.
func TestWindowFilterAfterScrolling(t *testing.T) {
	for range 40 {
		startHolder(t, "plain")
	}
	x := openXWindow(t, "Ports")
	x.clickRow(0, "1")
	x.keys("End") // to the last row: the table scrolls down
	x.wait("the table scrolled down", func(p probeState) bool { _, top := p.RowY["0"]; return p.Current != "" && !top })
	x.keys("ctrl+f")
	x.typeText("loopscope.test")
	x.wait("the 40 holders, from the first", func(p probeState) bool {
		_, top := p.RowY["0"]
		return p.Filter == "loopscope.test" && p.Rows == 40 && top
	})
}

// TestWindowEndProcessThroughForce: a process that ignores SIGTERM is
// ended from the window: Delete opens the question, Escape closes it,
// End process sends SIGTERM, and Force sends SIGKILL after the wait.
func TestWindowEndProcessThroughForce(t *testing.T) {
	port, cmd := startHolder(t, "ignore-term")
	x := openXWindow(t, "Ports")
	x.filterTo(":"+port, 1)
	x.clickRow(0, "1")
	x.wait("its details", func(p probeState) bool { return strings.Contains(p.Details, ":"+port) })

	x.keys("Delete")
	x.wait("the question", func(p probeState) bool { return len(p.Dialogs) == 1 && strings.HasPrefix(p.Dialogs[0].Title, "End ") })
	x.keys("Return") // Enter never ends a process: the question stays
	time.Sleep(300 * time.Millisecond)
	if p := x.state(); len(p.Dialogs) != 1 || !strings.HasPrefix(p.Dialogs[0].Title, "End ") {
		t.Fatalf("Enter on the End question: dialogs %+v", p.Dialogs)
	}
	x.keys("Escape")
	x.wait("the question closed", func(p probeState) bool { return len(p.Dialogs) == 0 })
	if err := cmd.Process.Signal(syscall.Signal(0)); err != nil {
		t.Fatalf("Escape sent something: %v", err)
	}

	x.keys("Delete")
	x.clickButton("End process")
	x.wait("the offer to force it", func(p probeState) bool {
		return len(p.Dialogs) == 1 && strings.HasPrefix(p.Dialogs[0].Title, "Force ")
	})
	if err := cmd.Process.Signal(syscall.Signal(0)); err != nil {
		t.Fatalf("the process that ignores SIGTERM died before Force: %v", err)
	}
	x.clickButton("Force (SIGKILL)")
	done := x.wait("the outcome", func(p probeState) bool {
		return len(p.Dialogs) == 1 && strings.HasPrefix(p.Dialogs[0].Title, "Ended ")
	})
	for _, want := range []string{"was killed", "Port " + port + " is free now"} {
		if !strings.Contains(done.Dialogs[0].Text, want) {
			t.Errorf("outcome %q lacks %q", done.Dialogs[0].Text, want)
		}
	}
	waitExited(t, cmd.Process.Pid)
	x.keys("Return") // the outcome is a message: Enter is its OK
	x.wait("the outcome closed", func(p probeState) bool { return len(p.Dialogs) == 0 })
}

// TestWindowFocusFollowsTheTab: after Ctrl+F in one tab and a switch to
// another, typing does not go into the hidden tab's filter; Home after
// End shows the first row whole; Escape closes the export dialog.
func TestWindowFocusHomeAndExportEscape(t *testing.T) {
	for range 30 {
		startHolder(t, "plain")
	}
	x := openXWindow(t, "Ports")
	x.keys("ctrl+f", "ctrl+2")
	x.wait("the Processes tab", func(p probeState) bool { return p.Tab == "Processes" })
	x.typeText("xyz")
	x.keys("ctrl+1")
	if p := x.wait("Ports again", func(p probeState) bool { return p.Tab == "Ports" }); p.Filter != "" {
		t.Errorf("typing on Processes went into the hidden Ports filter: %q", p.Filter)
	}

	x.clickRow(0, "1")
	x.keys("End")
	x.wait("scrolled to the end, the last row whole", func(p probeState) bool { _, top := p.RowY["0"]; return !top && p.Whole })
	x.keys("Up", "Down")
	x.wait("the last row whole after Up and Down", func(p probeState) bool { return p.Whole })
	x.keys("Home")
	x.wait("the first row whole, not under the header", func(p probeState) bool { _, top := p.RowY["0"]; return top })

	x.keys("ctrl+e")
	x.wait("the export dialog", func(p probeState) bool { return len(p.Dialogs) == 1 && p.Dialogs[0].Title == "Export" })
	// The window behind a dialog takes no shortcuts: no tab switch, no
	// second dialog.
	x.keys("ctrl+2", "ctrl+e")
	time.Sleep(300 * time.Millisecond)
	if p := x.state(); p.Tab != "Ports" || len(p.Dialogs) != 1 {
		t.Errorf("shortcuts behind the dialog: tab %q, %d dialogs", p.Tab, len(p.Dialogs))
	}
	x.keys("Escape")
	x.wait("the export dialog closed", func(p probeState) bool { return len(p.Dialogs) == 0 })
}

// TestWindowDeleteEndsEverySelectedRow: with several rows selected,
// Delete asks about all of them, not only the last one clicked.
func TestWindowDeleteEndsEverySelectedRow(t *testing.T) {
	startHolder(t, "plain")
	startHolder(t, "plain")
	x := openXWindow(t, "Ports")
	x.filterTo("loopscope.test", 2) // the two holders
	x.clickRow(0, "1")
	x.run("xdotool", "keydown", "--window", x.id, "ctrl")
	x.clickRow(1, "1")
	x.run("xdotool", "keyup", "--window", x.id, "ctrl")
	x.wait("two rows selected", func(p probeState) bool { return p.Selected == 2 })
	x.keys("Delete")
	q := x.wait("the question", func(p probeState) bool { return len(p.Dialogs) == 1 })
	if !strings.HasPrefix(q.Dialogs[0].Title, "End 2 processes") {
		t.Errorf("with two rows selected, Delete asks %q; want it to end both", q.Dialogs[0].Title)
	}
	x.keys("Escape")
	x.wait("the question closed", func(p probeState) bool { return len(p.Dialogs) == 0 })
}

// TestWindowRemembersSizeAndTab: the window closed by the session
// (SIGTERM) comes back at the size and on the tab it was left with.
func TestWindowRemembersSizeAndTab(t *testing.T) {
	startHolder(t, "plain")
	home := t.TempDir()
	x := openXWindowWith(t, "Ports", home, nil)
	x.run("xdotool", "windowsize", "--sync", x.id, "1000", "640")
	x.keys("ctrl+2")
	x.wait("the Processes tab", func(p probeState) bool { return p.Tab == "Processes" })
	time.Sleep(2500 * time.Millisecond) // the size is kept every 2 s, the tab as it changes
	x.app.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { _, err := x.app.Process.Wait(); done <- err }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the window did not close on SIGTERM")
	}

	again := openXWindowWith(t, "", home, nil)
	again.wait("back on the Processes tab", func(p probeState) bool { return p.Tab == "Processes" })
	if geo := again.run("xdotool", "getwindowgeometry", again.id); !strings.Contains(geo, "Geometry: 1000x640") {
		t.Errorf("the window came back as %q, want 1000x640", geo)
	}
}

// TestWindowDiagnosePort: a port typed in the Diagnose field, then Enter,
// shows its diagnosis: listening, who holds it, what connecting gives;
// Escape closes it.
func TestWindowDiagnosePort(t *testing.T) {
	port, _ := startHolder(t, "plain")
	x := openXWindow(t, "Ports")
	p := x.wait("the Diagnose button", func(p probeState) bool { _, ok := p.Buttons["Diagnose"]; return ok })
	b := p.Buttons["Diagnose"]
	x.click(b.X-80, b.Y, "1") // the field left of the button
	x.typeText(port)
	x.keys("Return")
	d := x.wait("the diagnosis", func(p probeState) bool { return len(p.Dialogs) == 1 && p.Dialogs[0].Title == "Port "+port })
	for _, want := range []string{"Port " + port + " is listening", "Held by loopscope.test", "127.0.0.1 connected in"} {
		if !strings.Contains(d.Dialogs[0].Text, want) {
			t.Errorf("the diagnosis lacks %q:\n%s", want, d.Dialogs[0].Text)
		}
	}
	x.keys("Escape")
	x.wait("the diagnosis closed", func(p probeState) bool { return len(p.Dialogs) == 0 })
}
