package netinfo

// stateMeanings explain socket states in plain language.
var stateMeanings = map[string]string{
	"LISTEN":      "Waiting for other programs to connect.",
	"ESTABLISHED": "Connected: data can flow both ways.",
	"SYN_SENT":    "Connecting: sent the first handshake packet and waits for a reply.",
	"SYN_RECV":    "Received a connection request and replied; waits for the last handshake packet.",
	"FIN_WAIT1":   "This side is closing and waits for the other side to acknowledge.",
	"FIN_WAIT2":   "This side has closed; waits for the other side to close too.",
	"TIME_WAIT":   "Closed a moment ago; the OS keeps it briefly so late packets are not mistaken for a new connection.",
	"CLOSE":       "Closed.",
	"CLOSE_WAIT":  "The other side closed; this program has not closed its side yet.",
	"LAST_ACK":    "Both sides are closing; waits for the final acknowledgement.",
	"CLOSING":     "Both sides closed at the same moment; waits for the acknowledgement.",
	StateUnconn:   "UDP: bound to a port and takes datagrams from anyone.",
}

// StateMeaning explains a socket's state in one plain sentence.
func StateMeaning(s Socket) string {
	if s.Proto == UDP && s.State == "ESTABLISHED" {
		return "UDP: connected to one peer; takes datagrams only from it."
	}
	if m, ok := stateMeanings[s.State]; ok {
		return m
	}
	return s.State
}
