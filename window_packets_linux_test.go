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
