package sniff

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcap"

	"github.com/loopscope/loopscope/internal/npcap"
)

// readTimeout is how long one read waits for a packet before it looks
// whether the capture was stopped: Stop takes effect within it.
const readTimeout = 100 * time.Millisecond

// Errors a live capture can return.
var (
	// ErrPermission: this process may not capture on the interface.
	ErrPermission = errors.New("no permission to capture")
	// ErrFilter: libpcap could not compile the capture filter; the error
	// carries libpcap's reason.
	ErrFilter = errors.New("bad capture filter")
	// ErrStopped: Next after Stop.
	ErrStopped = errors.New("capture stopped")
)

// LiveConfig says what to capture.
type LiveConfig struct {
	Interface string // "lo", "eth0", "any"…
	Filter    string // a BPF filter, like "tcp port 8080"; "" for every packet
	Snaplen   int    // bytes kept of each packet; 0 for MaxSnaplen
	Promisc   bool   // also packets for other machines (off by default)
	Buffer    int    // the kernel buffer, bytes; 0 for 8 MiB
}

// Live is a capture on an interface through libpcap.
type Live struct {
	h       *pcap.Handle
	link    layers.LinkType
	iface   string
	stopped atomic.Bool
	idle    func()
}

// OnIdle sets fn to run, on the reading goroutine, whenever a read waited
// readTimeout without a packet: a moment to flush output.
func (l *Live) OnIdle(fn func()) { l.idle = fn }

// knownInterfaces names the interfaces there are, for an error.
func knownInterfaces() string {
	ifs, err := Interfaces()
	if err != nil || len(ifs) == 0 {
		return "this machine lists none"
	}
	names := make([]string, 0, len(ifs))
	for _, i := range ifs {
		names = append(names, i.Name)
	}
	return "choose one of " + strings.Join(names, ", ")
}

// CaptureReady reports whether this system can capture at all, and on
// loopback: on Windows that takes Npcap, with its loopback support;
// elsewhere libpcap comes with the system. The error says what to do.
func CaptureReady() (loopback bool, err error) { return npcap.Check() }

// OpenLive starts capturing. The filter is compiled for the interface's
// link type before the first packet is read.
func OpenLive(cfg LiveConfig) (*Live, error) {
	if _, err := CaptureReady(); err != nil {
		return nil, err
	}
	snap := cfg.Snaplen
	if snap <= 0 || snap > MaxSnaplen {
		snap = MaxSnaplen
	}
	buffer := cfg.Buffer
	if buffer <= 0 {
		buffer = 8 << 20
	}
	in, err := pcap.NewInactiveHandle(cfg.Interface)
	if err != nil {
		return nil, liveError(cfg.Interface, err)
	}
	defer in.CleanUp()
	for _, set := range []func() error{
		func() error { return in.SetSnapLen(snap) },
		func() error { return in.SetPromisc(cfg.Promisc) },
		func() error { return in.SetTimeout(readTimeout) },
		// Not immediate mode: the kernel hands packets over in blocks, at
		// the latest every readTimeout, instead of waking the reader for
		// each one; at 100,000 packets a second that is what keeps up.
		func() error { return in.SetBufferSize(buffer) },
	} {
		if err := set(); err != nil {
			return nil, liveError(cfg.Interface, err)
		}
	}
	h, err := in.Activate()
	if err != nil {
		return nil, liveError(cfg.Interface, err)
	}
	if f := strings.TrimSpace(cfg.Filter); f != "" {
		if err := h.SetBPFFilter(f); err != nil {
			h.Close()
			return nil, fmt.Errorf("%w %q: %s", ErrFilter, f, pcapReason(err))
		}
	}
	return &Live{h: h, link: h.LinkType(), iface: cfg.Interface}, nil
}

// liveError names the interface and turns libpcap's permission refusal
// into ErrPermission.
func liveError(iface string, err error) error {
	msg := err.Error()
	low := strings.ToLower(msg)
	if strings.Contains(low, "permission") || strings.Contains(low, "not permitted") {
		return fmt.Errorf("%w on %s (%s)", ErrPermission, iface, msg)
	}
	if strings.Contains(low, "not up") {
		return fmt.Errorf("the interface %s is down: bring it up (ip link set %s up), or choose another", iface, iface)
	}
	if strings.Contains(low, "no such device") {
		return fmt.Errorf("there is no interface %q here: %s (%s)", iface, knownInterfaces(), msg)
	}
	return fmt.Errorf("capture on %s: %s", iface, msg)
}

// pcapReason is libpcap's own words from an error gopacket wrapped.
func pcapReason(err error) string {
	return strings.TrimPrefix(err.Error(), "Error: ")
}

// CheckFilter compiles a capture filter for an Ethernet-like link, as a
// check while it is typed: "" when it compiles, else libpcap's reason.
func CheckFilter(filter string) string {
	if strings.TrimSpace(filter) == "" {
		return ""
	}
	if _, err := pcap.CompileBPFFilter(layers.LinkTypeEthernet, MaxSnaplen, filter); err != nil {
		return pcapReason(err)
	}
	return ""
}

// LinkType is the link type of the captured packets.
func (l *Live) LinkType() layers.LinkType { return l.link }

// Next returns the next packet. Its Data belongs to the capture until the
// next call: copy what is kept. After Stop it returns ErrStopped within
// readTimeout.
func (l *Live) Next() (Record, error) {
	for {
		if l.stopped.Load() {
			return Record{}, ErrStopped
		}
		data, ci, err := l.h.ZeroCopyReadPacketData()
		switch {
		case err == nil:
			return Record{Data: data, CI: ci, Link: l.link}, nil
		case errors.Is(err, pcap.NextErrorTimeoutExpired):
			if l.idle != nil {
				l.idle()
			}
			continue
		case err == io.EOF:
			return Record{}, ErrStopped
		}
		return Record{}, fmt.Errorf("capture on %s: %w", l.iface, err)
	}
}

// Stop makes Next return ErrStopped: safe from any goroutine.
func (l *Live) Stop() { l.stopped.Store(true) }

// Stats are the kernel's counts for the capture.
type Stats struct {
	Received int // packets the filter passed
	Dropped  int // packets the kernel dropped: the buffer was full
}

// Stats reads the kernel's counts.
func (l *Live) Stats() (Stats, error) {
	s, err := l.h.Stats()
	if err != nil {
		return Stats{}, err
	}
	// Not PacketsIfDropped: that is the interface's own count (/proc/net/dev),
	// of packets no capture would have seen either.
	return Stats{Received: s.PacketsReceived, Dropped: s.PacketsDropped}, nil
}

// Close ends the capture; call it from the goroutine that reads, or when
// none does.
func (l *Live) Close() { l.h.Close() }
