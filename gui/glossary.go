package gui

import (
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// glossary explains the words the window uses. Fyne has no tooltips, so
// a term is opened here with one click: F1, the status bar's Glossary
// button, or "What is …?" on a row's menu.
var glossary = map[string]string{
	"socket": "One end of a network conversation, held by a program: a protocol (TCP or UDP), an address and a port. " +
		"A server's listening socket waits for others; each connection it accepts is a socket of its own.",
	"port": "A number from 1 to 65535 that tells a machine's programs apart on one address: 127.0.0.1:8080 is port 8080 on loopback.",
	"loopback": "The network that never leaves the machine: 127.0.0.0/8 for IPv4 (127.0.0.1 above all) and ::1 for IPv6. " +
		"Only programs on this machine can reach a socket bound there.",
	"localhost": "The name for this machine's loopback address. It may resolve to 127.0.0.1, ::1, or both, in an order " +
		"the hosts file sets: a server on one of them only is refused by a client that tries the other.",
	"exposure": "Who can reach a listening socket: only this machine (loopback), every network it is on (0.0.0.0 or ::), " +
		"or one network (one interface's address). A firewall can still block what exposure allows.",
	"dual-stack": "A socket bound to :: that takes IPv4 clients too (they appear as ::ffff:1.2.3.4). One bound with IPV6_V6ONLY takes IPv6 only.",
	"ephemeral port": "A port the OS picks for the client side of a connection, from its ephemeral range " +
		"(32768–60999 on Linux by default). A server that listens in that range can collide with outgoing connections.",
	"LISTEN":      "A TCP socket waiting for connections. Every connection it accepts becomes a socket of its own, in ESTABLISHED.",
	"ESTABLISHED": "A TCP connection that is open: both sides have finished the handshake, and data can flow both ways.",
	"TIME_WAIT": "What is left of a connection this side closed first: the kernel keeps its port for up to a minute, " +
		"so late packets of the old connection are not taken for a new one. No program holds it.",
	"CLOSE_WAIT": "The other side closed; this program has not closed its side yet. Many of them usually mean a program that forgets to close connections.",
	"SYN_SENT":   "A client has asked to connect (sent SYN) and waits for the answer.",
	"FIN_WAIT1":  "This side has just closed (sent FIN) and waits for the other side to acknowledge it.",
	"FIN_WAIT2":  "This side closed; it waits for the other side to close too.",
	"SYN_RECV":   "A server has answered a client's SYN with SYN-ACK and waits for the last ACK of the handshake.",
	"LAST_ACK":   "This side closed after the other did, and waits for the acknowledgement of its FIN.",
	"CLOSING":    "Both sides closed at the same moment; each waits for the other's acknowledgement.",
	"UNCONN":     "A UDP socket bound to a port without a fixed peer: it takes datagrams from anyone who can reach its address.",
	"handshake": "How TCP opens a connection: SYN from the client, SYN-ACK from the server, ACK from the client. " +
		"The Ladder in the Packets tab draws it.",
	"capture filter": "A filter in libpcap's language (tcp port 8080, udp, host 127.0.0.1) that chooses which packets are captured at all; " +
		"the display filter only hides captured ones.",
	"port class": "IANA's ranges: well-known (0–1023, system services; listening needs administrator rights on Unix), " +
		"registered (1024–49151, assigned to applications) and dynamic (49152–65535, private or temporary use).",
}

// showGlossary opens the glossary on term ("" for the first).
func showGlossary(w fyne.Window, term string) {
	terms := make([]string, 0, len(glossary))
	for t := range glossary {
		terms = append(terms, t)
	}
	sort.Slice(terms, func(i, j int) bool { return strings.ToLower(terms[i]) < strings.ToLower(terms[j]) })
	text := widget.NewLabel("")
	text.Wrapping = fyne.TextWrapWord
	list := widget.NewList(func() int { return len(terms) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(terms[i]) })
	list.OnSelected = func(i widget.ListItemID) { text.SetText(glossary[terms[i]]) }
	split := container.NewHSplit(list, container.NewPadded(text))
	split.Offset = 0.3
	d := dialog.NewCustom("Glossary", "Close", split, w)
	trackDialog(w, d, "Glossary", "", nil, nil)
	d.Resize(fyne.NewSize(760, 440))
	d.Show()
	for i, t := range terms {
		if t == term {
			list.Select(i)
			return
		}
	}
	list.Select(0)
}
