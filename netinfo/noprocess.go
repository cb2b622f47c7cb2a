package netinfo

import (
	"fmt"
	"slices"
	"strings"
)

// noOwner explains a socket that no visible process holds.
func (b *builder) noOwner(so *Socket, r *rawSocket) {
	so.Holders = []Owner{}
	so.NoProcess = whyNoProcess(so.Proto, so.State, b.res.inodes && r.inode == 0, b.privileged)
	so.OwnerNote = noProcessNotes[so.NoProcess]
	switch so.NoProcess {
	case NoProcessHidden:
		so.OwnerHidden = true
		b.possibleHolders(so, r)
		fallthrough
	case NoProcessKernel:
		if so.User == "" && r.uid >= 0 {
			so.User = b.s.owners.users.name(uint32(r.uid))
		}
	}
}

// whyNoProcess says why no visible process holds a socket. noInode is set
// when the OS said no file refers to the socket at all.
func whyNoProcess(p Proto, state string, noInode, privileged bool) NoProcess {
	switch {
	case noInode && p == TCP && state == "SYN_RECV":
		return NoProcessHandshake
	case noInode && p == TCP && (state == "ESTABLISHED" || state == "CLOSE_WAIT"):
		return NoProcessQueued
	case noInode, p == TCP && state == "TIME_WAIT":
		return NoProcessClosing
	case privileged:
		return NoProcessKernel
	}
	return NoProcessHidden
}

var noProcessNotes = map[NoProcess]string{
	NoProcessQueued:    "No process holds it yet: the connection waits in the listener's queue; the program has not accepted it yet.",
	NoProcessHandshake: "No process holds it yet: the handshake is not finished; the listener takes it once it is.",
	NoProcessClosing:   "No process: closed by its program; the kernel finishes the goodbye.",
	NoProcessKernel:    "No process on this system holds this socket: the kernel does (a service such as NFS or WireGuard), or a process in another container or namespace.",
	NoProcessHidden:    "Owner hidden: the socket belongs to another user's process. Run with administrator rights to see it.",
}

// possibleHolders names, for a hidden socket, the visible processes
// whose open files the OS hides although they could be this user's or
// could have opened it: they changed user after they started, or asked
// not to be inspected. It cannot say which one holds the socket, if any
// (another user's process may), so it only names them, and why.
func (b *builder) possibleHolders(so *Socket, r *rawSocket) {
	if r.uid < 0 {
		return
	}
	uid := uint32(r.uid)
	for _, p := range b.res.opaque {
		if uid != 0 && !slices.Contains(p.uids[:], uid) {
			continue
		}
		if one, err := b.owner(p.pid); err == nil {
			so.PossibleHolders = append(so.PossibleHolders, one[0])
		}
	}
	if len(so.PossibleHolders) > 0 {
		so.OwnerNote = possibleNote(so.PossibleHolders)
	}
}

// possibleNote explains a hidden socket when some visible processes could
// hold it but cannot be checked.
func possibleNote(maybe []Owner) string {
	names := make([]string, 0, min(len(maybe), 3))
	for _, o := range maybe[:min(len(maybe), 3)] {
		names = append(names, fmt.Sprintf("%s (PID %d, user %s)", safeName(o.Process), o.PID, safeName(o.User)))
	}
	who := strings.Join(names, ", ")
	if len(maybe) > 3 {
		who += fmt.Sprintf(" and %d more", len(maybe)-3)
	}
	return "Owner hidden: the OS does not say which process holds it. It may be another user's process, or " + who +
		": the OS hides that process's open files, even from its own user, because it changed user after it started (a server that bound as root, then dropped its rights) or asked not to be inspected. Run with administrator rights to see which."
}
