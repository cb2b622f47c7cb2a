package netinfo

import (
	"context"
	"net"
	"testing"
)

// openListeners opens n TCP listeners on 127.0.0.1 for the life of b.
func openListeners(b *testing.B, n int) {
	b.Helper()
	for range n {
		l, err := net.Listen("tcp4", "127.0.0.1:0")
		if err != nil {
			b.Fatalf("listen: %v", err)
		}
		b.Cleanup(func() { l.Close() })
	}
}

// BenchmarkSnapshotListening is one refresh of the Listening Ports tab
// with 200 extra listeners: the second and later snapshots of a Scanner,
// which reuse what it knows about processes.
func BenchmarkSnapshotListening(b *testing.B) {
	openListeners(b, 200)
	s := NewScanner()
	ctx := context.Background()
	if _, err := s.Snapshot(ctx, Listening); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := s.Snapshot(ctx, Listening); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSnapshotCold is the first snapshot of a new Scanner, as the
// command line takes it.
func BenchmarkSnapshotCold(b *testing.B) {
	openListeners(b, 200)
	ctx := context.Background()
	for b.Loop() {
		if _, err := NewScanner().Snapshot(ctx, Listening); err != nil {
			b.Fatal(err)
		}
	}
}
