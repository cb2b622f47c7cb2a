//go:build !cgo && !windows

package sniff

import (
	"errors"

	"github.com/gopacket/gopacket/layers"
)

// A build without cgo has no libpcap (gopacket links it with cgo): it
// still reads and decodes capture files and the capture helper's stream,
// but cannot capture itself nor compile a filter.
var errNoPcap = errors.New("this Loopscope was built without libpcap (cgo off): capture through the capture helper, or use a build made with cgo")

// Live is a capture on an interface; without libpcap there is none.
type Live struct{}

// OpenLive says that this build cannot capture.
func OpenLive(LiveConfig) (*Live, error) { return nil, errNoPcap }

// OnIdle does nothing: there is no capture.
func (l *Live) OnIdle(func()) {}

// LinkType is the link type of the captured packets.
func (l *Live) LinkType() layers.LinkType { return layers.LinkTypeNull }

// Next returns ErrStopped: there is no capture.
func (l *Live) Next() (Record, error) { return Record{}, ErrStopped }

// Stop does nothing.
func (l *Live) Stop() {}

// Stats has nothing to count.
func (l *Live) Stats() (Stats, error) { return Stats{}, errNoPcap }

// Close does nothing.
func (l *Live) Close() {}

// CheckFilter cannot compile a filter without libpcap: it says so.
func CheckFilter(string) string { return errNoPcap.Error() }

// Interfaces cannot list capture devices without libpcap.
func Interfaces() ([]Interface, error) { return nil, errNoPcap }

// Matcher would apply a capture filter; without libpcap only the empty
// filter, which matches everything, can be had.
type Matcher struct{}

// NewMatcher gives a Matcher for the empty filter, and an error for any
// other.
func NewMatcher(_ layers.LinkType, filter string) (*Matcher, error) {
	if filter == "" {
		return &Matcher{}, nil
	}
	return nil, errNoPcap
}

// Matches reports true: the empty filter matches everything.
func (m *Matcher) Matches(Record) bool { return true }
