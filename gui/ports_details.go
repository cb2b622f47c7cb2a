package gui

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/loopscope/loopscope/internal/safetext"
	"github.com/loopscope/loopscope/netinfo"
)

// portDetails is the panel under the ports table: everything known about
// the selected socket, why it is or is not reachable, and what to do with it.
type portDetails struct {
	a fyne.App
	w fyne.Window

	hint    *widget.Label
	body    *fyne.Container
	title   *widget.Label
	why     *widget.Label
	note    *widget.Label
	fields  map[string]*widget.Label
	copyBtn *widget.Button
	openBtn *widget.Button
	endBtn  *widget.Button

	sock netinfo.Socket
}

// detailNames are the panel's rows, in order.
var detailNames = []string{"Owner", "Held by", "Port", "Service", "Executable", "Command line"}

func newPortDetails(a fyne.App, w fyne.Window, onEnd func(netinfo.Socket)) *portDetails {
	d := &portDetails{a: a, w: w, fields: map[string]*widget.Label{}}
	d.hint = widget.NewLabel("Select a row to see which program owns the port, how it was started, and why it is or is not reachable from other machines. Right-click a row for more.")
	d.hint.Wrapping = fyne.TextWrapWord
	d.hint.Importance = widget.LowImportance
	d.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	d.why = widget.NewLabel("")
	d.why.Wrapping = fyne.TextWrapWord
	d.note = widget.NewLabel("")
	d.note.Wrapping = fyne.TextWrapWord
	d.note.Importance = widget.WarningImportance
	d.copyBtn = widget.NewButtonWithIcon("Copy row", theme.ContentCopyIcon(), func() {
		d.a.Clipboard().SetContent(rowSummary(d.sock))
	})
	d.openBtn = widget.NewButtonWithIcon("Open in browser", theme.ComputerIcon(), func() {
		if u := browserURL(d.sock); u != nil {
			openURL(d.a, d.w, u)
		}
	})
	d.endBtn = widget.NewButtonWithIcon("End process…", theme.CancelIcon(), func() { onEnd(d.sock) })
	d.endBtn.Importance = widget.DangerImportance
	header := container.NewBorder(nil, nil, nil, container.NewHBox(d.copyBtn, d.openBtn, d.endBtn), d.title)
	d.body = container.NewVBox(header, d.why, d.note, d.form(detailNames))
	d.clear()
	return d
}

// form lays out "Name  value" pairs. Paths and command lines break
// anywhere; prose breaks between words.
func (d *portDetails) form(names []string) fyne.CanvasObject {
	f := container.New(layout.NewFormLayout())
	for _, n := range names {
		key := widget.NewLabelWithStyle(n, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
		val := widget.NewLabel("")
		val.Wrapping = fyne.TextWrapWord
		if n == "Executable" || n == "Command line" {
			val.Wrapping = fyne.TextWrapBreak
		}
		val.Selectable = true
		d.fields[n] = val
		f.Add(key)
		f.Add(val)
	}
	return f
}

func (d *portDetails) content() fyne.CanvasObject {
	return container.NewVScroll(container.NewPadded(container.NewStack(d.hint, d.body)))
}

func (d *portDetails) clear() {
	d.body.Hide()
	d.hint.Show()
}

// show fills the panel from a row.
func (d *portDetails) show(r *portRow) {
	s := r.sock
	d.sock = s
	d.title.SetText(fmt.Sprintf("%s %s — %s", protoLabel(s), hostPort(s), ownerTitle(s)))
	d.why.SetText(netinfo.ExposureWhy(s))
	d.why.Importance = exposureImportance(r)
	d.why.Refresh()
	d.note.SetText(safetext.Line(s.OwnerNote, 4000))
	d.note.Hidden = s.OwnerNote == ""
	d.set("Owner", ownerLine(s, time.Now()))
	d.set("Held by", holdersText(s, time.Now()))
	d.set("Port", portClassText(s))
	d.set("Service", serviceText(s))
	d.set("Executable", safeLong(s.Exe))
	d.set("Command line", safeLong(s.Cmdline))
	if browserURL(s) != nil {
		d.openBtn.Enable()
	} else {
		d.openBtn.Disable()
	}
	if len(s.Holders) > 0 && r.state != rowGone {
		d.endBtn.Enable()
	} else {
		d.endBtn.Disable()
	}
	if r.state == rowGone {
		d.title.SetText(d.title.Text + " (closed)")
	}
	d.hint.Hide()
	d.body.Show()
	d.body.Refresh()
}

func (d *portDetails) set(name, value string) { d.fields[name].SetText(value) }

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
		return "— (" + string(s.NoProcess) + ")"
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
