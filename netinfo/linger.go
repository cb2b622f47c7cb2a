package netinfo

import (
	"fmt"
	"slices"
	"strings"
)

// Lingering says, when nothing listens on port any more, which TCP
// connections still use it as their own port — the ones a listener
// accepted and that are still open, and those the kernel keeps in
// TIME_WAIT for up to a minute — and what that means for a server about
// to listen there. "" when there are none. Give it every socket (the
// AllSockets scope), not only the listening ones.
func Lingering(sockets []Socket, port uint16) string {
	states := map[string]int{}
	var holders []Owner
	n := 0
	for _, s := range sockets {
		if s.Proto != TCP || s.LocalPort != port || s.State == StateListen {
			continue
		}
		n++
		states[s.State]++
		holders = append(holders, s.Holders...)
	}
	if n == 0 {
		return ""
	}
	names := make([]string, 0, len(states))
	for st := range states {
		names = append(names, st)
	}
	slices.Sort(names)
	var parts []string
	for _, st := range names {
		part := fmt.Sprintf("%d %s", states[st], st)
		if st == "TIME_WAIT" {
			part += " (the kernel keeps those up to 60 s)"
		}
		parts = append(parts, part)
	}
	verb := "connections use port %d as their own"
	if n == 1 {
		verb = "connection uses port %d as its own"
	}
	text := fmt.Sprintf("Still, %d "+verb+": %s", n, port, strings.Join(parts, ", "))
	if hs := dedupeOwners(holders); len(hs) > 0 {
		text += ", held by " + ownerNames(hs)
	}
	return text + `. A server that sets SO_REUSEADDR (most do; python3 -m http.server does) can listen on it now; one that does not gets "address already in use" until they close.`
}
