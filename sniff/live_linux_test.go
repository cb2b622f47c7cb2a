package sniff

import (
	"errors"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// needCapture skips (fails under LOOPSCOPE_STRICT=1, which make test
// sets as root) when this process may not capture.
func needCapture(t *testing.T) {
	t.Helper()
	l, err := OpenLive(LiveConfig{Interface: "lo"})
	if err == nil {
		l.Close()
		return
	}
	if os.Getenv("LOOPSCOPE_STRICT") == "1" {
		t.Fatalf("cannot capture on lo: %v", err)
	}
	t.Skipf("cannot capture here: %v", err)
}

func TestInterfacesListLoopbackFirst(t *testing.T) {
	ifs, err := Interfaces()
	if err != nil {
		t.Fatal(err)
	}
	if len(ifs) == 0 || ifs[0].Name != "lo" || !ifs[0].Loopback || !ifs[0].Up {
		t.Fatalf("interfaces: %+v", ifs)
	}
	if LoopbackName() != "lo" {
		t.Errorf("LoopbackName = %q", LoopbackName())
	}
}

// A live capture on loopback with a filter sees our own UDP datagrams,
// decoded, and nothing the filter excludes; Stop ends it promptly.
func TestLiveCaptureOnLoopback(t *testing.T) {
	needCapture(t)
	pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	port := pc.LocalAddr().(*net.UDPAddr).Port
	l, err := OpenLive(LiveConfig{Interface: "lo", Filter: "udp dst port " + strconv.Itoa(port)})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	d, err := NewDecoder(l.LinkType())
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		c, err := net.Dial("udp4", pc.LocalAddr().String())
		if err != nil {
			return
		}
		defer c.Close()
		for i := 0; i < 3; i++ {
			c.Write([]byte("hello loopscope"))
			time.Sleep(20 * time.Millisecond)
		}
		other, _ := net.Dial("udp4", "127.0.0.1:9") // another port: filtered out
		other.Write([]byte("not me"))
		other.Close()
	}()
	for i := 0; i < 3; i++ {
		rec, err := l.Next()
		if err != nil {
			t.Fatal(err)
		}
		var p Packet
		d.Decode(rec.Data, rec.CI, &p)
		if p.Proto != ProtoUDP || int(p.DstPort) != port || p.Payload != len("hello loopscope") || p.Src.String() != "127.0.0.1" {
			t.Fatalf("packet %d: %+v (%s)", i, p, Info(&p, rec.Data))
		}
	}
	stopped := make(chan error)
	go func() {
		_, err := l.Next() // nothing else passes the filter: it waits
		stopped <- err
	}()
	time.Sleep(50 * time.Millisecond)
	start := time.Now()
	l.Stop()
	select {
	case err := <-stopped:
		if !errors.Is(err, ErrStopped) {
			t.Errorf("Next after Stop: %v", err)
		}
	case <-time.After(5 * time.Second): // a hang guard; the promise is readTimeout
		t.Fatal("Next did not return after Stop")
	}
	t.Logf("Stop took %v", time.Since(start))
	if s, err := l.Stats(); err != nil || s.Received < 3 {
		t.Errorf("stats %+v, %v", s, err)
	}
}

func TestBadFilterSaysWhy(t *testing.T) {
	if why := CheckFilter("tcp port"); why == "" || !strings.Contains(why, "syntax error") {
		t.Errorf("CheckFilter(tcp port) = %q", why)
	}
	if why := CheckFilter("tcp port 8080 or udp"); why != "" {
		t.Errorf("a good filter: %q", why)
	}
	needCapture(t)
	_, err := OpenLive(LiveConfig{Interface: "lo", Filter: "port nope"})
	if !errors.Is(err, ErrFilter) || !strings.Contains(err.Error(), "port nope") {
		t.Errorf("a bad filter: %v", err)
	}
	_, err = OpenLive(LiveConfig{Interface: "nosuchif0"})
	if err == nil || !strings.Contains(err.Error(), "nosuchif0") {
		t.Errorf("no such interface: %v", err)
	}
}

// A live session on loopback takes packets as they come and stops within
// a second of Stop.
func TestLiveSession(t *testing.T) {
	needCapture(t)
	pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	l, err := OpenLive(LiveConfig{Interface: "lo", Filter: "udp dst port " + strconv.Itoa(pc.LocalAddr().(*net.UDPAddr).Port)})
	if err != nil {
		t.Fatal(err)
	}
	s := StartSession(l, Ring{})
	c, _ := net.Dial("udp4", pc.LocalAddr().String())
	for range 10 {
		c.Write([]byte("ping"))
	}
	c.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if got, _ := s.Since(0); len(got) == 10 {
			break
		}
		if time.Now().After(deadline) {
			got, st := s.Since(0)
			t.Fatalf("%d packets, %+v", len(got), st)
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.Stop()
	select {
	case <-s.Done():
	default:
		t.Error("Stop returned before the session ended")
	}
	if _, st := s.Since(0); st.Running || st.Err != nil || st.Captured != 10 {
		t.Errorf("after Stop: %+v", st)
	}
}
