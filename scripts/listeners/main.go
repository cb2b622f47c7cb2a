//go:build linux

// Command listeners opens a few sockets a developer's machine typically
// has, so that screenshots of Loopscope show something real: a dev server
// on 127.0.0.1:3000, a web server on 0.0.0.0:8080 shared by a parent and
// its child (like nginx's master and worker), Vite on [::]:5173, and a
// UDP socket on 127.0.0.1:5514. It runs until it is killed. Used by
// scripts/drive-window; not part of Loopscope.
package main

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
)

func main() {
	if os.Getenv("LISTENERS_CHILD") == "1" {
		signal.Ignore(syscall.SIGHUP)
		select {} // holds fd 3, the inherited listener
	}
	var keep []any
	for _, a := range []struct{ network, addr string }{{"tcp4", "127.0.0.1:3000"}, {"tcp", "[::]:5173"}} {
		l, err := net.Listen(a.network, a.addr)
		if err != nil {
			fmt.Fprintln(os.Stderr, "listeners:", err)
			continue
		}
		keep = append(keep, l)
	}
	if pc, err := net.ListenPacket("udp4", "127.0.0.1:5514"); err == nil {
		keep = append(keep, pc)
	}
	if l, err := net.Listen("tcp4", "0.0.0.0:8080"); err == nil {
		f, _ := l.(*net.TCPListener).File()
		child := exec.Command(os.Args[0])
		child.Env = append(os.Environ(), "LISTENERS_CHILD=1")
		child.ExtraFiles = []*os.File{f}
		child.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
		if err := child.Start(); err == nil {
			keep = append(keep, l, child)
		}
	}
	fmt.Println("listening")
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	<-stop
	_ = keep
}
