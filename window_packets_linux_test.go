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

// helperOnPath builds the capture helper into a folder and returns the
// PATH that finds it, as make build puts it beside loopscope.
func helperOnPath(t *testing.T) []string {
	t.Helper()
	dir := t.TempDir()
	out, err := exec.Command("go", "build", "-o", filepath.Join(dir, "loopscope-capture"), "./cmd/loopscope-capture").CombinedOutput()
	if err != nil {
		t.Fatalf("build the capture helper: %v\n%s", err, out)
	}
	return []string{"PATH=" + dir + ":" + os.Getenv("PATH")}
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
