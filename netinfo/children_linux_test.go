package netinfo

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The test binary re-runs itself as a process in an odd but real
// situation (NETINFO_TEST_CHILD=mode), prints on its first line what the
// test needs (a port, a PID), and waits to be ended.
var childModes = map[string]func(){
	"hold":           func() { listenAndWait("tcp4", "127.0.0.1:0") },
	"ignore-term":    func() { signal.Ignore(syscall.SIGTERM); listenAndWait("tcp4", "127.0.0.1:0") },
	"fork-share":     forkShare,
	"inherit":        func() { fmt.Println(os.Getpid()); time.Sleep(time.Minute) }, // bounded, in case a test dies
	"thread-unshare": threadUnshare,
	"drop-user":      dropUser,
	"flash":          flash,
	"scan":           scanAndPrint,
	"named":          named,
}

// named sets its kernel name (comm) to NETINFO_TEST_COMM, then listens.
func named() {
	if comm := os.Getenv("NETINFO_TEST_COMM"); comm != "" {
		if err := unix.Prctl(unix.PR_SET_NAME, uintptr(unsafe.Pointer(unsafe.StringData(comm+"\x00"))), 0, 0, 0); err != nil {
			os.Exit(3)
		}
	}
	listenAndWait("tcp4", "127.0.0.1:0")
}

func TestMain(m *testing.M) {
	if mode := os.Getenv("NETINFO_TEST_CHILD"); mode != "" {
		run, ok := childModes[mode]
		if !ok {
			fmt.Fprintf(os.Stderr, "unknown child mode %q\n", mode)
			os.Exit(3)
		}
		run()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func listenAndWait(network, addr string) {
	l, err := net.Listen(network, addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	fmt.Println(l.Addr().(*net.TCPAddr).Port)
	select {}
}

// forkShare listens, then starts a child that inherits the listener: one
// socket, two holders, like a server's master and worker.
func forkShare() {
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		os.Exit(3)
	}
	f, err := l.(*net.TCPListener).File()
	if err != nil {
		os.Exit(3)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "NETINFO_TEST_CHILD=inherit")
	cmd.ExtraFiles = []*os.File{f}
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		os.Exit(3)
	}
	line, _ := bufio.NewReader(out).ReadString('\n')
	f.Close() // the parent keeps its listener; the child keeps its copy
	fmt.Println(l.Addr().(*net.TCPAddr).Port, strings.TrimSpace(line))
	select {}
}

// threadUnshare opens a listener in a thread that has its own descriptor
// table (unshare(CLONE_FILES)): /proc/PID/fd does not show it, only
// /proc/PID/task/TID/fd does.
func threadUnshare() {
	ready := make(chan string)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread keeps its own table
		if err := unix.Unshare(unix.CLONE_FILES); err != nil {
			ready <- "error " + err.Error()
			return
		}
		fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM, 0)
		if err == nil {
			err = unix.Bind(fd, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}})
		}
		if err == nil {
			err = unix.Listen(fd, 8)
		}
		if err != nil {
			ready <- "error " + err.Error()
			return
		}
		sa, _ := unix.Getsockname(fd)
		ready <- fmt.Sprintf("%d %d", sa.(*unix.SockaddrInet4).Port, unix.Gettid())
		select {}
	}()
	fmt.Println(<-ready)
	select {}
}

// dropUser listens as root, then becomes nobody, as servers that bind a
// low port do: the kernel then hides its open files even from nobody.
func dropUser() {
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		os.Exit(3)
	}
	if err := syscall.Setgid(65534); err != nil {
		os.Exit(4)
	}
	if err := syscall.Setuid(65534); err != nil {
		os.Exit(5)
	}
	fmt.Println(l.Addr().(*net.TCPAddr).Port)
	select {}
}

// flash listens on NETINFO_TEST_PORT for a moment and exits.
func flash() {
	l, err := net.Listen("tcp4", "127.0.0.1:"+os.Getenv("NETINFO_TEST_PORT"))
	if err != nil {
		os.Exit(3)
	}
	fmt.Println("up")
	time.Sleep(time.Duration(10+os.Getpid()%40) * time.Millisecond)
	l.Close()
}

// scanAndPrint prints a snapshot as JSON: run as another user, it shows
// what that user may see.
func scanAndPrint() {
	scope := Listening
	if os.Getenv("NETINFO_TEST_SCOPE") == "all" {
		scope = AllSockets
	}
	snap, err := NewScanner().Snapshot(context.Background(), scope)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	os.Stdout.Write(AppendJSON(nil, snap.Sockets))
}

// child is a running child process and what it printed first.
type child struct {
	cmd    *exec.Cmd
	line   []string // the first line's fields
	exited chan struct{}
}

// startChild runs the test binary in mode and reads its first line.
func startChild(t *testing.T, mode string, env []string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), "NETINFO_TEST_CHILD="+mode), env...)
	return runChild(t, cmd)
}

func runChild(t *testing.T, cmd *exec.Cmd) *child {
	t.Helper()
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, exited: make(chan struct{})}
	go func() { cmd.Wait(); close(c.exited) }() // reap, so it does not linger as a zombie
	t.Cleanup(func() { cmd.Process.Kill(); <-c.exited })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("%v printed nothing: %v", cmd.Args, err)
	}
	c.line = strings.Fields(line)
	if len(c.line) == 0 || c.line[0] == "error" {
		t.Fatalf("%v: %s", cmd.Args, line)
	}
	return c
}

// requireRoot skips a test that needs root, or fails it where root is
// promised (make test under CI, LOOPSCOPE_STRICT=1).
func requireRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() == 0 {
		return
	}
	if os.Getenv("LOOPSCOPE_STRICT") == "1" {
		t.Fatal("this test needs root, and LOOPSCOPE_STRICT=1 says it has it")
	}
	t.Skip("needs root")
}

// requireTool finds a program the test compares against.
func requireTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	if os.Getenv("LOOPSCOPE_STRICT") == "1" {
		t.Fatalf("%s not found; run 'make deps'", name)
	}
	t.Skipf("%s not found", name)
	return ""
}

// ssEntry is one socket as ss prints it.
type ssEntry struct {
	state, local, peer string
	pids               []int32
	inode              uint32
}

var (
	ssPID   = regexp.MustCompile(`pid=(\d+)`)
	ssInode = regexp.MustCompile(`ino:(\d+)`)
)

// ssSockets asks ss about the sockets whose local port is port: flags are
// ss's own ("-tln", "-tan", "-uan").
func ssSockets(t *testing.T, flags string, port uint16) []ssEntry {
	t.Helper()
	ss := requireTool(t, "ss")
	out, err := exec.Command(ss, "-H", "-p", "-e", flags, "sport", "=", ":"+strconv.Itoa(int(port))).Output()
	if err != nil {
		t.Fatalf("ss %s: %v", flags, err)
	}
	var entries []ssEntry
	for line := range strings.Lines(string(out)) {
		f := strings.Fields(line)
		if len(f) < 5 {
			continue
		}
		e := ssEntry{state: f[0], local: f[3], peer: f[4]}
		for _, m := range ssPID.FindAllStringSubmatch(line, -1) {
			pid, _ := strconv.Atoi(m[1])
			e.pids = append(e.pids, int32(pid))
		}
		slices.Sort(e.pids)
		e.pids = slices.Compact(e.pids)
		if m := ssInode.FindStringSubmatch(line); m != nil {
			n, _ := strconv.ParseUint(m[1], 10, 32)
			e.inode = uint32(n)
		}
		entries = append(entries, e)
	}
	return entries
}

// holderPIDs are a socket's holders' PIDs, in order.
func holderPIDs(s Socket) []int32 {
	var pids []int32
	for _, h := range s.Holders {
		pids = append(pids, h.PID)
	}
	return pids
}

// asUser runs the test binary as uid/gid in mode and returns its stdout.
// The binary is copied where that user may run it.
func asUser(t *testing.T, uid uint32, mode string, env ...string) []byte {
	t.Helper()
	bin := copyForAnyone(t)
	cmd := exec.Command(bin, "-test.run=^$")
	cmd.Dir = filepath.Dir(bin)
	cmd.Env = append(append(os.Environ(), "NETINFO_TEST_CHILD="+mode), env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uid, Gid: uid}}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s as uid %d: %v\n%s", mode, uid, err, stderr.String())
	}
	return out
}

// copyForAnyone copies the test binary into a directory every user may
// read, once per test.
func copyForAnyone(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "netinfo-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	src, err := os.Open(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	bin := filepath.Join(dir, "netinfo.test")
	dst, err := os.OpenFile(bin, os.O_CREATE|os.O_WRONLY, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
	return bin
}

// decodeSockets reads AppendJSON's output back.
func decodeSockets(t *testing.T, b []byte) []Socket {
	t.Helper()
	var out []Socket
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("decode snapshot: %v\n%s", err, b)
	}
	return out
}
