package gui

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/loopscope/loopscope/internal/safetext"
	"github.com/loopscope/loopscope/netinfo"
)

// portDetails is the panel under the ports table: everything known about
// the selected socket, why it is or is not reachable, and what to do.
type portDetails struct {
	*detailsPanel
	copyBtn, openBtn, endBtn *widget.Button
	sock                     netinfo.Socket
}

func newPortDetails(onCopy, onOpen, onEnd func(netinfo.Socket)) *portDetails {
	d := &portDetails{}
	d.copyBtn = widget.NewButtonWithIcon("Copy row", theme.ContentCopyIcon(), func() { onCopy(d.sock) })
	d.openBtn = widget.NewButtonWithIcon("Open in browser", theme.ComputerIcon(), func() { onOpen(d.sock) })
	d.endBtn = widget.NewButtonWithIcon("End process…", theme.CancelIcon(), func() { onEnd(d.sock) })
	d.endBtn.Importance = widget.DangerImportance
	d.detailsPanel = newDetailsPanel(
		"Select a row to see which program owns the port, how it was started, and why it is or is not reachable from other machines. Right-click a row for more.",
		[]string{"From another device", "Owner", "Held by", "Command line", "Executable", "Port", "Service"},
		[]string{"Executable"},
		d.copyBtn, d.openBtn, d.endBtn)
	return d
}

// showRow fills the panel from a row.
func (d *portDetails) showRow(r *portRow) {
	s := r.sock
	d.sock = s
	now := time.Now()
	d.setLead(netinfo.ExposureWhy(s), exposureTone(s))
	if r.state == rowGone {
		d.setLead("Closed: no program listens here any more.", widget.LowImportance)
	}
	d.setNote(safetext.Line(s.OwnerNote, 4000))
	d.set("From another device", fromAnotherDevice(s))
	d.set("Owner", ownerLine(s, now))
	d.set("Held by", holdersText(s, now))
	d.set("Command line", safeLong(s.Cmdline))
	d.set("Executable", safeLong(s.Exe))
	d.set("Port", portClassText(s))
	d.set("Service", serviceText(s))
	d.setTerms(termsOf(s)...)
	enable(d.openBtn, browserURL(s) != nil && r.state != rowGone && maybeWeb(s))
	enable(d.endBtn, len(s.Holders) > 0 && r.state != rowGone)
	title := fmt.Sprintf("%s %s — %s", protoLabel(s), hostPort(s), ownerTitle(s))
	if r.state == rowGone {
		title += " (closed)"
	}
	d.show(title)
}

func enable(b *widget.Button, on bool) {
	if on {
		b.Enable()
	} else {
		b.Disable()
	}
}

// ownerTitle is "nginx (PID 10)", "nginx (PID 10) and 2 more", or why
// there is no owner.
func ownerTitle(s netinfo.Socket) string {
	switch n := len(s.Holders); {
	case n == 1:
		return fmt.Sprintf("%s (PID %d)", safe(s.Process), s.PID)
	case n > 1:
		return fmt.Sprintf("%s (PID %d) and %d more", safe(s.Process), s.PID, n-1)
	}
	return "owner " + processText(s)
}

// ownerLine is the owner in one line: process, PID, user, start time.
func ownerLine(s netinfo.Socket, now time.Time) string {
	if len(s.Holders) == 0 {
		return processText(s)
	}
	return holderLine(s.Owner, now)
}

func holderLine(o netinfo.Owner, now time.Time) string {
	return fmt.Sprintf("%s · PID %d · user %s · started %s", safe(o.Process), o.PID, safe(o.User), startedText(o.Started, now))
}

// holdersText lists every process that holds the socket, one a line: a
// server's master and its workers all hold its listening socket.
func holdersText(s netinfo.Socket, now time.Time) string {
	switch len(s.Holders) {
	case 0:
		return "— (" + s.NoProcess.Label() + ")"
	case 1:
		return "this process alone"
	}
	lines := make([]string, len(s.Holders))
	for i, h := range s.Holders {
		lines[i] = holderLine(h, now)
	}
	return strings.Join(lines, "\n")
}

func startedText(t time.Time, now time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return fmt.Sprintf("%s (%s ago)", t.Format("2006-01-02 15:04:05"), roughDuration(now.Sub(t)))
}

// roughDuration says how long ago in the largest sensible unit.
func roughDuration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh %dm", int(d.Hours()), int(d.Minutes())%60)
	}
	return fmt.Sprintf("%d days", int(d.Hours()/24))
}

// portClassText explains the port number's range.
func portClassText(s netinfo.Socket) string {
	text := fmt.Sprintf("%d, %s", s.LocalPort, map[netinfo.PortClass]string{
		netinfo.WellKnown:  "well-known (0–1023): system services; binding one needs administrator rights on most systems",
		netinfo.Registered: "registered (1024–49151): assigned to applications",
		netinfo.Dynamic:    "dynamic (49152–65535): for private or temporary use",
	}[s.PortClass])
	if s.Ephemeral {
		text += ". In this OS's ephemeral range, where it picks ports for outgoing connections: a listener here may have asked for any free port."
	}
	return text
}

func serviceText(s netinfo.Socket) string {
	if s.Service == "" {
		return "— (no well-known service uses this port)"
	}
	return s.Service + " (the service usually found on this port)"
}

// termsOf are the glossary's words for a socket: its state, how far it
// reaches, its port's class.
func termsOf(s netinfo.Socket) []string {
	var out []string
	if _, ok := glossary[s.State]; ok {
		out = append(out, s.State)
	}
	out = append(out, "socket", "exposure")
	switch {
	case s.Exposure == netinfo.ExposureLoopback:
		out = append(out, "loopback")
	case s.AcceptsIPv4 != nil && *s.AcceptsIPv4:
		out = append(out, "dual-stack")
	}
	out = append(out, "port class")
	if s.Ephemeral {
		out = append(out, "ephemeral port")
	}
	return out
}
