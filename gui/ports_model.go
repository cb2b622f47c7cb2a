package gui

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2/widget"

	"github.com/loopscope/loopscope/netinfo"
)

// The columns of the ports table, in order.
const (
	colProto = iota
	colAddress
	colPort
	colExposure
	colService
	colPID
	colProcess
	colCommand
	colUser
	numPortCols
)

// portColumns: a narrow window drops Service, then Command, then PID,
// then Proto, then User; Address, Port, Exposure and Process stay.
var portColumns = []column{
	colProto:    {title: "Proto", width: 72, drop: 2},
	colAddress:  {title: "Address", width: 120, grow: 1},
	colPort:     {title: "Port", width: 64, numeric: true},
	colExposure: {title: "Exposure", width: 180},
	colService:  {title: "Service", width: 96, drop: 5},
	colPID:      {title: "PID", width: 64, numeric: true, drop: 3},
	colProcess:  {title: "Process", width: 128, grow: 2},
	colCommand:  {title: "Command", width: 150, grow: 3, drop: 4},
	colUser:     {title: "User", width: 88, grow: 0.5, drop: 1},
}

// newHighlight is how long a row that appeared stays highlighted, and
// goneLinger how long a closed socket stays in the table.
const (
	newHighlight = 5 * time.Second
	goneLinger   = 5 * time.Second
)

// portRow is one table row, formatted off the UI goroutine so that
// drawing a cell only copies strings.
type portRow struct {
	sock   netinfo.Socket
	key    string
	cells  [numPortCols]cellView
	lower  [numPortCols]string // cell texts in lower case, for sorting without allocating
	search string              // lower-case text the filter matches against
	state  rowState
	until  time.Time // when a new row stops being new, or a closed one drops
}

func makePortRow(s netinfo.Socket) portRow {
	r := portRow{sock: s}
	r.key = fmt.Sprintf("%s|%s|%d|%d", s.Proto, netinfo.AddressLabel(s), s.LocalPort, s.PID)
	owned := len(s.Holders) > 0
	r.cells = [numPortCols]cellView{
		colProto:    {text: protoLabel(s)},
		colAddress:  {text: safe(netinfo.AddressLabel(s))},
		colPort:     {text: strconv.Itoa(int(s.LocalPort))},
		colExposure: {text: exposureLabel(s), badge: true, tone: exposureTone(s)},
		colService:  {text: orDash(s.Service), dim: s.Service == ""},
		colPID:      {text: pidText(s), dim: !owned},
		colProcess:  {text: processText(s), dim: !owned},
		colCommand:  {text: safe(commandSummary(s.Cmdline)), dim: s.Cmdline == ""},
		colUser:     {text: safe(s.User), dim: s.User == ""},
	}
	for i, c := range r.cells {
		r.lower[i] = strings.ToLower(c.text)
	}
	// The filter matches what the user sees, the whole command line, and
	// ":8080" as people copy it from URLs and ss.
	r.search = strings.Join(r.lower[:], " ") + " " + strings.ToLower(safe(s.Cmdline)) + " :" + r.cells[colPort].text
	return r
}

// exposureLabel is the badge text: who can reach the socket.
func exposureLabel(s netinfo.Socket) string {
	switch s.Exposure {
	case netinfo.ExposureLoopback:
		return "This machine only"
	case netinfo.ExposureAll:
		return "Network · all interfaces"
	case netinfo.ExposureSpecific:
		if s.Interface != "" {
			return "Network · " + safe(s.Interface)
		}
		return "Network · one address"
	case netinfo.ExposureMulticast:
		return "Network · multicast group"
	case netinfo.ExposureBroadcast:
		return "Network · broadcast"
	case netinfo.ExposureNotLocal:
		return "Address not on this machine"
	}
	return "—"
}

// exposureTone colours the badge: green for this machine only, red for
// every interface, amber for everything in between.
func exposureTone(s netinfo.Socket) widget.Importance {
	switch s.Exposure {
	case netinfo.ExposureAll:
		return widget.DangerImportance
	case netinfo.ExposureLoopback:
		return widget.SuccessImportance
	}
	return widget.WarningImportance
}

func pidText(s netinfo.Socket) string {
	if len(s.Holders) > 0 {
		return strconv.Itoa(int(s.PID))
	}
	return "—"
}

// processText is the Process cell: the first holder and "+N more", or
// in a few words why no process is shown.
func processText(s netinfo.Socket) string {
	if len(s.Holders) > 0 {
		if n := len(s.Holders) - 1; n > 0 {
			return fmt.Sprintf("%s +%d more", safe(s.Process), n)
		}
		return safe(s.Process)
	}
	switch {
	case s.OwnerHidden:
		return "hidden"
	case s.NoProcess == netinfo.NoProcessQueued || s.NoProcess == netinfo.NoProcessHandshake || s.NoProcess == netinfo.NoProcessClosing:
		return "none (" + s.NoProcess.Label() + ")"
	}
	return s.NoProcess.Label()
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// mergeRows turns a new list of sockets into rows, marking those that are
// new since prev and keeping those that closed for goneLinger. On the
// first refresh (first is true) nothing is new.
func mergeRows(prev []portRow, sockets []netinfo.Socket, now time.Time, first bool) []portRow {
	old := make(map[string]portRow, len(prev))
	for _, r := range prev {
		if r.state != rowGone {
			old[r.key] = r
		}
	}
	rows := make([]portRow, 0, len(sockets)+4)
	repeats := map[string]int{}
	for _, s := range sockets {
		r := makePortRow(s)
		// One process may hold several sockets on one address and port
		// (SO_REUSEPORT); number them so each keeps its own key.
		n := repeats[r.key]
		repeats[r.key]++
		if n > 0 {
			r.key = fmt.Sprintf("%s#%d", r.key, n)
		}
		if o, ok := old[r.key]; ok {
			if o.state == rowNew && now.Before(o.until) {
				r.state, r.until = rowNew, o.until
			}
			delete(old, r.key)
		} else if !first {
			r.state, r.until = rowNew, now.Add(newHighlight)
		}
		rows = append(rows, r)
	}
	for _, r := range prev {
		switch _, vanished := old[r.key]; {
		case vanished:
			r.state, r.until = rowGone, now.Add(goneLinger)
			rows = append(rows, r)
		case r.state == rowGone && now.Before(r.until) && repeats[r.key] == 0:
			rows = append(rows, r) // closed a moment ago: still shown
		}
	}
	return rows
}

// comparePorts orders two rows by a column.
func comparePorts(a, b *portRow, col int) int {
	switch col {
	case colPort:
		return cmp.Compare(a.sock.LocalPort, b.sock.LocalPort)
	case colPID:
		return cmp.Compare(a.sock.PID, b.sock.PID)
	case colAddress:
		return a.sock.LocalIP.Compare(b.sock.LocalIP)
	case colExposure:
		return cmp.Compare(exposureRank(a.sock), exposureRank(b.sock))
	}
	return cmp.Compare(a.lower[col], b.lower[col])
}

// portLast: rows without a process go after every named one in the
// Process, PID and User columns, whichever way they are sorted.
func portLast(r *portRow, col int) bool {
	return (col == colProcess || col == colPID || col == colUser || col == colCommand) && len(r.sock.Holders) == 0
}

// exposureRank orders exposures from most to least reachable.
func exposureRank(s netinfo.Socket) int {
	switch s.Exposure {
	case netinfo.ExposureAll:
		return 0
	case netinfo.ExposureSpecific, netinfo.ExposureMulticast, netinfo.ExposureBroadcast:
		return 1
	case netinfo.ExposureNotLocal:
		return 2
	}
	return 3
}

// portCounts are the figures in the status line, and a warning when the
// sockets were read the slow way.
type portCounts struct {
	listening, reachable, hidden int
	warning                      string
}

func countPorts(sockets []netinfo.Socket) portCounts {
	var c portCounts
	for _, s := range sockets {
		c.listening++
		if s.ReachableFromNetwork() {
			c.reachable++
		}
		if s.OwnerHidden {
			c.hidden++
		}
	}
	return c
}

// statusText is the status line: the counts, how many rows the filter
// shows, and the last refresh's error, if any.
func statusText(c portCounts, shown, total int, filtered bool, err error, lastGood time.Time) string {
	parts := []string{
		fmt.Sprintf("%d listening", c.listening),
		fmt.Sprintf("%d reachable from other machines", c.reachable),
	}
	if c.hidden > 0 {
		parts = append(parts, fmt.Sprintf("%d owners hidden (run with administrator rights to see them)", c.hidden))
	}
	if filtered {
		parts = append(parts, fmt.Sprintf("showing %d of %d", shown, total))
	}
	if c.warning != "" {
		parts = append(parts, c.warning)
	}
	s := strings.Join(parts, " · ")
	if err != nil {
		s = fmt.Sprintf("Refresh failed: %v. ", err) + s
		if !lastGood.IsZero() {
			s += " (as of " + lastGood.Format("15:04:05") + ")"
		}
	}
	return s
}

// degradedText is the status line's warning when the fast way to read
// sockets failed; "" when it did not.
func degradedText(err error) string {
	if err == nil {
		return ""
	}
	return "Warning: " + err.Error()
}
