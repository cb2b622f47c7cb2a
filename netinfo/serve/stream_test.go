package serve

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

func TestTCPEchoSendsBackAndLogs(t *testing.T) {
	s := start(t, Config{Kind: TCPEcho})
	c, err := net.Dial("tcp", s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	msg := []byte("hello\x00\x1b[31m\n")
	c.Write(msg)
	got := make([]byte, len(msg))
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.ReadFull(c, got); err != nil || !bytes.Equal(got, msg) {
		t.Fatalf("echo = %q, %v", got, err)
	}
	client := c.LocalAddr().String()
	c.Close()
	waitFor(t, func() bool { return s.Log().Total() >= 3 })
	entries, _, _ := s.Log().Since(0)
	if len(entries) != 3 {
		t.Fatalf("log: %+v", entries)
	}
	want := []string{"connected", fmt.Sprintf("echoed %d bytes", len(msg)), "closed"}
	for i, e := range entries {
		if e.Method != "TCP" || e.Path != want[i] || e.Client != client {
			t.Errorf("entry %d = %+v, want TCP %q from %s", i, e, want[i], client)
		}
	}
	if !bytes.Equal(entries[1].Preview, msg) || entries[2].Bytes != int64(len(msg)) {
		t.Errorf("preview %q, total %d", entries[1].Preview, entries[2].Bytes)
	}
	if s.Served() != 1 {
		t.Errorf("Served = %d", s.Served())
	}
}

func TestTCPEchoCloseCutsIdleConnections(t *testing.T) {
	s := start(t, Config{Kind: TCPEcho})
	c, err := net.Dial("tcp", s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	waitFor(t, func() bool { return s.Log().Total() >= 1 })
	s.Close() // returns only when the connection's goroutine is gone
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.Read(make([]byte, 1)); err != io.EOF && !strings.Contains(err.Error(), "reset") {
		t.Errorf("read after Close: %v, want EOF", err)
	}
	entries, _, _ := s.Log().Since(0)
	if last := entries[len(entries)-1]; last.Path != "closed" || last.Note != "server stopped" {
		t.Errorf("last entry %+v", last)
	}
}

func TestUDPEchoSendsEachDatagramBack(t *testing.T) {
	s := start(t, Config{Kind: UDPEcho})
	c, err := net.Dial("udp", s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	buf := make([]byte, 100)
	for _, msg := range []string{"one", "two two"} {
		c.Write([]byte(msg))
		n, err := c.Read(buf)
		if err != nil || string(buf[:n]) != msg {
			t.Fatalf("echo of %q = %q, %v", msg, buf[:n], err)
		}
	}
	waitFor(t, func() bool { return s.Log().Total() >= 2 }) // logged once sent: the client may read first
	entries, _, _ := s.Log().Since(0)
	if len(entries) != 2 || entries[1].Path != "echoed 7 bytes" || entries[1].Method != "UDP" || string(entries[1].Preview) != "two two" {
		t.Errorf("log %+v", entries)
	}
	if s.Served() != 2 {
		t.Errorf("Served = %d", s.Served())
	}
}
