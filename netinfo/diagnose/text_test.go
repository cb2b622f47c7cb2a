package diagnose

import (
	"slices"
	"strings"
	"testing"

	"github.com/loopscope/loopscope/netinfo"
)

// A port one of Loopscope's own servers holds is to be stopped in Local
// Servers, not ended (that would end the window), and no Python advice
// is given for it.
func TestFixesForLoopscopesOwnServer(t *testing.T) {
	own := netinfo.Socket{Proto: netinfo.TCP, LocalPort: 62893, Exposure: netinfo.ExposureLoopback, Service: netinfo.ServiceLoopscope,
		Owner: netinfo.Owner{PID: 42, Process: "loopscope"}, Holders: []netinfo.Owner{{PID: 42, Process: "loopscope"}}}
	r := Report{Port: 62893, Listening: []netinfo.Socket{own}, Owners: own.Holders, Exposure: own.Exposure}
	kinds := func(fs []Suggestion) (k []string) {
		for _, f := range fs {
			k = append(k, f.Kind)
			if strings.Contains(f.Text+f.Command, "python") {
				t.Errorf("Python advice for Loopscope's server: %+v", f)
			}
		}
		return k
	}
	if k := kinds(suggestions(r, nil)); !slices.Contains(k, "stop") || slices.Contains(k, "end") {
		t.Errorf("own server: %v, want stop and no end", k)
	}
	other := own
	other.Service = ""
	r.Listening = []netinfo.Socket{other}
	if k := kinds(suggestions(r, nil)); slices.Contains(k, "stop") || !slices.Contains(k, "end") {
		t.Errorf("another program's server: %v, want end and no stop", k)
	}
}
