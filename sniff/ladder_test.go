package sniff

import (
	"net"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// One HTTP exchange on loopback, as a capture has it: handshake, request,
// answer, goodbye. The ladder has its order, directions and labels, with
// sequence numbers relative to each side's start.
func TestLadderOfAnHTTPExchange(t *testing.T) {
	const c, s = 51000, 8080
	ip := func() *layers.IPv4 {
		return &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolTCP, SrcIP: net.IP{127, 0, 0, 1}, DstIP: net.IP{127, 0, 0, 1}}
	}
	type seg struct {
		fromClient         bool
		syn, ack, fin, psh bool
		seq, ackn          uint32
		payload            string
	}
	segs := []seg{
		{true, true, false, false, false, 1000, 0, ""},
		{false, true, true, false, false, 5000, 1001, ""},
		{true, false, true, false, false, 1001, 5001, ""},
		{true, false, true, false, true, 1001, 5001, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"},
		{false, false, true, false, false, 5001, 1028, ""},
		{false, false, true, false, true, 5001, 1028, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"},
		{true, false, true, true, false, 1028, 5039, ""},
		{false, false, true, true, false, 5039, 1029, ""},
		{true, false, true, false, false, 1029, 5040, ""},
	}
	d, _ := NewDecoder(layers.LinkTypeEthernet)
	var entries []*Entry
	for i, g := range segs {
		tcp := &layers.TCP{SYN: g.syn, ACK: g.ack, FIN: g.fin, PSH: g.psh, Seq: g.seq, Ack: g.ackn, Window: 512}
		tcp.SrcPort, tcp.DstPort = c, s
		if !g.fromClient {
			tcp.SrcPort, tcp.DstPort = s, c
		}
		data := build(t, eth(layers.EthernetTypeIPv4), ip(), tcp, gopacket.Payload(g.payload))
		e := &Entry{Data: data, Link: uint16(layers.LinkTypeEthernet)}
		d.Decode(data, gopacket.CaptureInfo{CaptureLength: len(data), Length: len(data)}, &e.Packet)
		e.No = uint64(i + 1)
		entries = append(entries, e)
	}
	k, _ := KeyOf(&entries[0].Packet)
	l := MakeLadder(entries, k)
	if l.Client.Port() != c || l.Server.Port() != s || len(l.Steps) != len(segs) {
		t.Fatalf("client %v server %v, %d steps", l.Client, l.Server, len(l.Steps))
	}
	var labels []string
	for i, st := range l.Steps {
		labels = append(labels, st.Label)
		if st.FromClient != segs[i].fromClient {
			t.Errorf("step %d goes the wrong way", i+1)
		}
	}
	want := "SYN|SYN-ACK|ACK|data, 27 bytes|ACK|data, 38 bytes|FIN-ACK|FIN-ACK|ACK"
	if got := strings.Join(labels, "|"); got != want {
		t.Errorf("labels %s, want %s", got, want)
	}
	if st := l.Steps[2]; st.Seq != 1 || st.Ack != 1 || !strings.Contains(st.Why, "handshake is done") {
		t.Errorf("the handshake's ACK: %+v", st)
	}
	if st := l.Steps[3]; !strings.HasPrefix(st.Why, "GET / HTTP/1.1") {
		t.Errorf("the request says %q", st.Why)
	}
	if st := l.Steps[8]; st.Seq != 29 || st.Ack != 40 || !strings.Contains(st.Why, "closed both ways") {
		t.Errorf("the last ACK: seq %d ack %d (want 29 and 40), %q", st.Seq, st.Ack, st.Why)
	}
	if st := l.Steps[0]; st.HasAck {
		t.Error("the SYN is said to acknowledge something")
	}
	if st := l.Steps[7]; !strings.Contains(st.Why, "closes too") {
		t.Errorf("the second FIN says %q", st.Why)
	}
}

// The lessons' recording (a real loopback capture made with tcpdump by
// scripts/record-lessons): its HTTP exchange as a ladder.
func TestLadderOfTheRecordedExchange(t *testing.T) {
	r, err := OpenFile("../assets/lessons/recorded.pcap")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	d := map[layers.LinkType]*Decoder{}
	var entries []*Entry
	for {
		rec, err := r.Next()
		if err != nil {
			break
		}
		if d[rec.Link] == nil {
			d[rec.Link], _ = NewDecoder(rec.Link)
		}
		e := &Entry{Data: append([]byte(nil), rec.Data...), Link: uint16(rec.Link)}
		d[rec.Link].Decode(e.Data, rec.CI, &e.Packet)
		e.No = uint64(len(entries) + 1)
		entries = append(entries, e)
	}
	var k ConvKey
	for _, e := range entries {
		if e.DstPort == 62893 {
			k, _ = KeyOf(&e.Packet)
			break
		}
	}
	l := MakeLadder(entries, k)
	var labels []string
	for _, s := range l.Steps {
		labels = append(labels, strings.Fields(s.Label)[0])
	}
	want := "SYN SYN-ACK ACK data, ACK data, ACK FIN-ACK FIN-ACK ACK"
	if got := strings.Join(labels, " "); got != want || l.Server.Port() != 62893 {
		t.Errorf("the recorded exchange (server %v) reads %q, want %q", l.Server, got, want)
	}
}
