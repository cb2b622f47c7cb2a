//go:build cgo || windows

package sniff

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strings"
	"sync/atomic"

	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcap"
)

// What needs libpcap: gopacket's pcap package links it with cgo (on
// Windows it loads Npcap's wpcap.dll). Builds without cgo get
// pcap_none.go, which says so.

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

// Interfaces lists the devices libpcap can capture on: loopback first,
// then the ones that are up, by name; "any" (Linux) last.
func Interfaces() ([]Interface, error) {
	devs, err := pcap.FindAllDevs()
	if err != nil {
		return nil, err
	}
	out := make([]Interface, 0, len(devs))
	for _, d := range devs {
		i := Interface{Name: d.Name, Description: d.Description,
			Loopback: d.Flags&pcapIfLoopback != 0, Up: d.Flags&pcapIfUp != 0}
		if ni, err := net.InterfaceByName(d.Name); err == nil {
			i.Up = i.Up || ni.Flags&net.FlagUp != 0
			i.Loopback = i.Loopback || ni.Flags&net.FlagLoopback != 0
		}
		for _, a := range d.Addresses {
			if ip, ok := netip.AddrFromSlice(a.IP); ok {
				i.Addrs = append(i.Addrs, ip.Unmap())
			}
		}
		if d.Name == "any" && i.Description == "" {
			i.Description = "every interface at once"
		}
		out = append(out, i)
	}
	sortInterfaces(out)
	return out, nil
}
