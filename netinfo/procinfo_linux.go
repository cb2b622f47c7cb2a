package netinfo

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// This file reads processes straight from /proc: one small read of
// /proc/PID/stat tells a process apart from a later one with the same PID,
// and the rest is read once per process.

// userHZ is the unit of /proc/PID/stat's start time: fixed at 100 by the
// kernel's ABI on every architecture Go supports on Linux.
const userHZ = 100

var (
	bootOnce sync.Once
	bootMs   int64 // boot time, ms since the epoch
)

// bootTime reads the boot time once: /proc/stat's btime is recomputed from
// the clock and can move by a second after a clock adjustment, which must
// not make a process look like another one.
func bootTime() int64 {
	bootOnce.Do(func() {
		b, err := os.ReadFile("/proc/stat")
		if err != nil {
			return
		}
		for line := range strings.Lines(string(b)) {
			if v, ok := strings.CutPrefix(line, "btime "); ok {
				s, _ := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
				bootMs = s * 1000
			}
		}
	})
	return bootMs
}

func procPath(pid int32, name string) string {
	return "/proc/" + strconv.Itoa(int(pid)) + "/" + name
}

// statProcess reads /proc/PID/stat: the process's identity (start time and
// kernel name) and whether it still runs. A process that is exiting
// (killed, its threads tearing down) has exited; one whose main thread
// has exited while other threads go on still runs.
func statProcess(pid int32) (procID, error) {
	b, err := os.ReadFile(procPath(pid, "stat"))
	if err != nil {
		return procID{}, errGone
	}
	st, ok := parseStat(b)
	if !ok {
		return procID{}, errGone
	}
	if (st.state == 'Z' || st.state == 'X' || st.flags&pfExiting != 0) && !liveThread(pid) {
		return procID{}, errGone // exiting, or a zombie waiting for its parent
	}
	return procID{start: bootTime() + int64(st.startTicks)*1000/userHZ, comm: st.comm, ppid: st.ppid}, nil
}

// procStat is the part of /proc/PID/stat Loopscope uses.
type procStat struct {
	comm       string
	state      byte
	ppid       int32
	flags      uint64 // PF_* flags
	threads    int
	startTicks uint64
}

// pfExiting is the kernel's PF_EXITING flag: the process is exiting.
const pfExiting = 0x4

// parseStat parses /proc/PID/stat. The name sits between the first "("
// and the last ")" and may itself hold spaces and parentheses.
func parseStat(b []byte) (procStat, bool) {
	open, closing := bytes.IndexByte(b, '('), bytes.LastIndexByte(b, ')')
	if open < 0 || closing < open {
		return procStat{}, false
	}
	st := procStat{comm: string(b[open+1 : closing])}
	// Fields after the name, numbered as in proc(5): 3 state, 4 ppid,
	// 9 flags, 20 num_threads, 22 starttime.
	f := strings.Fields(string(b[closing+1:]))
	if len(f) < 20 || len(f[0]) != 1 {
		return procStat{}, false
	}
	st.state = f[0][0]
	ppid, err1 := strconv.ParseInt(f[1], 10, 32)
	flags, err2 := strconv.ParseUint(f[6], 10, 64)
	threads, err3 := strconv.Atoi(f[17])
	start, err4 := strconv.ParseUint(f[19], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil || err4 != nil {
		return procStat{}, false
	}
	st.ppid, st.flags, st.threads, st.startTicks = int32(ppid), flags, threads, start
	return st, true
}

// readProcess reads a process's details. Details the OS withholds
// (another user's executable path) are left empty with a note.
func readProcess(pid int32, id procID, users *userNames) (Owner, error) {
	o := Owner{PID: pid, Started: time.UnixMilli(id.start), Parent: id.ppid}
	exe, exeErr := readExe(pid)
	o.Exe = exe
	cmdline, _ := os.ReadFile(procPath(pid, "cmdline"))
	argv0, _, _ := bytes.Cut(cmdline, []byte{0})
	o.Cmdline = joinArgs(cmdline)
	o.Process = processName(id.comm, exe, string(argv0))
	if errors.Is(exeErr, fs.ErrPermission) {
		o.OwnerNote = "The executable path is hidden: the process belongs to another user, or changed user after it started. Run with administrator rights to see it."
	}
	if uids, err := readUIDs(pid); err == nil {
		o.User = users.name(uids[1]) // effective uid: whose rights the process has
	}
	o.Manager = managerOf(pid)
	if again, err := statProcess(pid); err != nil || again.start != id.start {
		return Owner{}, errGone // exited while we read it: what we read may be another process's
	}
	return o, nil
}

// readExe reads the executable's path. When the main thread has exited,
// /proc/PID/exe is gone but a remaining thread still knows it.
func readExe(pid int32) (string, error) {
	exe, err := os.Readlink(procPath(pid, "exe"))
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return strings.TrimSuffix(exe, " (deleted)"), err
	}
	tasks, _ := os.ReadDir(procPath(pid, "task"))
	for _, t := range tasks {
		if exe, err := os.Readlink(procPath(pid, "task/"+t.Name()+"/exe")); err == nil {
			return strings.TrimSuffix(exe, " (deleted)"), nil
		}
	}
	return "", err
}

// joinArgs turns /proc/PID/cmdline's NUL-separated arguments into one
// line, as ps shows it.
func joinArgs(b []byte) string {
	b = bytes.TrimRight(b, "\x00")
	return string(bytes.ReplaceAll(b, []byte{0}, []byte{' '}))
}

// readUIDs reads the real, effective, saved and filesystem uids from
// /proc/PID/status.
func readUIDs(pid int32) ([4]uint32, error) {
	var uids [4]uint32
	b, err := os.ReadFile(procPath(pid, "status"))
	if err != nil {
		return uids, err
	}
	for line := range strings.Lines(string(b)) {
		v, ok := strings.CutPrefix(line, "Uid:")
		if !ok {
			continue
		}
		f := strings.Fields(v)
		if len(f) != 4 {
			break
		}
		for i := range f {
			n, err := strconv.ParseUint(f[i], 10, 32)
			if err != nil {
				return uids, err
			}
			uids[i] = uint32(n)
		}
		return uids, nil
	}
	return uids, syscall.EINVAL
}

// processName chooses the name shown for a process. The kernel's name
// (comm) comes first: a process can write anything into its argv[0]
// ("exec -a sshd"), so argv[0] and the executable's name only lengthen a
// comm the kernel cut at 15 bytes, and only when they start with it.
func processName(comm, exe, argv0 string) string {
	const commMax = 15 // TASK_COMM_LEN - 1
	if len(comm) < commMax {
		return comm
	}
	for _, full := range []string{filepath.Base(exe), filepath.Base(argv0)} {
		if full != "." && full != "/" && len(full) > len(comm) && strings.HasPrefix(full, comm) {
			return full
		}
	}
	return comm
}

// liveThread reports whether a thread of pid other than the main one
// runs and is not exiting: the process lives on after its main thread
// exited. When the whole process is dying, every thread is exiting.
func liveThread(pid int32) bool {
	tasks, err := os.ReadDir(procPath(pid, "task"))
	if err != nil {
		return false
	}
	self := strconv.Itoa(int(pid))
	for _, t := range tasks {
		if t.Name() == self {
			continue
		}
		b, err := os.ReadFile(procPath(pid, "task/"+t.Name()+"/stat"))
		if err != nil {
			continue
		}
		if st, ok := parseStat(b); ok && st.state != 'Z' && st.state != 'X' && st.flags&pfExiting == 0 && !killPending(pid, t.Name()) {
			return true
		}
	}
	return false
}

// killPending reports whether SIGKILL waits for a thread: the whole
// process is being killed, and the thread has not started to exit yet.
func killPending(pid int32, tid string) bool {
	b, err := os.ReadFile(procPath(pid, "task/"+tid+"/status"))
	if err != nil {
		return true // gone
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, "SigPnd:"); ok {
			mask, err := strconv.ParseUint(strings.TrimSpace(v), 16, 64)
			return err == nil && mask&(1<<(9-1)) != 0 // SIGKILL is signal 9
		}
	}
	return false
}

// anyExiting reports whether some process is in the middle of exiting:
// it has let go of its descriptors, but the kernel may not have closed
// its sockets yet. A zombie has finished: its sockets are closed.
func anyExiting() bool {
	for _, pid := range listPIDs() {
		b, err := os.ReadFile(procPath(pid, "stat"))
		if err != nil {
			continue
		}
		if st, ok := parseStat(b); ok && st.flags&pfExiting != 0 && st.state != 'Z' && st.state != 'X' {
			return true
		}
	}
	return false
}
