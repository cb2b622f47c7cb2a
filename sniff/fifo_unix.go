//go:build !windows

package sniff

import "syscall"

// mkfifo makes a named pipe only this user may open.
func mkfifo(path string) error { return syscall.Mkfifo(path, 0o600) }
