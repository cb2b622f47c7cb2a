package sniff

import "testing"

func TestRingKeepsTheNewest(t *testing.T) {
	r := &Ring{Max: 5000}
	for i := 1; i <= 12345; i++ {
		r.Add(&Entry{Packet: Packet{No: uint64(i)}, Data: make([]byte, 10)})
	}
	if r.Len() != 5000 || r.Left() != 12345-5000 || r.Bytes() != 50000 {
		t.Fatalf("len %d, left %d, bytes %d", r.Len(), r.Left(), r.Bytes())
	}
	if r.At(0).No != 12345-4999 || r.At(4999).No != 12345 {
		t.Errorf("holds %d…%d", r.At(0).No, r.At(4999).No)
	}
	since := r.Since(12340)
	if len(since) != 5 || since[0].No != 12341 {
		t.Errorf("Since(12340): %d entries from %d", len(since), since[0].No)
	}
	if len(r.Since(0)) != 5000 || len(r.Since(12345)) != 0 || len(r.Since(^uint64(0))) != 0 {
		t.Error("Since at the ends")
	}
}

// The byte budget bounds memory whatever the packets' size.
func TestRingByteBudget(t *testing.T) {
	r := &Ring{Max: 1000, MaxBytes: 1 << 20}
	for i := 1; i <= 100; i++ {
		r.Add(&Entry{Packet: Packet{No: uint64(i)}, Data: make([]byte, 64<<10)})
	}
	if r.Bytes() > 1<<20 || r.Len() != 16 || r.At(r.Len()-1).No != 100 {
		t.Errorf("bytes %d, len %d", r.Bytes(), r.Len())
	}
	r.Reset()
	if r.Len() != 0 || r.Left() != 0 || r.Max != 1000 {
		t.Errorf("after Reset: %+v", r)
	}
}
