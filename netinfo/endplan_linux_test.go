package netinfo

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestEndPlanEndsEveryHolder: a port held by a parent and the child that
// inherited it is free only once both end; the plan names both, ends
// both, and says so from a fresh scan.
func TestEndPlanEndsEveryHolder(t *testing.T) {
	c := startChild(t, "fork-share", nil)
	port64, _ := strconv.Atoi(c.line[0])
	port := uint16(port64)
	childPID, _ := strconv.Atoi(c.line[1])
	defer syscallKill(childPID)

	sc, term := NewScanner(), NewTerminator(nil)
	snap, err := sc.Snapshot(context.Background(), AllSockets)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := term.PlanPort(snap.Sockets, port)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Targets) != 2 || plan.Targets[0].Owner.PID != int32(c.cmd.Process.Pid) || plan.Targets[1].Owner.PID != int32(childPID) {
		t.Fatalf("plan targets %+v, want the parent %d and the child %d", plan.Owners(), c.cmd.Process.Pid, childPID)
	}
	text := plan.Confirmation()
	for _, pid := range []int{c.cmd.Process.Pid, childPID} {
		if !strings.Contains(text, "PID "+strconv.Itoa(pid)) {
			t.Errorf("confirmation does not name PID %d:\n%s", pid, text)
		}
	}
	out := term.End(context.Background(), plan.Owners(), false, nil)
	if len(out.Exited) != 2 || len(out.Running) != 0 || out.Err != nil {
		t.Fatalf("End: %+v", out)
	}
	now, err := sc.WaitPortsFree(context.Background(), plan.Ports(), 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if msg, free := plan.Aftermath(now); !free || msg != "Port "+c.line[0]+" is free now." {
		t.Errorf("aftermath %q (free %v)", msg, free)
	}
}

// TestEndOwnerThatExitedByItself: an owner that exits while the question
// waits counts as gone, and nothing is sent to its PID.
func TestEndOwnerThatExitedByItself(t *testing.T) {
	h := startHolder(t, "hold")
	o := ownerOf(t, h.port)
	h.cmd.Process.Kill()
	<-h.exited
	out := NewTerminator(nil).End(context.Background(), []Owner{o}, false, nil)
	if len(out.Gone) != 1 || len(out.Exited) != 0 || out.Err != nil {
		t.Errorf("End of an exited owner: %+v, want it gone, no error", out)
	}
}

// TestOwnServersAreStoppedAsServers: protection is keyed by socket, so
// a Loopscope server in Loopscope's own process is refused with the way
// to stop it, not as "Loopscope itself".
func TestOwnServersAreStoppedAsServers(t *testing.T) {
	addr := listen(t, "tcp4", "127.0.0.1:0").(*net.TCPAddr)
	port := uint16(addr.Port)
	term := NewTerminator(func(s Socket) bool { return s.Proto == TCP && s.LocalPort == port })
	snap, err := NewScanner().Snapshot(context.Background(), AllSockets)
	if err != nil {
		t.Fatal(err)
	}
	sock := ListenersOn(snap.Sockets, port)[0]
	_, errPort := term.PlanPort(snap.Sockets, port)
	_, errSock := term.PlanSocket(snap.Sockets, sock)
	_, errProc := term.PlanProcess(snap.Sockets, sock.Owner)
	for name, err := range map[string]error{"port": errPort, "socket": errSock, "process": errProc} {
		if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "Local Servers tab") {
			t.Errorf("plan by %s: %v; want a refusal that says to stop it on the Local Servers tab", name, err)
		}
	}
	// Without the protection, the same process is refused as Loopscope itself.
	if _, err := NewTerminator(nil).PlanPort(snap.Sockets, port); !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "Loopscope itself") {
		t.Errorf("unprotected: %v", err)
	}
}

func TestAftermathNamesTheLivingHolder(t *testing.T) {
	dead := Owner{PID: 100, Process: "old", Started: time.UnixMilli(1)}
	plan := EndPlan{Port: 8080, Targets: []EndTarget{{Owner: dead}}}
	next := Owner{PID: 200, Process: "new\nline"}
	now := []Socket{{Proto: TCP, LocalIP: netip.MustParseAddr("0.0.0.0"), LocalPort: 8080, State: StateListen, Owner: next, Holders: []Owner{next}}}
	msg, free := plan.Aftermath(now)
	if free || msg != `Port 8080 is still held by new\nline (PID 200).` {
		t.Errorf("aftermath %q (free %v)", msg, free)
	}
	if msg, free := plan.Aftermath(nil); !free || msg != "Port 8080 is free now." {
		t.Errorf("aftermath of an empty scan %q (free %v)", msg, free)
	}
}

// TestConfirmationEscapesOutsideText: names and command lines are shown
// escaped, one line each, whatever bytes they hold.
func TestConfirmationEscapesOutsideText(t *testing.T) {
	o := Owner{PID: 4242, Process: "x\ntcp 0.0.0.0 22 sshd", User: "\x1b[31mroot", Cmdline: strings.Repeat("A", 100_000) + "\x1b[2J\xff", Started: time.Now()}
	plan := EndPlan{Port: 22, Targets: []EndTarget{{Owner: o}}}
	text := plan.Title() + "\n" + plan.Confirmation()
	for i, r := range text {
		if (r < 0x20 && r != '\n') || r == 0x7f || r == 0xfffd {
			t.Fatalf("byte %d of the confirmation is %U:\n%q", i, r, text[:min(len(text), 300)])
		}
	}
	if len(text) > 2500 {
		t.Errorf("a 100 KB command line made a %d-byte confirmation", len(text))
	}
	if !strings.Contains(text, strings.Repeat("A", 1900)) {
		t.Errorf("the command line is cut short: the question should show enough to tell servers apart")
	}
	if !strings.Contains(text, `x\ntcp 0.0.0.0 22 sshd · PID 4242`) {
		t.Errorf("the name is not shown escaped on the PID's line:\n%s", text)
	}
}

// TestNetlinkFailureIsSaidAndRetried: when netlink fails the snapshot says
// so and comes from gopsutil; the next one uses netlink again.
func TestNetlinkFailureIsSaidAndRetried(t *testing.T) {
	listen(t, "tcp4", "127.0.0.1:0")
	sc := NewScanner()
	d := sc.engine.(*diagEngine)
	calls := 0
	d.dump = func(scope Scope, buf []byte, out []rawSocket) ([]rawSocket, error) {
		calls++
		if calls == 1 {
			return nil, os.ErrPermission
		}
		return diagDump(scope, buf, out)
	}
	first, err := sc.Snapshot(context.Background(), Listening)
	if err != nil || first.Degraded == nil || !strings.Contains(first.Degraded.Error(), "netlink") {
		t.Fatalf("first snapshot: err %v, degraded %v; want a netlink warning", err, first.Degraded)
	}
	if len(ListenersOn(first.Sockets, 0)) != 0 || len(first.Sockets) == 0 {
		t.Errorf("the slow path found %d sockets", len(first.Sockets))
	}
	second, err := sc.Snapshot(context.Background(), Listening)
	if err != nil || second.Degraded != nil || calls < 2 {
		t.Errorf("second snapshot: err %v, degraded %v, netlink calls %d; want netlink again", err, second.Degraded, calls)
	}
}
