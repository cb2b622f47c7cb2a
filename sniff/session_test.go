package sniff

import (
	"bytes"
	"path/filepath"
	"sync/atomic"
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
	if st.Oldest != 16 || st.Holds != 25 {
		t.Errorf("Oldest = %d, Holds = %d; want 16 and the ring's 25", st.Oldest, st.Holds)
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
	if all, _ := s.Packets(); SaveFile(out, layers.LinkTypeEthernet, all) != nil {
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

// endless is a source that never runs dry, as a flood: the same packets
// again and again until stopped.
type endless struct {
	recs    []Record
	i       int
	stopped atomic.Bool
}

func (e *endless) Next() (Record, error) {
	if e.stopped.Load() {
		return Record{}, ErrStopped
	}
	e.i++
	return e.recs[e.i%len(e.recs)], nil
}
func (e *endless) Stop()  { e.stopped.Store(true) }
func (e *endless) Close() {}

// A window keeps a view as the Packets table does: it drops the rows
// older than Oldest and appends what Since gave. Read together, the view
// holds exactly what the ring holds at every batch, however fast the
// packets come: a view that shrank and grew back changed the table's
// height at every batch, and Fyne then drew each batch twice.
func TestSinceStatsMatchItsPackets(t *testing.T) {
	s := StartSession(&endless{recs: somePackets(t, 16)}, Ring{Max: 500})
	defer s.Stop()
	var view []uint64
	var last uint64
	full := 0
	for range 300 {
		got, st := s.Since(last)
		drop := 0
		for drop < len(view) && view[drop] < st.Oldest {
			drop++
		}
		view = view[drop:]
		for _, e := range got {
			view = append(view, e.No)
		}
		if len(got) > 0 {
			last = got[len(got)-1].No
		}
		if len(view) != st.Held {
			t.Fatalf("the view holds %d packets, the ring %d (oldest %d)", len(view), st.Held, st.Oldest)
		}
		if st.Held == 500 {
			full++
		}
		time.Sleep(time.Millisecond)
	}
	if full < 100 {
		t.Errorf("the ring was full at only %d of 300 batches: the test did not overflow it", full)
	}
}
