package netinfo

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// listenerOn finds the one listening socket on port in a fresh snapshot.
func listenerOn(t *testing.T, s *Scanner, port uint16) Socket {
	t.Helper()
	snap, err := s.Snapshot(context.Background(), Listening)
	if err != nil {
		t.Fatal(err)
	}
	l := ListenersOn(snap.Sockets, port)
	if len(l) != 1 {
		t.Fatalf("%d listeners on port %d, want 1: %+v", len(l), port, l)
	}
	return l[0]
}

// sameAsSS checks a listener's holders against ss's users:(...) list.
func sameAsSS(t *testing.T, s Socket) {
	t.Helper()
	entries := ssSockets(t, "-tln", s.LocalPort)
	if len(entries) != 1 {
		t.Fatalf("ss shows %d listeners on port %d, want 1: %+v", len(entries), s.LocalPort, entries)
	}
	if got, want := holderPIDs(s), entries[0].pids; !slices.Equal(got, want) {
		t.Errorf("port %d: holders %v, ss says %v", s.LocalPort, got, want)
	}
}

// TestSharedSocketNamesEveryHolder: a listener inherited by a child (a
// server's master and worker) names both, as ss does, and the snapshot
// follows when one of them lets go.
func TestSharedSocketNamesEveryHolder(t *testing.T) {
	c := startChild(t, "fork-share", nil)
	port, _ := strconv.Atoi(c.line[0])
	childPID, _ := strconv.Atoi(c.line[1])
	defer syscallKill(childPID)

	sc := NewScanner()
	s := listenerOn(t, sc, uint16(port))
	want := []int32{int32(c.cmd.Process.Pid), int32(childPID)}
	if got := holderPIDs(s); !slices.Equal(got, want) {
		t.Fatalf("holders %v, want parent and child %v", got, want)
	}
	if s.PID != want[0] {
		t.Errorf("first holder %d, want the parent %d", s.PID, want[0])
	}
	sameAsSS(t, s)

	// The parent exits: the child alone holds the socket now.
	c.cmd.Process.Kill()
	<-c.exited
	s = listenerOn(t, sc, uint16(port))
	if got := holderPIDs(s); !slices.Equal(got, want[1:]) {
		t.Errorf("after the parent exited: holders %v, want only the child %v", got, want[1:])
	}
	sameAsSS(t, s)
}

func syscallKill(pid int) {
	if p, err := os.FindProcess(pid); err == nil {
		p.Kill()
	}
}

// TestThreadHeldSocket: a socket only a thread's own descriptor table
// holds is found through /proc/PID/task/TID/fd and named by its process,
// not called the kernel's.
func TestThreadHeldSocket(t *testing.T) {
	c := startChild(t, "thread-unshare", nil)
	port, _ := strconv.Atoi(c.line[0])
	s := listenerOn(t, NewScanner(), uint16(port))
	if s.PID != int32(c.cmd.Process.Pid) || s.NoProcess != "" {
		t.Fatalf("thread-held listener: PID %d, no_process %q; want PID %d", s.PID, s.NoProcess, c.cmd.Process.Pid)
	}
	// ss reads only /proc/PID/fd, which does not show a thread's own
	// table; /proc's task directories are the referee.
	if got, want := holderPIDs(s), procHolders(t, ssSockets(t, "-tln", s.LocalPort)[0].inode); !slices.Equal(got, want) {
		t.Errorf("holders %v, /proc/*/task/*/fd says %v", got, want)
	}
}

// procHolders reads every thread's descriptors under /proc and returns
// the processes whose threads hold the socket inode.
func procHolders(t *testing.T, inode uint32) []int32 {
	t.Helper()
	want := "socket:[" + strconv.FormatUint(uint64(inode), 10) + "]"
	links, _ := filepath.Glob("/proc/[0-9]*/task/[0-9]*/fd/*")
	var pids []int32
	for _, l := range links {
		if target, err := os.Readlink(l); err == nil && target == want {
			pid, _ := strconv.Atoi(strings.Split(l, "/")[2])
			pids = append(pids, int32(pid))
		}
	}
	slices.Sort(pids)
	return slices.Compact(pids)
}

// TestLeaderExitedThreadHolds: a process whose main thread has exited
// while another thread listens is still that process.
func TestLeaderExitedThreadHolds(t *testing.T) {
	gcc := requireTool(t, "gcc")
	bin := filepath.Join(t.TempDir(), "leader_exit")
	if out, err := exec.Command(gcc, "-pthread", "-o", bin, "testdata/leader_exit.c").CombinedOutput(); err != nil {
		t.Fatalf("gcc: %v\n%s", err, out)
	}
	c := runChild(t, exec.Command(bin))
	port, _ := strconv.Atoi(c.line[0])
	waitLeaderExited(t, c.cmd.Process.Pid)
	sc := NewScanner()
	s := listenerOn(t, sc, uint16(port))
	if s.PID != int32(c.cmd.Process.Pid) {
		t.Fatalf("listener held after the main thread exited: PID %d (%s), want %d", s.PID, s.NoProcess, c.cmd.Process.Pid)
	}
	if s.Process != "leader_exit" || s.Exe != bin {
		t.Errorf("process %q exe %q, want leader_exit and %s", s.Process, s.Exe, bin)
	}
	// ss reads only /proc/PID/fd and finds no holder here; /proc's task
	// directories are the referee.
	if got, want := holderPIDs(s), procHolders(t, ssSockets(t, "-tln", s.LocalPort)[0].inode); !slices.Equal(got, want) {
		t.Errorf("holders %v, /proc/*/task/*/fd says %v", got, want)
	}
	// It can be ended like any process: its start time still reads.
	term := NewTerminator(nil)
	if !term.Running(s.Owner) {
		t.Error("Terminator says a process whose main thread exited is not running")
	}
}

// TestUnacceptedAndOrphanedSockets: a connection waiting in the accept
// queue and an orphaned FIN_WAIT2 have inode 0: no process holds them,
// and that is said plainly, even to a user without rights.
func TestUnacceptedAndOrphanedSockets(t *testing.T) {
	queued := listen(t, "tcp4", "127.0.0.1:0").(*net.TCPAddr) // never accepts
	waiting, err := net.Dial("tcp4", queued.String())
	if err != nil {
		t.Fatal(err)
	}
	defer waiting.Close()

	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	closer, err := net.Dial("tcp4", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	server, err := l.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer server.Close()
	orphan := closer.LocalAddr().(*net.TCPAddr)
	closer.Close() // FIN_WAIT2 once the server acknowledges; the server side waits in CLOSE_WAIT
	waitState(t, "-tan", uint16(orphan.Port), "FIN-WAIT-2")

	queuedEnd := uint16(waiting.LocalAddr().(*net.TCPAddr).Port)
	check := func(t *testing.T, sockets []Socket) {
		t.Helper()
		var sawQueued, sawOrphan bool
		for _, s := range sockets {
			switch {
			case s.LocalPort == uint16(queued.Port) && s.RemotePort == queuedEnd:
				sawQueued = true
				if s.NoProcess != NoProcessQueued || s.OwnerHidden || len(s.Holders) != 0 {
					t.Errorf("unaccepted connection: no_process %q hidden %v holders %d; want queued", s.NoProcess, s.OwnerHidden, len(s.Holders))
				}
			case s.LocalPort == uint16(orphan.Port) && s.State == "FIN_WAIT2":
				sawOrphan = true
				if s.NoProcess != NoProcessClosing || s.OwnerHidden {
					t.Errorf("orphaned FIN_WAIT2: no_process %q hidden %v; want closing", s.NoProcess, s.OwnerHidden)
				}
			}
		}
		if !sawQueued || !sawOrphan {
			t.Errorf("saw the unaccepted connection: %v, the orphan: %v", sawQueued, sawOrphan)
		}
	}
	// ss agrees that no file refers to either.
	for _, e := range append(ssSockets(t, "-tan", uint16(queued.Port)), ssSockets(t, "-tan", uint16(orphan.Port))...) {
		if e.state != "LISTEN" && e.state != "CLOSE-WAIT" && e.inode != 0 {
			t.Errorf("ss shows %s %s with inode %d; the test expected 0", e.state, e.local, e.inode)
		}
	}
	snap, err := NewScanner().Snapshot(context.Background(), AllSockets)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("root", func(t *testing.T) { check(t, snap.Sockets) })
	t.Run("nobody", func(t *testing.T) {
		requireRoot(t)
		check(t, decodeSockets(t, asUser(t, 65534, "scan", "NETINFO_TEST_SCOPE=all")))
	})
}

// waitState waits until ss shows a socket on port in state.
func waitState(t *testing.T, flags string, port uint16, state string) {
	t.Helper()
	for range 100 {
		for _, e := range ssSockets(t, flags, port) {
			if e.state == state {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no socket on port %d reached %s", port, state)
}

// TestNoPhantomFromExitingProcesses: processes that listen for a moment
// and exit, scanned again and again, never leave a listener that "no
// process" holds.
func TestNoPhantomFromExitingProcesses(t *testing.T) {
	ports := freePorts(t, 10)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for _, p := range ports {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				cmd := exec.Command(os.Args[0], "-test.run=^$")
				cmd.Env = append(os.Environ(), "NETINFO_TEST_CHILD=flash", "NETINFO_TEST_PORT="+strconv.Itoa(int(p)))
				cmd.Run()
			}
		}()
	}
	// At least 40 scans, and on until 40 flashing listeners have been caught (a slow machine
	// catches fewer per scan), at most 2,000 scans.
	sc := NewScanner()
	seen, scans := 0, 0
	for ; scans < 40 || (seen < 40 && scans < 2000); scans++ {
		snap, err := sc.Snapshot(context.Background(), Listening)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range snap.Sockets {
			if !slices.Contains(ports, s.LocalPort) {
				continue
			}
			seen++
			if len(s.Holders) == 0 {
				t.Errorf("phantom: %s port %d shown with no process (%s); ss now: %+v", s.Proto, s.LocalPort, s.NoProcess, ssSockets(t, "-tln", s.LocalPort))
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	close(stop)
	wg.Wait()
	if seen == 0 {
		t.Error("no scan caught a flashing listener; the test proved nothing")
	}
	t.Logf("%d flashing listeners seen in %d scans", seen, scans)
}

// TestChangedUserProcessIsNamed: a server that bound as root and then
// became nobody keeps its socket (owned by root); nobody may not read its
// open files. The socket stays hidden, with the kernel's owner (root),
// and the note names the server, with its real user, as one that cannot
// be checked, instead of saying only "another user's process".
func TestChangedUserProcessIsNamed(t *testing.T) {
	requireRoot(t)
	c := startChild(t, "drop-user", nil)
	port, _ := strconv.Atoi(c.line[0])
	var s Socket
	for _, so := range decodeSockets(t, asUser(t, 65534, "scan")) {
		if so.LocalPort == uint16(port) {
			s = so
		}
	}
	if s.LocalPort == 0 {
		t.Fatalf("nobody does not see the listener on port %d", port)
	}
	if !s.OwnerHidden || s.NoProcess != NoProcessHidden || s.User != "root" {
		t.Errorf("hidden %v no_process %q user %q; want hidden, owned by root (the socket's uid)", s.OwnerHidden, s.NoProcess, s.User)
	}
	// Other servers that changed user may be running too: each is named.
	i := slices.IndexFunc(s.PossibleHolders, func(o Owner) bool { return o.PID == int32(c.cmd.Process.Pid) })
	if i < 0 {
		t.Fatalf("possible holders %+v, want the server PID %d among them", s.PossibleHolders, c.cmd.Process.Pid)
	}
	if s.PossibleHolders[i].User != "nobody" || s.PossibleHolders[i].Process != "netinfo.test" {
		t.Errorf("possible holder %+v, want netinfo.test run by its real user nobody", s.PossibleHolders[i])
	}
	if !containsAll(s.OwnerNote, "may be another user's process", "changed user") || (len(s.PossibleHolders) <= 3 && !strings.Contains(s.OwnerNote, "PID "+strconv.Itoa(c.cmd.Process.Pid))) {
		t.Errorf("note %q does not name the server and say why", s.OwnerNote)
	}
	// Root sees the truth, and it agrees.
	sameAsSS(t, listenerOn(t, NewScanner(), uint16(port)))
}

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

// freePorts finds n ports that are free now.
func freePorts(t *testing.T, n int) []uint16 {
	t.Helper()
	var ls []net.Listener
	ports := make([]uint16, n)
	for i := range ports {
		l, err := net.Listen("tcp4", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
		ports[i] = uint16(l.Addr().(*net.TCPAddr).Port)
	}
	for _, l := range ls {
		l.Close()
	}
	return ports
}

// waitLeaderExited waits until pid's main thread has exited (state Z)
// while the process lives on.
func waitLeaderExited(t *testing.T, pid int) {
	t.Helper()
	for range 200 {
		b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if st, ok := parseStat(b); err == nil && ok && st.state == 'Z' {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("the main thread of %d did not exit", pid)
}
