package sniff

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// somePackets are n TCP packets on loopback, a millisecond apart.
func somePackets(t testing.TB, n int) []Record {
	t.Helper()
	var recs []Record
	for i := range n {
		data := build(t, eth(layers.EthernetTypeIPv4), ip4(layers.IPProtocolTCP),
			&layers.TCP{SrcPort: layers.TCPPort(40000 + i), DstPort: 8080, ACK: true, Seq: uint32(i)}, gopacket.Payload(bytes.Repeat([]byte{'x'}, i)))
		recs = append(recs, Record{Data: data, Link: layers.LinkTypeEthernet,
			CI: gopacket.CaptureInfo{Timestamp: time.Unix(1700000000, int64(i)*1e6).UTC(), Length: len(data), CaptureLength: len(data)}})
	}
	return recs
}

func readAll(t *testing.T, r *FileReader) ([]Record, error) {
	t.Helper()
	var out []Record
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		rec.Data = bytes.Clone(rec.Data) // the reader's buffer is reused
		out = append(out, rec)
	}
}

func TestSaveAndOpenPcap(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cap.pcap")
	want := somePackets(t, 5)
	if err := SaveFile(path, layers.LinkTypeEthernet, want); err != nil {
		t.Fatal(err)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*tmp")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
	r, err := OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got, err := readAll(t, r)
	if err != nil || len(got) != len(want) || r.Format != "pcap" {
		t.Fatalf("read %d packets (%s), %v", len(got), r.Format, err)
	}
	for i := range want {
		if !bytes.Equal(got[i].Data, want[i].Data) || !got[i].CI.Timestamp.Equal(want[i].CI.Timestamp) || got[i].Link != layers.LinkTypeEthernet {
			t.Errorf("packet %d differs: %v vs %v", i, got[i].CI, want[i].CI)
		}
	}
}

func TestOpenPcapng(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cap.pcapng")
	f, _ := os.Create(path)
	w, err := pcapgo.NewNgWriter(f, layers.LinkTypeEthernet)
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range somePackets(t, 3) {
		if err := w.WritePacket(rec.CI, rec.Data); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	f.Close()
	r, err := OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got, err := readAll(t, r)
	if err != nil || len(got) != 3 || r.Format != "pcapng" || got[2].Link != layers.LinkTypeEthernet {
		t.Fatalf("read %d (%s), %v", len(got), r.Format, err)
	}
}

// A file cut in the middle of a packet gives the packets before the cut
// and says where it stopped; a record claiming gigabytes stops there too,
// without allocating them.
func TestDamagedFiles(t *testing.T) {
	var buf bytes.Buffer
	w, _ := NewWriter(&buf, layers.LinkTypeEthernet, MaxSnaplen)
	for _, rec := range somePackets(t, 4) {
		w.Write(rec)
	}
	w.Flush()
	full := buf.Bytes()

	r, err := NewFileReader(bytes.NewReader(full[:len(full)-10]))
	if err != nil {
		t.Fatal(err)
	}
	got, err := readAll(t, r)
	var dmg *DamageError
	start := int64(24)
	for _, rec := range got {
		start += 16 + int64(len(rec.Data))
	}
	if !errors.As(err, &dmg) || len(got) != 3 || dmg.Packets != 3 || dmg.Offset != start ||
		!strings.Contains(err.Error(), "after packet 3, in the record at byte "+strconv.FormatInt(start, 10)) {
		t.Errorf("cut file: %d packets, %v (want the record at byte %d)", len(got), err, start)
	}

	// Cut right after the last record's header: gopacket reads that as a
	// clean end (its bytes' read finds nothing at all); it is damage too.
	r, _ = NewFileReader(bytes.NewReader(full[:start+16]))
	got, err = readAll(t, r)
	if !errors.As(err, &dmg) || len(got) != 3 || dmg.Packets != 3 || dmg.Offset != start || !strings.Contains(err.Error(), "ends in the middle of a packet") {
		t.Errorf("file cut after a record's header: %d packets, %v", len(got), err)
	}
	r, _ = NewFileReader(bytes.NewReader(full[:start])) // cut between records: a clean end
	if got, err = readAll(t, r); err != nil || len(got) != 3 {
		t.Errorf("file cut between records: %d packets, %v; want 3 and a clean end", len(got), err)
	}

	huge := bytes.Clone(full)
	// The first record's header starts after the 24-byte file header; its
	// captured length is at bytes 8..12 of it.
	copy(huge[24+8:], []byte{0xff, 0xff, 0xff, 0x7f})
	r, _ = NewFileReader(bytes.NewReader(huge))
	got, err = readAll(t, r)
	if !errors.As(err, &dmg) || len(got) != 0 || dmg.Packets != 0 {
		t.Errorf("huge record: %d packets, %v", len(got), err)
	}

	if _, err := NewFileReader(bytes.NewReader(full[:20])); err == nil || !strings.Contains(err.Error(), "ends inside its 24-byte file header") {
		t.Errorf("a pcap file cut in its header: %v", err)
	}
	if _, err := NewFileReader(bytes.NewReader([]byte("not pcap, 12"))); err == nil || strings.Contains(err.Error(), "cut short") {
		t.Errorf("12 bytes of text: %v", err)
	}
	for _, junk := range [][]byte{nil, []byte("hi"), []byte("this is not a capture file at all")} {
		if _, err := NewFileReader(bytes.NewReader(junk)); err == nil || !strings.Contains(err.Error(), "capture file") && !strings.Contains(err.Error(), "pcap") {
			t.Errorf("junk %q: %v", junk, err)
		}
	}
}

// FuzzFileReader: no file makes the reader panic or run away; whatever
// it reads, it reads in order until a clean end or a damage report.
func FuzzFileReader(f *testing.F) {
	var buf bytes.Buffer
	w, _ := NewWriter(&buf, layers.LinkTypeEthernet, MaxSnaplen)
	for _, rec := range somePackets(f, 2) {
		w.Write(rec)
	}
	w.Flush()
	f.Add(buf.Bytes())
	var ng bytes.Buffer
	nw, _ := pcapgo.NewNgWriter(&ng, layers.LinkTypeEthernet)
	for _, rec := range somePackets(f, 2) {
		nw.WritePacket(rec.CI, rec.Data)
	}
	nw.Flush()
	f.Add(ng.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewFileReader(bytes.NewReader(data))
		if err != nil {
			return
		}
		for range 10000 {
			rec, err := r.Next()
			if err != nil {
				var dmg *DamageError
				if err != io.EOF && !errors.As(err, &dmg) {
					t.Fatalf("an error that is neither the end nor damage: %v", err)
				}
				return
			}
			if len(rec.Data) > len(data) {
				t.Fatalf("a %d-byte record from a %d-byte file", len(rec.Data), len(data))
			}
		}
	})
}

// tcpdump reads what SaveFile writes, packet for packet.
func TestTcpdumpReadsSavedFiles(t *testing.T) {
	tcpdump, err := exec.LookPath("tcpdump")
	if err != nil {
		if os.Getenv("LOOPSCOPE_STRICT") == "1" {
			t.Fatal("tcpdump not found; run 'make deps'")
		}
		t.Skip("tcpdump not found")
	}
	path := filepath.Join(t.TempDir(), "for-tcpdump.pcap")
	if err := SaveFile(path, layers.LinkTypeEthernet, somePackets(t, 6)); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tcpdump, "-nn", "-r", path).CombinedOutput()
	if err != nil {
		t.Fatalf("tcpdump: %v\n%s", err, out)
	}
	if n := strings.Count(string(out), "> 127.0.0.2.8080:"); n != 6 {
		t.Errorf("tcpdump read %d of 6 packets:\n%s", n, out)
	}
}
