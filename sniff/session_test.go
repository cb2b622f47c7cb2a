package sniff

import (
	"bytes"
	"path/filepath"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
)

func waitDone(t *testing.T, s *Session) {
	t.Helper()
	select {
	case <-s.Done():
	case <-time.After(10 * time.Second): // a hang guard
		t.Fatal("the session did not end")
	}
}

// A session over a file holds every packet, decoded and numbered, counts
// the conversations, and saves what it holds to a file that reads back.
func TestSessionFromAFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "in.pcap")
	recs := somePackets(t, 40)
	if err := SaveFile(path, layers.LinkTypeEthernet, recs); err != nil {
		t.Fatal(err)
	}
	r, err := OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := StartSession(NewFileSource(r), Ring{Max: 25})
	waitDone(t, s)
	got, st := s.Since(0)
	if st.Captured != 40 || st.Held != 25 || st.Left != 15 || st.Running || st.Err != nil || len(got) != 25 {
		t.Fatalf("stats %+v, %d packets", st, len(got))
	}
	if got[0].No != 16 || got[24].No != 40 || got[24].Proto != ProtoTCP || got[24].DstPort != 8080 {
		t.Errorf("holds %d…%d: %+v", got[0].No, got[24].No, got[24].Packet)
	}
	if more, _ := s.Since(38); len(more) != 2 || more[0].No != 39 {
		t.Errorf("Since(38) = %d packets", len(more))
	}
	if cs := s.Conversations(); len(cs) != 40 {
		t.Errorf("%d conversations, want 40 (each packet its own client port)", len(cs))
	}

	out := filepath.Join(t.TempDir(), "out.pcap")
	if err := SaveFile(out, layers.LinkTypeEthernet, s.Packets()); err != nil {
		t.Fatal(err)
	}
	back, _ := OpenFile(out)
	defer back.Close()
	again, err := readAll(t, back)
	if err != nil || len(again) != 25 || !bytes.Equal(again[0].Data, recs[15].Data) || !again[0].CI.Timestamp.Equal(recs[15].CI.Timestamp) {
		t.Errorf("saved and read back: %d packets, %v", len(again), err)
	}
}

// A damaged file ends the session with the damage as its error, after
// the packets before it.
func TestSessionReportsDamage(t *testing.T) {
	var buf bytes.Buffer
	w, _ := NewWriter(&buf, layers.LinkTypeEthernet, MaxSnaplen)
	for _, rec := range somePackets(t, 3) {
		w.Write(rec)
	}
	w.Flush()
	r, _ := NewFileReader(bytes.NewReader(buf.Bytes()[:buf.Len()-3]))
	s := StartSession(NewFileSource(r), Ring{})
	waitDone(t, s)
	if _, st := s.Since(0); st.Captured != 2 || st.Err == nil {
		t.Errorf("stats %+v", st)
	}
}
