// Package netinfo lists the machine's TCP and UDP sockets and the processes
// that own them, and explains each one: who can reach it, what kind of port it
// is, and which service usually lives there.
//
// It never imports Fyne: it returns values and errors, and the gui package
// decides how to show them.
package netinfo
