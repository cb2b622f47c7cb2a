package sniff

import (
	"net/netip"
	"testing"
	"time"
)

func tcpPacket(src, dst string, flags TCPFlags, at int) *Packet {
	s, d := netip.MustParseAddrPort(src), netip.MustParseAddrPort(dst)
	return &Packet{Proto: ProtoTCP, overTCP: true, Src: s.Addr(), SrcPort: s.Port(), Dst: d.Addr(), DstPort: d.Port(),
		Flags: flags, Length: 66, Time: time.Unix(int64(at), 0)}
}

// Both directions are one conversation, and its state follows the flags
// through a whole connection.
func TestConversationStates(t *testing.T) {
	var cs Conversations
	c, s := "127.0.0.1:50000", "127.0.0.1:8080"
	steps := []struct {
		p    *Packet
		want string
	}{
		{tcpPacket(c, s, FlagSYN, 1), "opening"},
		{tcpPacket(s, c, FlagSYN|FlagACK, 2), "open"},
		{tcpPacket(c, s, FlagACK, 3), "open"},
		{tcpPacket(c, s, FlagFIN|FlagACK, 4), "closing"},
		{tcpPacket(s, c, FlagFIN|FlagACK, 5), "closed"},
	}
	for i, st := range steps {
		cs.Add(st.p)
		list := cs.List()
		if len(list) != 1 || list[0].State != st.want || list[0].Packets != uint64(i+1) {
			t.Fatalf("after step %d: %+v, want one conversation %q", i, list, st.want)
		}
	}
	cs.Add(tcpPacket("127.0.0.1:50001", s, FlagRST, 9))
	if list := cs.List(); len(list) != 2 || list[0].State != "reset" || list[0].Bytes != 66 {
		t.Errorf("a reset conversation, newest first: %+v", list)
	}
}
