package serve

import (
	"io/fs"
	"os"
	"strings"

	"golang.org/x/sys/unix"
)

// openPlain is the quick way to a file: one openat2 call that fails if
// any name on the way is a symlink or leads out of the folder. For the
// usual request, a plain file under plain folders, it replaces a look at
// every name (resolve) with nothing. It reports false when it does not
// apply — a link on the way, a folder, a device, an old kernel — and the
// handler takes the careful way.
func (h *filesHandler) openPlain(segs []string) (*os.File, fs.FileInfo, bool) {
	if h.dirFD < 0 || len(segs) == 0 {
		return nil, nil, false
	}
	how := unix.OpenHow{
		// O_NONBLOCK: opening a FIFO must not wait for a writer.
		Flags:   unix.O_RDONLY | unix.O_CLOEXEC | unix.O_NOCTTY | unix.O_NONBLOCK,
		Resolve: unix.RESOLVE_NO_SYMLINKS | unix.RESOLVE_BENEATH | unix.RESOLVE_NO_MAGICLINKS,
	}
	name := strings.Join(segs, "/")
	fd, err := unix.Openat2(h.dirFD, name, &how)
	if err != nil {
		return nil, nil, false
	}
	f := os.NewFile(uintptr(fd), name)
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		f.Close()
		return nil, nil, false
	}
	return f, info, true
}

// openDirFD opens the folder for openPlain; -1 turns the quick way off.
func openDirFD(dir string) int {
	fd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return -1
	}
	return fd
}

func closeDirFD(fd int) {
	if fd >= 0 {
		unix.Close(fd)
	}
}
