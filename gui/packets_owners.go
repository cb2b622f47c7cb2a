package gui

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
	"github.com/loopscope/loopscope/netinfo"
	"github.com/loopscope/loopscope/sniff"
)

// ownersEvery is how often the Packets tab reads which program holds
// which local socket: sockets change far more slowly than packets come.
const ownersEvery = 2 * time.Second

// owners names the program at a local end of a packet: the window joins
// the netinfo snapshot to the packets (sniff knows nothing of programs).
type owners struct {
	at    time.Time
	names map[ownerKey]string
	cells map[[2]string]string // Programs cells made, so rows share them
}

type ownerKey struct {
	transport string // "TCP" or "UDP"
	ap        netip.AddrPort
}

// ownersRetry is how soon a packet from an end no program was known for
// makes the tab look again: a server just started, a client just
// connected.
const ownersRetry = 300 * time.Millisecond

// refresh reads the sockets again when the last look is old, or a little
// old and some packet comes from an end it did not know; it runs on the
// poll goroutine.
func (o *owners) refresh(src SnapshotSource, entries []*sniff.Entry) {
	if src == nil {
		return
	}
	age := time.Since(o.at)
	if age < ownersEvery && (age < ownersRetry || !o.missing(entries)) {
		return
	}
	o.at = time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	snap, err := src.Snapshot(ctx, netinfo.AllSockets)
	if err != nil {
		return // the column keeps the last names
	}
	names := make(map[ownerKey]string, len(snap.Sockets))
	for _, s := range snap.Sockets {
		if len(s.Holders) == 0 {
			continue
		}
		h := s.Holders[0]
		name := fmt.Sprintf("%s (%d)", safe(h.Process), h.PID)
		names[ownerKey{string(transportOf(s.Proto)), netip.AddrPortFrom(s.LocalIP.Unmap(), s.LocalPort)}] = name
	}
	o.names, o.cells = names, nil
}

func transportOf(p netinfo.Proto) string {
	if p == netinfo.UDP {
		return "UDP"
	}
	return "TCP"
}

// missing reports whether a packet with ports has no known program at
// either end.
func (o *owners) missing(entries []*sniff.Entry) bool {
	for _, e := range entries {
		p := &e.Packet
		if p.HasPorts() && o.name(p, true) == "" && o.name(p, false) == "" {
			return true
		}
	}
	return false
}

// name is the program at an end of p; "" when the end is not a local
// socket Loopscope can name. A listener on 0.0.0.0 or :: owns every
// address's port.
func (o *owners) name(p *sniff.Packet, src bool) string {
	t := p.Transport()
	if t == "" || o.names == nil {
		return ""
	}
	a, port := p.Dst, p.DstPort
	if src {
		a, port = p.Src, p.SrcPort
	}
	if n, ok := o.names[ownerKey{t, netip.AddrPortFrom(a, port)}]; ok {
		return n
	}
	for _, any := range []netip.Addr{netip.IPv4Unspecified(), netip.IPv6Unspecified()} {
		if n, ok := o.names[ownerKey{t, netip.AddrPortFrom(any, port)}]; ok {
			return n
		}
	}
	return ""
}

// programs is the Programs cell: "curl (99) → python3 (4242)".
func (o *owners) programs(p *sniff.Packet) string {
	s, d := o.name(p, true), o.name(p, false)
	if s == "" && d == "" {
		return "—"
	}
	if c, ok := o.cells[[2]string{s, d}]; ok {
		return c
	}
	if o.cells == nil {
		o.cells = map[[2]string]string{}
	}
	c := dashIfEmpty(s) + " → " + dashIfEmpty(d)
	o.cells[[2]string{s, d}] = c
	return c
}

// cell draws a packet's cell; the Programs cell names an end that had no
// known program when its packet came, once one is known (a client's
// first packets come before Loopscope has read its new socket), and
// never changes an end already named: a later program on the same port
// is another one.
func (v *packetsView) cell(r *packetRow, col int) cellView {
	if col == pcolProg && r.progAt != v.knownAt && strings.Contains(r.prog, "—") && v.known.names != nil {
		r.progAt = v.knownAt
		src, dst, ok := strings.Cut(r.prog, " → ")
		if !ok { // "—": neither end was known
			src, dst = "—", "—"
		}
		if n := v.known.name(&r.e.Packet, true); src == "—" && n != "" {
			src = n
		}
		if n := v.known.name(&r.e.Packet, false); dst == "—" && n != "" {
			dst = n
		}
		if src != "—" || dst != "—" {
			r.prog = src + " → " + dst
			r.search = "" // made again with the names
		}
	}
	return r.cell(col)
}

// showMenu is a packet's right-click menu: copy it, follow its
// conversation, diagnose the ports at its ends. The items keep values,
// never r: batches arrive while the menu is open, and the table moves
// or forgets its rows.
func (v *packetsView) showMenu(r *packetRow, at fyne.Position) {
	v.follow.SetChecked(false) // the packet clicked stays in view
	items := []*fyne.MenuItem{
		fyne.NewMenuItem("Copy", func() { v.copySelection() }),
		fyne.NewMenuItem("Copy all shown rows", v.copyAllShown),
	}
	if k := r.conv(); k.Transport != "" {
		items = append(items, fyne.NewMenuItem("Follow this conversation", func() { v.followConversation(&k) }))
		if k.Transport == "TCP" {
			items = append(items, fyne.NewMenuItem("Draw it as a ladder", func() { v.showLadder(k) }))
		}
		for _, port := range diagnosable(&r.e.Packet, v.ephemeral.Load()) {
			items = append(items, fyne.NewMenuItem(fmt.Sprintf("Diagnose port %d…", port), func() { v.diagnosePort(port) }))
		}
	}
	widget.ShowPopUpMenuAtPosition(fyne.NewMenu("", items...), v.w.Canvas(), at)
}

// diagnosable are the ports of p's ends worth diagnosing, the
// destination's first: both, but for a port the OS picked for a client's
// connection (in eph, its ephemeral range; nil when not known yet) when
// the other end's is not one — nothing listens on a client's port.
func diagnosable(p *sniff.Packet, eph *netinfo.PortRange) []uint16 {
	ports := []uint16{p.DstPort, p.SrcPort}
	if eph == nil {
		return ports
	}
	switch dst, src := eph.Contains(p.DstPort), eph.Contains(p.SrcPort); {
	case dst && !src:
		return ports[1:]
	case src && !dst:
		return ports[:1]
	}
	return ports
}
