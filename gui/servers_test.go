package gui

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/loopscope/loopscope/netinfo"
	"github.com/loopscope/loopscope/netinfo/serve"
)

// newTestServers builds the Local Servers tab on the test driver, with
// the machine's real sockets behind it.
func newTestServers(t *testing.T) *serversView {
	t.Helper()
	mgr := serve.NewManager()
	t.Cleanup(mgr.CloseAll)
	own := ownServers{mgr: mgr, pid: int32(os.Getpid())}
	sh := newTestShell(t, labelled{src: netinfo.NewScanner(), own: own})
	sh.end = &ender{w: sh.w, term: netinfo.NewTerminator(func(s netinfo.Socket) bool { return own.server(s) != nil }),
		src: sh.src, ctx: context.Background(), onChanged: func() {}}
	v := newServersView(sh, mgr)
	sh.w.SetContent(v.content())
	sh.w.Resize(fyne.NewSize(1180, 720))
	return v
}

// Every test of the package has the work it starts take turns with its
// own checks, as on the one UI goroutine (see onUI). It is set once,
// before any test: work a test started (a poll, a restart, a send) may
// come back after that test ended, and must not find onUI swapped.
func init() { onUI = uiLocked }

// eventually polls cond on the UI goroutine until it holds; the bound is
// a guard against a hang, not a speed test.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for i := 0; i < 1000; i++ {
		var ok bool
		uiLocked(func() { ok = cond() })
		if ok {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("never happened: %s", what)
}

// look is one refresh of the tab, as its poll loop does it.
func look(v *serversView) { v.apply(v.fetch(context.Background())) }

// startFromBar starts a server of kind the way a user does: pick the
// kind, type the port, press Start.
func startFromBar(t *testing.T, v *serversView, kind serve.Kind, port string) {
	t.Helper()
	uiLocked(func() {
		v.bar.kind.SetSelected(kind.Title())
		v.bar.port.SetText(port)
		test.Tap(v.bar.start)
	})
}

// waitDialog waits for a dialog whose title or text holds want. The test
// driver runs fyne.Do on the calling goroutine, so the dialog can be
// seen a moment before the code that shows it has returned; a short
// settle keeps the test from tapping it in that moment.
func waitDialog(t *testing.T, what, want string) string {
	t.Helper()
	eventually(t, what, func() bool { return strings.Contains(topDialogText(), want) })
	time.Sleep(50 * time.Millisecond)
	var text string
	uiLocked(func() { text = topDialogText() })
	return text
}

func topDialogText() string {
	if len(dialogs) == 0 {
		return ""
	}
	return dialogs[len(dialogs)-1].title + "\n" + dialogs[len(dialogs)-1].text
}

func TestServersStartLogStopRestart(t *testing.T) {
	v := newTestServers(t)
	startFromBar(t, v, serve.Echo, "")
	eventually(t, "the server shows, selected", func() bool { return len(v.rows) == 1 && v.table.currentRow() != nil })
	r := v.table.currentRow()
	if r.state != serve.Running || !strings.HasPrefix(r.cells[vcolURL].text, "http://127.0.0.1:") || r.cells[vcolReach].text != "This machine only" {
		t.Fatalf("row %+v", r.cells)
	}
	url := r.srv.URL()
	if v.send.url.Text != url {
		t.Errorf("the request panel has %q, want the new server's %s", v.send.url.Text, url)
	}
	resp, err := http.Get(url + "hello?x=1")
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	eventually(t, "the request shows in the log", func() bool { look(v); return len(v.log.rows) == 1 })
	lr := v.log.rows[0]
	if lr.cells[lcolMethod].text != "GET" || lr.cells[lcolPath].text != "/hello?x=1" || lr.cells[lcolStatus].text != "200" {
		t.Errorf("log row %+v", lr.cells)
	}
	if !strings.Contains(v.statusL.Text, "1 request") && !strings.Contains(v.statusL.Text, "1 server") {
		t.Errorf("status %q", v.statusL.Text)
	}
	port := r.srv.Port()
	uiLocked(func() { test.Tap(v.stopBtn) })
	eventually(t, "the server stops", func() bool { look(v); return v.rows[0].state == serve.Stopped })
	if c, err := net.Dial("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port))); err == nil {
		c.Close()
		t.Errorf("port %d still answers after Stop", port)
	}
	if len(v.log.rows) != 1 {
		t.Errorf("the log was lost on Stop: %d rows", len(v.log.rows))
	}
	uiLocked(func() { v.showDetails(v.table.currentRow()) })
	if !v.againBtn.Visible() || v.stopBtn.Visible() || v.openBtn.Visible() {
		t.Error("a stopped server's actions are not Start again and Remove")
	}
	uiLocked(func() { test.Tap(v.againBtn) })
	eventually(t, "it runs again on its port", func() bool {
		look(v)
		return len(v.rows) == 1 && v.rows[0].state == serve.Running && v.rows[0].srv.Port() == port
	})
}

func TestServersTakenPortNamesItsOwnerAndOffersTheNext(t *testing.T) {
	v := newTestServers(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	startFromBar(t, v, serve.API, strconv.Itoa(port))
	text := waitDialog(t, "a dialog says who holds the port", "in use")
	if !strings.Contains(text, fmt.Sprintf("(PID %d)", os.Getpid())) {
		t.Errorf("the dialog does not name the holder, this test (PID %d):\n%s", os.Getpid(), text)
	}
	var next *widget.Button
	uiLocked(func() { next = findButton("Use the next free port") })
	if next == nil {
		t.Fatal("no 'Use the next free port' button")
	}
	uiLocked(func() { test.Tap(next) })
	eventually(t, "the server starts on another port", func() bool { return len(v.rows) == 1 })
	if got := v.rows[0].srv.Port(); got == port || v.bar.port.Text != strconv.Itoa(got) {
		t.Errorf("started on %d (port box %q), want a port other than %d", got, v.bar.port.Text, port)
	}
}

func TestOwnServersAreLabelledAndProtected(t *testing.T) {
	v := newTestServers(t)
	startFromBar(t, v, serve.TCPEcho, "")
	eventually(t, "the server shows", func() bool { return len(v.rows) == 1 })
	s := v.rows[0].srv
	snap, err := v.src.Snapshot(context.Background(), netinfo.Listening)
	if err != nil {
		t.Fatal(err)
	}
	held := netinfo.ListenersOn(snap.Sockets, uint16(s.Port()))
	if len(held) != 1 {
		t.Fatalf("%d sockets on port %d", len(held), s.Port())
	}
	want := fmt.Sprintf("Loopscope · TCP echo server on port %d", s.Port())
	if got := makePortRow(held[0]).cells[colProcess].text; got != want {
		t.Errorf("Ports shows %q, want %q", got, want)
	}
	if got := held[0].Holders[0].Process; got != want {
		t.Errorf("Processes shows %q, want %q", got, want)
	}
	uiLocked(func() { v.end.startSockets(held[0]) })
	waitDialog(t, "ending it is refused", "Local Servers tab")
	if st, _ := s.State(); st != serve.Running {
		t.Errorf("the server is %v after a refused end", st)
	}
}

func TestServersFilesAskForAFolderAndRefuseTheHomeWithoutAsking(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	v := newTestServers(t)
	uiLocked(func() { v.bar.dir = home })
	startFromBar(t, v, serve.Files, "")
	waitDialog(t, "it asks before serving the home folder", "home folder")
	if len(v.mgr.Servers()) != 0 {
		t.Fatal("the home folder is served before the user said yes")
	}
	uiLocked(dismissTop)
	site := t.TempDir()
	os.WriteFile(site+"/index.html", []byte("<p>hi</p>"), 0o644)
	uiLocked(func() { v.bar.dir = site; test.Tap(v.bar.start) })
	eventually(t, "a folder that is not sensitive starts at once", func() bool { return len(v.rows) == 1 })
	resp, err := http.Get(v.rows[0].srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "<p>hi</p>" {
		t.Errorf("served %q", body)
	}
}

func TestClosingTheWindowStopsEveryServer(t *testing.T) {
	a := test.NewTempApp(t)
	ui := New(a, test.NewTempWindow(t, nil), &fakeSource{})
	s, err := ui.mgr.Start(serve.Config{Kind: serve.UDPEcho})
	if err != nil {
		t.Fatal(err)
	}
	ui.Start()
	ui.Stop()
	if st, _ := s.State(); st != serve.Stopped {
		t.Errorf("after Stop the server is %v", st)
	}
}

// findButton is the top dialog's button with text, or nil.
func findButton(text string) *widget.Button {
	if len(dialogs) == 0 {
		return nil
	}
	for _, b := range dialogs[len(dialogs)-1].buttons {
		if b.Text == text {
			return b
		}
	}
	return nil
}

// A server other devices may reach offers the address they use: the
// details lead with it, and Copy URL becomes Copy LAN URL.
func TestExposedServerCopiesItsLANURL(t *testing.T) {
	if len(serve.LANAddrs()) == 0 {
		t.Skip("this machine has no LAN address") // a laptop offline; the CI machine has one
	}
	v := newTestServers(t)
	s, err := v.mgr.Start(serve.Config{Kind: serve.Echo, Expose: true})
	if err != nil {
		t.Fatal(err)
	}
	lan := s.LANURLs()[0]
	uiLocked(func() {
		v.started(s)
		if v.copyBtn.Text != "Copy LAN URL" || !strings.Contains(v.details.lead.Text, lan) {
			t.Errorf("button %q, lead %q; want Copy LAN URL and %s", v.copyBtn.Text, v.details.lead.Text, lan)
		}
		test.Tap(v.copyBtn)
		if got := v.a.Clipboard().Content(); got != lan {
			t.Errorf("copied %q, want %q", got, lan)
		}
	})
}
