package gui

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/loopscope/loopscope/netinfo/serve"
	"github.com/loopscope/loopscope/sniff"
)

// recordedNote says that a step shows the recording, and why.
func recordedNote(c captured) string {
	if c.recorded == "" {
		return ""
	}
	return "This machine does not let Loopscope capture (" + strings.TrimSuffix(safeLong(c.recorded), ".") + "), " +
		"so these packets are a recording of the same exchange, shipped with Loopscope. " +
		"The Packets tab says how to capture live.\n"
}

// lessonHandshake: SYN, SYN-ACK, ACK, data, FIN, as a ladder.
func lessonHandshake(l *lab) *lesson {
	var srv *serve.Server
	var lad sniff.Ladder
	return &lesson{
		title: "The TCP handshake and goodbye",
		goal: "Capture one HTTP request on loopback and read it as a ladder: how TCP opens a connection, " +
			"carries the request and the answer, and closes it.",
		steps: []step{{
			text:   fmt.Sprintf("Start an HTTP echo server on 127.0.0.1:%d. It answers every request with what it received.", lessonPort),
			button: "Start the HTTP server",
			run: func(context.Context) (stepResult, error) {
				s, err := l.serve(serve.Echo, "127.0.0.1", lessonPort)
				if err != nil {
					return stepResult{}, err
				}
				srv = s
				return stepResult{text: "Listening on " + s.URL() + portNote(s)}, nil
			},
		}, {
			text: "Capture on loopback while Loopscope makes one request to it (GET /hello, connection closed after the answer), " +
				"then draw the conversation: the client on the left, the server on the right, one arrow per packet.",
			button: "Capture one request",
			run: func(ctx context.Context) (stepResult, error) {
				c, err := l.capture(ctx, "tcp port "+strconv.Itoa(srv.Port()), func() error { return getOnce(ctx, srv.URL()+"hello") })
				if err != nil {
					return stepResult{}, err
				}
				port := srv.Port()
				if c.recorded != "" {
					port = recordedHTTP
				}
				mine := ofPorts(c.entries, port)
				if len(mine) == 0 {
					return stepResult{}, fmt.Errorf("the capture saw no packet of the request: try again")
				}
				k, _ := sniff.KeyOf(&mine[0].Packet)
				lad = sniff.MakeLadder(mine, k)
				text := recordedNote(c) + fmt.Sprintf("%d packets. The first three are the handshake; then the request and the answer, "+
					"each acknowledged; then each side closes its direction with FIN, and each FIN is acknowledged "+
					"(the first one's acknowledgement can ride on the other side's own FIN).", len(lad.Steps))
				res := stepResult{text: text, ladder: &lad}
				if c.recorded == "" {
					res.looks = []lessonLink{{label: "Capture this port live in Packets", tab: "Packets", port: uint16(port)}}
				}
				return res, nil
			},
		}},
		check: check{
			question: "How many bytes of data did the client send in its request?",
			answer: func() string {
				for _, s := range lad.Steps {
					if s.FromClient && s.Payload > 0 {
						return strconv.Itoa(s.Payload)
					}
				}
				return ""
			},
			right: func(n string) string {
				return "The request (GET /hello and its headers) took " + n + " bytes. The server's ACK says it got them all: " +
					"its ack number is the client's next byte, 1 + " + n + ". Before any data, the client's SYN, the server's SYN-ACK " +
					"and the client's ACK opened the connection."
			},
			hint: "Find the client's first \"data\" arrow in the ladder (after the handshake): its label says how many bytes.",
		},
		recap: "TCP opens with three packets (SYN, SYN-ACK, ACK), so both sides know each other's sequence numbers. " +
			"Every byte sent is acknowledged: ack says which byte is expected next. " +
			"Each side closes its direction with FIN, and the side that closed first keeps a TIME_WAIT. " +
			"The same ladder is drawn for any TCP conversation in the Packets tab: a packet's menu, Ladder.",
		terms: []string{"handshake", "SYN_SENT", "ESTABLISHED", "TIME_WAIT", "capture filter"},
	}
}

// getOnce makes one HTTP request on a connection of its own, closed after
// the answer, and reads the whole answer.
func getOnce(ctx context.Context, url string) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Close = true
	client := &http.Client{Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true}}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

// lessonUDP: the same hello over UDP and over TCP, packet by packet.
func lessonUDP(l *lab) *lesson {
	var udpSrv, tcpSrv *serve.Server
	var tcpCount int
	return &lesson{
		title: "UDP and TCP",
		goal: "Send the same word over UDP and over TCP and count the packets: UDP has no handshake and no connection, " +
			"only datagrams.",
		steps: []step{{
			text:   "Start two echo servers on loopback: one for UDP, one for TCP.",
			button: "Start both echo servers",
			run: func(context.Context) (stepResult, error) {
				var err error
				if udpSrv, err = l.serve(serve.UDPEcho, "127.0.0.1", lessonPort+1); err != nil {
					return stepResult{}, err
				}
				if tcpSrv, err = l.serve(serve.TCPEcho, "127.0.0.1", lessonPort+2); err != nil {
					return stepResult{}, err
				}
				return stepResult{text: fmt.Sprintf("UDP echo on 127.0.0.1:%d, TCP echo on 127.0.0.1:%d.", udpSrv.Port(), tcpSrv.Port()),
					looks: []lessonLink{{label: "Compare their sockets in Processes", tab: "Processes", filter: fmt.Sprintf(":%d", udpSrv.Port())}}}, nil
			},
		}, {
			text:   "Capture on loopback while Loopscope sends hello to each and reads the answer.",
			button: "Send hello to both",
			run: func(ctx context.Context) (stepResult, error) {
				up, tp := udpSrv.Port(), tcpSrv.Port()
				c, err := l.capture(ctx, portFilter(up, tp), func() error { return helloBoth(ctx, up, tp) })
				if err != nil {
					return stepResult{}, err
				}
				if c.recorded != "" {
					up, tp = recordedUDP, recordedTCP
				}
				udp, tcp := ofPorts(c.entries, up), ofPorts(c.entries, tp)
				tcpCount = len(tcp)
				text := recordedNote(c) + fmt.Sprintf("UDP, %d packets:\n%s\nTCP, %d packets:\n%s",
					len(udp), packetLines(udp), len(tcp), ladderLines(tcp))
				return stepResult{text: text}, nil
			},
		}},
		check: check{
			question: "UDP needed two packets to send hello and get it back. How many did TCP need?",
			answer: func() string {
				if tcpCount == 0 {
					return ""
				}
				return strconv.Itoa(tcpCount)
			},
			right: func(n string) string {
				return n + " packets for the same 6 bytes each way: a handshake before the data, an acknowledgement for each piece, " +
					"and a goodbye after it. UDP sent the question and the answer, and nothing else."
			},
			hint: "Count the lines under \"TCP\" in the last step.",
		},
		recap: "UDP sends datagrams: no handshake, no acknowledgements, no goodbye, and no connection state — " +
			"its socket is UNCONN in Listening Ports and takes datagrams from anyone. " +
			"If one is lost, nobody resends it; that is the program's job. TCP pays a few packets for a reliable, ordered stream.",
		terms: []string{"UNCONN", "LISTEN", "handshake", "socket"},
	}
}

// helloBoth sends hello to the UDP and then the TCP echo server, and
// reads each answer.
func helloBoth(ctx context.Context, udpPort, tcpPort int) error {
	u, err := net.Dial("udp", net.JoinHostPort("127.0.0.1", strconv.Itoa(udpPort)))
	if err != nil {
		return err
	}
	_, err = echo(u, "hello\n")
	u.Close()
	if err != nil {
		return fmt.Errorf("the UDP echo server did not answer: %w", err)
	}
	var d net.Dialer
	t, err := d.DialContext(ctx, "tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(tcpPort)))
	if err != nil {
		return err
	}
	_, err = echo(t, "hello\n")
	t.Close()
	return err
}

// ladderLines is one line per packet of a TCP conversation, with its
// flags and relative sequence numbers, as the ladder labels them.
func ladderLines(entries []*sniff.Entry) string {
	if len(entries) == 0 {
		return ""
	}
	k, _ := sniff.KeyOf(&entries[0].Packet)
	return ladderText(sniff.MakeLadder(entries, k), false)
}

// packetLines is one line per packet: who sent what.
func packetLines(entries []*sniff.Entry) string {
	lines := make([]string, 0, len(entries))
	for i, e := range entries {
		lines = append(lines, fmt.Sprintf("  %d. %s → %s  %s", i+1, e.Source(), e.Destination(), safe(sniff.Info(&e.Packet, e.Data))))
	}
	return strings.Join(lines, "\n")
}
