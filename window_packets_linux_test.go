package main

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// buildHelper builds the capture helper into dir, as make build puts it
// beside loopscope, and returns its path.
func buildHelper(t testing.TB, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "loopscope-capture")
	if out, err := exec.Command("go", "build", "-o", path, "./cmd/loopscope-capture").CombinedOutput(); err != nil {
		t.Fatalf("build the capture helper: %v\n%s", err, out)
	}
	return path
}

// helperOnPath builds the capture helper into a folder and returns the
// PATH that finds it.
func helperOnPath(t testing.TB) []string {
	t.Helper()
	return []string{"PATH=" + filepath.Dir(buildHelper(t, t.TempDir())) + ":" + os.Getenv("PATH")}
}

// TestWindowPacketsCaptureFilterSelectStop: in the real window, Start
// captures on loopback through the helper; our datagrams show, the
// display filter (":PORT") keeps only them; a click on a row shows its
// layers; Follow conversation keeps it; Stop stops and keeps the rows.
func TestWindowPacketsCaptureFilterSelectStop(t *testing.T) {
	needRoot(t)
	env := helperOnPath(t)
	pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	port := strconv.Itoa(pc.LocalAddr().(*net.UDPAddr).Port)
	x := openXWindowWith(t, "Packets", t.TempDir(), env)
	x.wait("loopback chosen, capture allowed", func(p probeState) bool {
		return p.Extra["iface"] == "lo" && p.Extra["banner"] == ""
	})

	x.clickButton("Start")
	x.wait("the capture running", func(p probeState) bool { return strings.HasPrefix(p.Extra["state"], "Capturing on lo") })
	c, err := net.Dial("udp4", pc.LocalAddr().String())
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		c.Write([]byte("to the window"))
	}
	c.Close()

	x.keys("ctrl+f")
	x.wait("the display filter focused", func(p probeState) bool { return strings.Contains(p.Focused, "filterEntry") })
	x.typeText(":" + port)
	x.wait("our five datagrams, only", func(p probeState) bool { return p.Filter == ":"+port && p.Rows == 5 })

	x.clickRow(0, "1")
	x.wait("the packet's layers", func(p probeState) bool { return strings.HasPrefix(p.Details, "Packet ") && p.Selected == 1 })
	x.clickButton("Follow conversation")
	x.wait("one conversation", func(p probeState) bool { return p.Rows == 5 && strings.Contains(p.Status, "shown") })

	x.clickButton("Stop")
	x.wait("stopped, rows kept", func(p probeState) bool { return p.Extra["state"] == "Stopped" && p.Rows == 5 })
}

// TestWindowPacketsFollowNewestDrawsTheRows: with more packets than the
// table shows, Follow newest unticked, the table scrolled up, then ticked
// again: the newest packets show where the table is. Once, Fyne's
// scroller kept the offset its content's old size allowed while the
// table placed its cells for the new one, and the rows scrolled in
// stayed blank until the next packet came: the cells then lie outside
// the table, which the probe sees.
func TestWindowPacketsFollowNewestDrawsTheRows(t *testing.T) {
	needRoot(t)
	env := helperOnPath(t)
	pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	x := openXWindowWith(t, "Packets", t.TempDir(), env)
	x.wait("loopback chosen", func(p probeState) bool { return p.Extra["iface"] == "lo" })
	x.clickButton("Start")
	x.wait("the capture running", func(p probeState) bool { return strings.HasPrefix(p.Extra["state"], "Capturing on lo") })
	c, err := net.Dial("udp4", pc.LocalAddr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for range 60 {
		c.Write([]byte("many"))
	}
	x.wait("60 packets, the newest shown", func(p probeState) bool {
		_, last := p.RowY[strconv.Itoa(p.Rows-1)]
		return p.Rows >= 60 && last
	})
	x.clickButton("Follow newest") // off
	x.wait("following off", func(p probeState) bool { return p.Extra["follow"] == "false" })
	p := x.state()
	for range 8 {
		x.click(p.RowX, p.RowY[strconv.Itoa(p.Rows-1)], "4") // the wheel, up
	}
	x.wait("scrolled up", func(q probeState) bool { _, last := q.RowY[strconv.Itoa(q.Rows-1)]; return !last })
	x.clickButton("Follow newest") // on again
	x.wait("the newest shown, in the table", func(q probeState) bool {
		_, last := q.RowY[strconv.Itoa(q.Rows-1)]
		return last && len(q.RowY) > 3
	})
}
