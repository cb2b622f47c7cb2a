package main

import (
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestWindowLessonPorts takes the "Ports and sockets" lesson as a
// learner does: picks it, presses its steps, follows its link to
// Processes, comes back, and answers its check with the client's port,
// which the kernel (ss) names.
func TestWindowLessonPorts(t *testing.T) {
	x := openXWindow(t, "Learn")
	x.clickButton("2. Ports and sockets")
	x.wait("the lesson open", func(p probeState) bool { return p.Details == "Ports and sockets" })

	x.clickButton("Start the echo server")
	p := x.wait("the server started", func(p probeState) bool { return p.Extra["ran"] == "1" })
	m := regexp.MustCompile(`listens on 127\.0\.0\.1:(\d+)`).FindStringSubmatch(p.Extra["results"])
	if m == nil {
		t.Fatalf("the step says %q", p.Extra["results"])
	}
	port := m[1]
	if out, _ := exec.Command("ss", "-Hltn", "sport", "= :"+port).Output(); !strings.Contains(string(out), "127.0.0.1:"+port) {
		t.Fatalf("ss shows no listener on 127.0.0.1:%s: %s", port, out)
	}

	x.clickButton("Connect and send hello")
	x.wait("the connection made", func(p probeState) bool { return p.Extra["ran"] == "2" })
	out, _ := exec.Command("ss", "-Htn", "state", "established", "dport", "= :"+port).Output()
	f := strings.Fields(string(out))
	if len(f) < 3 {
		t.Fatalf("ss shows no connection to %s: %q", port, out)
	}
	client := f[2][strings.LastIndex(f[2], ":")+1:]

	x.clickButton("Find the client in Processes")
	x.wait("Processes filtered on the port", func(p probeState) bool {
		return p.Tab == "Processes" && p.Filter == ":"+port && p.Rows >= 1
	})

	x.keys("ctrl+5")
	x.wait("back on the lesson", func(p probeState) bool { return p.Tab == "Learn" && p.Details == "Ports and sockets" })
	x.answer(port)
	x.wait("a wrong answer told so", func(p probeState) bool { return strings.HasPrefix(p.Extra["verdict"], "Not quite") })
	x.answer(client)
	x.wait("the check passed", func(p probeState) bool {
		return strings.HasPrefix(p.Extra["verdict"], "Right") && strings.Contains(p.Extra["verdict"], "127.0.0.1:"+client)
	})
	x.wait("the lesson marked done", func(p probeState) bool { _, ok := p.Buttons["2. Ports and sockets  ✓"]; return ok })

	// Leaving the lesson stops its server.
	x.clickButton("3. The TCP handshake and goodbye")
	x.wait("the next lesson open", func(p probeState) bool { return p.Details == "The TCP handshake and goodbye" })
	if out, _ := exec.Command("ss", "-Hltn", "sport", "= :"+port).Output(); len(strings.TrimSpace(string(out))) > 0 {
		t.Errorf("the lesson's server still listens after the learner left it: %s", out)
	}
}

// answer types text into the lesson's answer field, scrolling the page
// until the field shows, and presses Enter.
func (x *xwindow) answer(text string) {
	x.t.Helper()
	height := 0.0
	for _, l := range strings.Split(x.run("xdotool", "getwindowgeometry", "--shell", x.id), "\n") {
		if v, ok := strings.CutPrefix(l, "HEIGHT="); ok {
			height, _ = strconv.ParseFloat(v, 64)
		}
	}
	for i := 0; i < 20; i++ {
		p := x.state()
		xy := strings.Split(p.Extra["answer_at"], ",")
		if len(xy) == 2 {
			ax, _ := strconv.ParseFloat(xy[0], 32)
			ay, _ := strconv.ParseFloat(xy[1], 32)
			if ay > 0 && ay < height-60 {
				x.click(float32(ax), float32(ay), "1")
				x.keys("ctrl+a", "BackSpace")
				x.typeText(text)
				x.keys("Return")
				return
			}
			x.click(float32(ax), float32(height)/2, "5") // the wheel, over the page
		}
		x.wait("the page scrolled", func(q probeState) bool { return q.Extra["answer_at"] != p.Extra["answer_at"] })
	}
	x.t.Fatal("the answer field never came into view")
}
