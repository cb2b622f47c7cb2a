package sniff

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/loopscope/loopscope/internal/npcap"
)

// readTimeout is how long one read waits for a packet before it looks
// whether the capture was stopped: Stop takes effect within it.
const readTimeout = 100 * time.Millisecond

// Errors a live capture can return.
var (
	// ErrPermission: this process may not capture on the interface.
	ErrPermission = errors.New("no permission to capture")
	// ErrFilter: libpcap could not compile the capture filter; the error
	// carries libpcap's reason.
	ErrFilter = errors.New("bad capture filter")
	// ErrStopped: Next after Stop.
	ErrStopped = errors.New("capture stopped")
)

// LiveConfig says what to capture.
type LiveConfig struct {
	Interface string // "lo", "eth0", "any"…
	Filter    string // a BPF filter, like "tcp port 8080"; "" for every packet
	Snaplen   int    // bytes kept of each packet; 0 for MaxSnaplen
	Promisc   bool   // also packets for other machines (off by default)
	Buffer    int    // the kernel buffer, bytes; 0 for 8 MiB
}

// knownInterfaces names the interfaces there are, for an error.
func knownInterfaces() string {
	ifs, err := Interfaces()
	if err != nil || len(ifs) == 0 {
		return "this machine lists none"
	}
	names := make([]string, 0, len(ifs))
	for _, i := range ifs {
		names = append(names, i.Name)
	}
	return "choose one of " + strings.Join(names, ", ")
}

// CaptureReady reports whether this system can capture at all, and on
// loopback: on Windows that takes Npcap, with its loopback support;
// elsewhere libpcap comes with the system. The error says what to do.
func CaptureReady() (loopback bool, err error) { return npcap.Check() }

// liveError names the interface and turns libpcap's permission refusal
// into ErrPermission.
func liveError(iface string, err error) error {
	msg := err.Error()
	low := strings.ToLower(msg)
	if strings.Contains(low, "permission") || strings.Contains(low, "not permitted") {
		return fmt.Errorf("%w on %s (%s)", ErrPermission, iface, msg)
	}
	if strings.Contains(low, "not up") {
		return fmt.Errorf("the interface %s is down: bring it up (ip link set %s up), or choose another", iface, iface)
	}
	if strings.Contains(low, "no such device") {
		return fmt.Errorf("there is no interface %q here: %s (%s)", iface, knownInterfaces(), msg)
	}
	return fmt.Errorf("capture on %s: %s", iface, msg)
}

// pcapReason is libpcap's own words from an error gopacket wrapped.
func pcapReason(err error) string {
	return strings.TrimPrefix(err.Error(), "Error: ")
}

// Stats are the kernel's counts for the capture.
type Stats struct {
	Received int // packets the filter passed
	Dropped  int // packets the kernel dropped: the buffer was full
}
