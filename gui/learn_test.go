package gui

import (
	"errors"
	"net"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/loopscope/loopscope/netinfo"
	"github.com/loopscope/loopscope/sniff"
)

// newTestLearn builds the whole window on the test driver with the
// machine's real sockets, and shows the Learn tab.
func newTestLearn(t *testing.T) (*UI, *learnView) {
	t.Helper()
	a := test.NewTempApp(t)
	var ui *UI
	uiLocked(func() {
		ui = New(a, test.NewTempWindow(t, nil), netinfo.NewScanner())
		ui.w.Resize(fyne.NewSize(1180, 720))
		ui.SelectTab("Learn")
	})
	t.Cleanup(ui.Stop)
	return ui, ui.learn
}

// doSteps opens lesson i and presses its steps' buttons in order, as a
// learner does, waiting for each to show what it found.
func doSteps(t *testing.T, v *learnView, i int) *lessonPage {
	t.Helper()
	var p *lessonPage
	uiLocked(func() { v.open(i); p = v.page })
	for k, b := range p.buttons {
		uiLocked(func() {
			if b.Disabled() {
				t.Fatalf("lesson %d: step %d's button is disabled after the steps before it ran", i+1, k+1)
			}
			test.Tap(b)
		})
		eventually(t, "step "+strconv.Itoa(k+1)+" ran", func() bool { return p.ran == k+1 && !p.running })
	}
	return p
}

// answerCheck picks or types got and presses Check; it returns the verdict.
func answerCheck(t *testing.T, p *lessonPage, got string) (bool, string) {
	t.Helper()
	var say string
	uiLocked(func() {
		if p.choice != nil {
			p.choice.SetSelected(got)
		} else {
			p.answer.SetText(got)
		}
		test.Tap(p.checkB)
		say = p.verdict.Text
	})
	return p.verdict.Importance == widget.SuccessImportance, say
}

// ss runs ss with args and returns its lines (the kernel's view).
func ss(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command("ss", append([]string{"-H"}, args...)...).Output()
	if err != nil {
		t.Skipf("ss: %v", err)
	}
	return string(out)
}

func serverPort(t *testing.T, v *learnView) int {
	t.Helper()
	srv := v.lab.mgr.Servers()
	if len(srv) == 0 {
		t.Fatal("the lesson started no server")
	}
	return srv[0].Port()
}

func TestLessonLoopback(t *testing.T) {
	_, v := newTestLearn(t)
	p := doSteps(t, v, 0)
	port := serverPort(t, v)
	res := strings.Join(p.texts, "\n")
	if !strings.Contains(ss(t, "-ltn"), "127.0.0.1:"+strconv.Itoa(port)) {
		t.Fatalf("ss shows no listener on 127.0.0.1:%d", port)
	}
	if !strings.Contains(res, "127.0.0.1 → 127.0.0.1:"+strconv.Itoa(port)+": connected") {
		t.Errorf("the results do not say 127.0.0.1 connected:\n%s", res)
	}
	// The referee: what connecting over ::1 really does.
	want := "It was refused"
	if _, err := net.Dial("tcp6", net.JoinHostPort("::1", strconv.Itoa(port))); err == nil {
		want = "It connected"
	} else if !errors.Is(err, syscall.ECONNREFUSED) {
		want = "It could not even try"
	}
	if ok, say := answerCheck(t, p, "It timed out"); ok {
		t.Errorf("a wrong answer passed: %s", say)
	}
	if ok, say := answerCheck(t, p, want); !ok {
		t.Errorf("%q failed the check: %s", want, say)
	}
	if !v.passed[0] || !strings.Contains(v.index[0].Text, "✓") {
		t.Error("the lesson is not marked passed in the index")
	}
	// Leaving the lesson stops its server.
	uiLocked(func() { v.open(1) })
	if _, err := net.Dial("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port))); err == nil {
		t.Errorf("the lesson's server on %d still answers after the learner left it", port)
	}
}

func TestLessonPortsFindsTheClientPort(t *testing.T) {
	ui, v := newTestLearn(t)
	if ok, say := answerCheck(t, v.page, "1"); ok || !strings.Contains(say, "Run the steps first") {
		t.Errorf("a check before the steps ran said %q", say)
	}
	p := doSteps(t, v, 1)
	port := serverPort(t, v)
	// The kernel names the client's port: the established connection to the server.
	client := ""
	for _, line := range strings.Split(ss(t, "-tn", "state", "established", "dport", "= :"+strconv.Itoa(port)), "\n") {
		if f := strings.Fields(line); len(f) >= 4 {
			client = f[2][strings.LastIndex(f[2], ":")+1:]
		}
	}
	if client == "" {
		t.Fatalf("ss shows no connection to port %d", port)
	}
	if ok, say := answerCheck(t, p, strconv.Itoa(port)); ok {
		t.Errorf("the server's port passed as the client's: %s", say)
	}
	if ok, say := answerCheck(t, p, "127.0.0.1:"+client); !ok {
		t.Errorf("the client's address 127.0.0.1:%s failed the check: %s", client, say)
	}
	if ok, say := answerCheck(t, p, client); !ok {
		t.Errorf("the client's port %s failed the check: %s", client, say)
	}
	// Its link opens Processes on the port, with the clients shown.
	var link *widget.Button
	for _, b := range p.links {
		if b.Text == "Find the client in Processes" {
			link = b
		}
	}
	if link == nil {
		t.Fatal("no link to Processes")
	}
	uiLocked(func() { test.Tap(link) })
	if ui.shown() != ui.procs || ui.procs.filter.Text != ":"+strconv.Itoa(port) || !ui.procs.conns.Checked {
		t.Errorf("the link showed %s with filter %q, connections %v", ui.shown().name(), ui.procs.filter.Text, ui.procs.conns.Checked)
	}
}

func TestLessonHandshakeLadder(t *testing.T) {
	_, v := newTestLearn(t)
	p := doSteps(t, v, 2)
	checkLadder(t, p)
	if l, err := sniff.OpenLive(sniff.LiveConfig{Interface: sniff.LoopbackName()}); err == nil {
		l.Close()
		if strings.Contains(p.texts[1], "recording") {
			t.Errorf("this test may capture, but the lesson showed the recording:\n%s", p.texts[1])
		}
	}
	// The client's request, as this run sent it: the server's ACK of it
	// (the kernel's own count) is one past its bytes.
	var req, acked int
	for i, s := range p.ladders[1].Steps {
		if s.FromClient && s.Payload > 0 && req == 0 {
			req, acked = s.Payload, int(p.ladders[1].Steps[i+1].Ack)
		}
	}
	if req == 0 || acked != req+1 {
		t.Fatalf("the request was %d bytes, and the server acknowledged up to %d", req, acked)
	}
	if ok, say := answerCheck(t, p, "abc"); ok || !strings.Contains(say, "Type a number") {
		t.Errorf("letters got %q", say)
	}
	if ok, say := answerCheck(t, p, strconv.Itoa(req+1)); ok {
		t.Errorf("%d passed: %s", req+1, say)
	}
	if ok, say := answerCheck(t, p, strconv.Itoa(req)); !ok {
		t.Errorf("the request's %d bytes failed the check: %s", req, say)
	}
	for _, b := range p.buttons {
		if !b.Disabled() {
			t.Errorf("the step %q can be pressed again after the lesson ran", b.Text)
		}
	}
}

// TestLessonHandshakeRecorded is the lesson where Loopscope may not
// capture: it shows the recording, and says so.
func TestLessonHandshakeRecorded(t *testing.T) {
	_, v := newTestLearn(t)
	v.lab.openCapture = func(sniff.LiveConfig) (sniff.Source, error) {
		return nil, errors.New("no permission to capture on lo: Operation not permitted")
	}
	p := doSteps(t, v, 2)
	if !strings.Contains(p.texts[1], "recording") || !strings.Contains(p.texts[1], "Operation not permitted") {
		t.Errorf("the step does not say it shows a recording, and why:\n%s", p.texts[1])
	}
	checkLadder(t, p)
}

func checkLadder(t *testing.T, p *lessonPage) {
	t.Helper()
	if strings.HasPrefix(p.texts[1], "That did not work") {
		t.Fatalf("the capture failed: %s", p.texts[1])
	}
	l := p.ladders[1]
	if l == nil || len(l.Steps) < 4 {
		t.Fatalf("the step drew no ladder: %+v", l)
	}
	want := []struct {
		label      string
		fromClient bool
	}{{"SYN", true}, {"SYN-ACK", false}, {"ACK", true}}
	for i, w := range want {
		if s := l.Steps[i]; s.Label != w.label || s.FromClient != w.fromClient {
			t.Errorf("step %d is %q (from the client: %v), want %q (%v)", i+1, s.Label, s.FromClient, w.label, w.fromClient)
		}
	}
	fins := 0
	for _, s := range l.Steps {
		if strings.HasPrefix(s.Label, "FIN") {
			fins++
		}
	}
	if fins != 2 {
		t.Errorf("%d FIN steps, want one from each side:\n%s", fins, p.text())
	}
}

func TestLessonUDPCountsDatagrams(t *testing.T) {
	_, v := newTestLearn(t)
	p := doSteps(t, v, 3)
	if !strings.Contains(p.texts[1], "UDP, 2 packets") {
		t.Errorf("UDP's hello and answer are not two packets:\n%s", p.texts[1])
	}
	m := regexp.MustCompile(`TCP, (\d+) packets`).FindStringSubmatch(p.texts[1])
	if m == nil {
		t.Fatalf("no TCP count:\n%s", p.texts[1])
	}
	if n, _ := strconv.Atoi(m[1]); n < 9 || strings.Count(p.texts[1], "\n") < n+2 {
		t.Errorf("TCP took %s packets for a handshake, hello both ways and a goodbye (at least 9), each on a line:\n%s", m[1], p.texts[1])
	}
	if ok, say := answerCheck(t, p, "2"); ok {
		t.Errorf("2 passed: %s", say)
	}
	if ok, say := answerCheck(t, p, m[1]); !ok {
		t.Errorf("%s failed the check: %s", m[1], say)
	}
}

func TestLessonExposure(t *testing.T) {
	_, v := newTestLearn(t)
	var p *lessonPage
	uiLocked(func() { v.open(4); p = v.page })
	for k := 0; k < 2; k++ {
		uiLocked(func() { test.Tap(p.buttons[k]) })
		eventually(t, "a server started", func() bool { return p.ran == k+1 && !p.running })
	}
	srv := v.lab.mgr.Servers()
	if len(srv) != 2 {
		t.Fatalf("%d servers, want 2", len(srv))
	}
	listen := ss(t, "-ltn")
	for _, want := range []string{"127.0.0.1:" + strconv.Itoa(srv[0].Port()), "0.0.0.0:" + strconv.Itoa(srv[1].Port())} {
		if !strings.Contains(listen, want) {
			t.Errorf("ss shows no listener on %s", want)
		}
	}
	for k := 2; k < 4; k++ {
		uiLocked(func() { test.Tap(p.buttons[k]) })
		eventually(t, "step ran", func() bool { return p.ran == k+1 && !p.running })
	}
	if strings.Contains(ss(t, "-ltn"), "0.0.0.0:"+strconv.Itoa(srv[1].Port())) {
		t.Error("the exposed server still listens after its stop step")
	}
	if ok, say := answerCheck(t, p, onlyAll); !ok {
		t.Errorf("%q failed: %s\n%s", onlyAll, say, p.texts[2])
	}
}

func TestLessonConflictNamesTheHolder(t *testing.T) {
	_, v := newTestLearn(t)
	p := doSteps(t, v, 5)
	if !strings.Contains(p.texts[1], "already in use") {
		t.Errorf("the second server's failure is not explained:\n%s", p.texts[1])
	}
	if ok, say := answerCheck(t, p, strconv.Itoa(os.Getpid())); !ok {
		t.Errorf("this process's PID failed the check: %s\n%s", say, p.texts[1])
	}
	port := serverPort(t, v)
	if !strings.Contains(ss(t, "-ltn"), "127.0.0.1:"+strconv.Itoa(port)) || !strings.Contains(p.texts[2], strconv.Itoa(port)) {
		t.Errorf("after freeing it, the second server does not listen on %d:\n%s", port, p.texts[2])
	}
}
