//go:build cgo || windows

package sniff

import (
	"fmt"
	"strings"

	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcap"
)

// Matcher applies a BPF capture filter to packets that were already
// captured (read from a file), as libpcap would have while capturing.
type Matcher struct{ bpf *pcap.BPF }

// NewMatcher compiles filter for packets of link; a bad filter gives
// ErrFilter with libpcap's reason. An empty filter matches everything.
func NewMatcher(link layers.LinkType, filter string) (*Matcher, error) {
	if strings.TrimSpace(filter) == "" {
		return &Matcher{}, nil
	}
	bpf, err := pcap.NewBPF(link, MaxSnaplen, filter)
	if err != nil {
		return nil, fmt.Errorf("%w %q: %s", ErrFilter, filter, pcapReason(err))
	}
	return &Matcher{bpf: bpf}, nil
}

// Matches reports whether rec passes the filter.
func (m *Matcher) Matches(rec Record) bool {
	if m.bpf == nil {
		return true
	}
	ci := rec.CI
	ci.CaptureLength = len(rec.Data)
	return m.bpf.Matches(ci, rec.Data)
}
