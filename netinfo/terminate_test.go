package netinfo

import (
	"errors"
	"os"
	"testing"
	"time"
)

// recorder is a processControl that records signals instead of sending them.
type recorder struct {
	started time.Time
	sent    []os.Signal
}

func (r *recorder) open(pid int32) (processHandle, error) { return recHandle{r}, nil }
func (r *recorder) startTime(int32) (time.Time, error)    { return r.started, nil }

type recHandle struct{ r *recorder }

func (h recHandle) Signal(s os.Signal) error { h.r.sent = append(h.r.sent, s); return nil }
func (h recHandle) Release() error           { return nil }

func TestTerminateRefusals(t *testing.T) {
	started := time.UnixMilli(1_700_000_000_000)
	tests := []struct {
		name    string
		owner   Owner
		wantErr error
	}{
		{"pid 0", Owner{PID: 0, Started: started}, ErrRefused},
		{"pid 1", Owner{PID: 1, Started: started}, ErrRefused},
		{"self", Owner{PID: 100, Started: started}, ErrRefused},
		{"parent", Owner{PID: 99, Started: started}, ErrRefused},
		{"hidden owner", Owner{PID: 0, OwnerHidden: true}, ErrRefused},
		{"unknown start time", Owner{PID: 500}, ErrRefused},
		{"start-time mismatch (PID reused)", Owner{PID: 500, Started: started.Add(-time.Second)}, ErrExited},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{started: started}
			term := &Terminator{ctl: rec, self: 100, parent: 99}
			if err := term.Signal(tt.owner, true); !errors.Is(err, tt.wantErr) {
				t.Errorf("Signal = %v, want %v", err, tt.wantErr)
			}
			if len(rec.sent) != 0 {
				t.Errorf("signals sent: %v, want none", rec.sent)
			}
		})
	}
	t.Run("matching start time is signalled", func(t *testing.T) {
		rec := &recorder{started: started}
		term := &Terminator{ctl: rec, self: 100, parent: 99}
		if err := term.Signal(Owner{PID: 500, Started: started}, false); err != nil || len(rec.sent) != 1 {
			t.Errorf("Signal = %v with %d signals, want nil with 1", err, len(rec.sent))
		}
	})
}

func TestParsePort(t *testing.T) {
	tests := []struct {
		in     string
		want   uint16
		wantOK bool
	}{{"80", 80, true}, {"65535", 65535, true}, {"0", 0, false}, {"65536", 0, false}, {"http", 0, false}, {"-1", 0, false}}
	for _, tt := range tests {
		got, err := ParsePort(tt.in)
		if got != tt.want || (err == nil) != tt.wantOK {
			t.Errorf("ParsePort(%q) = %d, %v", tt.in, got, err)
		}
	}
}
