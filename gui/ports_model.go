package gui

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

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
	colUser
	numPortCols
)

var portColumns = [numPortCols]struct {
	title string
	width float32
}{
	{"Proto", 64}, {"Address", 200}, {"Port", 72}, {"Exposure", 210},
	{"Service", 120}, {"PID", 76}, {"Process", 200}, {"User", 160},
}

// newHighlight is how long a row that appeared stays highlighted.
const newHighlight = 5 * time.Second

// rowState says whether a row is new, steady, or about to drop.
type rowState int

const (
	rowSteady rowState = iota
	rowNew             // appeared in a recent refresh
	rowGone            // was there last refresh, is not now; shown once
)

// portRow is one table row, formatted off the UI goroutine so that
// UpdateCell only copies strings.
type portRow struct {
	sock     netinfo.Socket
	key      string
	cells    [numPortCols]string
	lower    [numPortCols]string // cells in lower case, for sorting without allocating
	search   string              // lower-case text the filter matches against
	state    rowState
	newUntil time.Time
}

func makePortRow(s netinfo.Socket) portRow {
	r := portRow{sock: s}
	r.key = fmt.Sprintf("%s|%s|%d|%d", s.Proto, s.LocalIP, s.LocalPort, s.PID)
	r.cells = [numPortCols]string{
		colProto:    protoLabel(s),
		colAddress:  safe(netinfo.AddressLabel(s)),
		colPort:     strconv.Itoa(int(s.LocalPort)),
		colExposure: exposureLabel(s),
		colService:  orDash(s.Service),
		colPID:      pidText(s),
		colProcess:  processText(s),
		colUser:     safe(s.User),
	}
	for i, c := range r.cells {
		r.lower[i] = strings.ToLower(c)
	}
	// The filter matches what the user sees, so "hidden" or "—" find rows too.
	r.search = strings.Join(r.lower[:], " ")
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

func pidText(s netinfo.Socket) string {
	if s.PID > 0 {
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
// new since prev and keeping, once, those that went away. On the first
// refresh (first is true) nothing is new.
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
			if o.state == rowNew && now.Before(o.newUntil) {
				r.state, r.newUntil = rowNew, o.newUntil
			}
			delete(old, r.key)
		} else if !first {
			r.state, r.newUntil = rowNew, now.Add(newHighlight)
		}
		rows = append(rows, r)
	}
	for _, r := range prev {
		if _, vanished := old[r.key]; vanished {
			r.state = rowGone
			rows = append(rows, r)
		}
	}
	return rows
}

// filterAndSort returns the rows that match every word of query, ordered by spec.
func filterAndSort(rows []portRow, query string, spec sortSpec) []portRow {
	return filterRows(rows, query, func(r *portRow) string { return r.search }, spec,
		compareCol,
		colPort, colProto, colAddress)
}

// filterRows keeps the rows whose search text holds every word of query and
// sorts them by spec's column, breaking ties by the tie columns in order.
func filterRows[T any](rows []T, query string, search func(*T) string, spec sortSpec,
	compare func(a, b T, col int) int, tie ...int) []T {
	words := strings.Fields(strings.ToLower(query))
	out := make([]T, 0, len(rows))
	for i := range rows {
		if matchesAll(search(&rows[i]), words) {
			out = append(out, rows[i])
		}
	}
	slices.SortStableFunc(out, func(a, b T) int {
		c := compare(a, b, spec.col)
		if spec.desc {
			c = -c
		}
		for _, col := range tie {
			if c != 0 {
				break
			}
			c = compare(a, b, col)
		}
		return c
	})
	return out
}

func matchesAll(text string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(text, w) {
			return false
		}
	}
	return true
}

func compareCol(a, b portRow, col int) int {
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
