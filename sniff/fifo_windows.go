package sniff

import "errors"

// mkfifo: Windows has no named pipes in the file system. Only macOS's
// administrator prompt needs them (AdminScript is nil here).
func mkfifo(string) error {
	return errors.New("sniff: a detached capture helper needs a FIFO, which Windows does not have")
}
