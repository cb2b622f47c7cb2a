package diagnose

import (
	"context"
	"net"
	"testing"

	"github.com/loopscope/loopscope/netinfo"
)

// BenchmarkDiagnose: a whole diagnosis of a loopback listener, every
// probe included (the issue asks for at most 2 s; the probes run side by
// side, 500 ms at most each).
func BenchmarkDiagnose(b *testing.B) {
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	port := uint16(l.Addr().(*net.TCPAddr).Port)
	sc := netinfo.NewScanner()
	for b.Loop() {
		if _, err := Run(context.Background(), sc, port); err != nil {
			b.Fatal(err)
		}
	}
}
