package main

import (
	"testing"

	"github.com/loopscope/loopscope/netinfo"
)

// A hidden socket with a visible process that may hold it (it changed
// user after binding) names that process in the table, escaped, as a
// guess; without one it says how to see more.
func TestHiddenOwnerColumn(t *testing.T) {
	hidden := netinfo.Socket{NoProcess: netinfo.NoProcessHidden}
	if _, got := ownerColumns(hidden, tableOptions{}); got != "(hidden: run as root to see)" {
		t.Errorf("no candidate: %q", got)
	}
	hidden.PossibleHolders = []netinfo.Owner{{PID: 4242, Process: "srv\nx"}, {PID: 4243, Process: "srv"}}
	if _, got := ownerColumns(hidden, tableOptions{}); got != `(hidden: maybe srv\nx, PID 4242 +1 more)` {
		t.Errorf("two candidates: %q", got)
	}
}

// who and free take a port as URLs and ss write it, ":8080", too.
func TestPortArgTakesAColon(t *testing.T) {
	for arg, want := range map[string]uint16{"8080": 8080, ":8080": 8080} {
		if got, err := portArg("who", arg); err != nil || got != want {
			t.Errorf("%q: %d, %v", arg, got, err)
		}
	}
	if _, err := portArg("who", "::8080"); err == nil {
		t.Error(`"::8080" was taken as a port`)
	}
}
