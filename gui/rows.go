package gui

import (
	"net/netip"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/loopscope/loopscope/netinfo"
)

// sortRows orders rows by spec's column, then by the tie columns. Rows for
// which last says so (no process, in the Process column) go after the
// others whichever way the column is sorted.
func sortRows[T any](rows []T, spec sortSpec, compare func(a, b *T, col int) int, last func(*T, int) bool, tie []int) {
	slices.SortStableFunc(rows, func(a, b T) int {
		if last != nil {
			if la, lb := last(&a, spec.col), last(&b, spec.col); la != lb {
				if la {
					return 1
				}
				return -1
			}
		}
		c := compare(&a, &b, spec.col)
		if spec.desc {
			c = -c
		}
		for _, col := range tie {
			if c != 0 {
				break
			}
			c = compare(&a, &b, col)
		}
		return c
	})
}

// interpreters run a script named by their first argument that is not an
// option; the script says more about the program than they do.
var interpreters = []string{"python", "node", "nodejs", "deno", "bun", "ruby", "perl", "php", "java",
	"bash", "sh", "dash", "zsh", "dotnet", "lua", "Rscript", "tclsh", "uvicorn", "gunicorn"}

// commandSummary is what a command line says about the program beyond its
// name: "http.server 8765" for "python3 -m http.server 8765", "manage.py
// runserver" for "python3 /srv/app/manage.py runserver", the arguments
// for anything else; "" when there are none. It splits at spaces, as the
// joined command line no longer says where arguments end.
func commandSummary(cmdline string) string {
	fields := strings.Fields(cmdline)
	if len(fields) < 2 {
		return ""
	}
	prog, args := filepath.Base(fields[0]), fields[1:]
	if slices.ContainsFunc(interpreters, func(i string) bool { return strings.HasPrefix(prog, i) }) {
		for len(args) > 0 && strings.HasPrefix(args[0], "-") {
			if args[0] == "-m" && len(args) > 1 {
				return strings.Join(args[1:], " ")
			}
			args = args[1:]
		}
		if len(args) > 0 {
			args = append([]string{filepath.Base(args[0])}, args[1:]...)
		}
	}
	return strings.Join(args, " ")
}

// protoLabel is the protocol as the tables show it: "TCP" or "UDP".
func protoLabel(s netinfo.Socket) string { return strings.ToUpper(string(s.Proto)) }

// hostPort is "127.0.0.1:8080", "[::1]:8080", or "0.0.0.0%lo:8080" for a
// socket tied to a device.
func hostPort(s netinfo.Socket) string {
	if s.Device == "" {
		return netip.AddrPortFrom(s.LocalIP, s.LocalPort).String()
	}
	host := s.LocalIP.String() + "%" + safe(s.Device)
	if s.LocalIP.Is6() {
		host = "[" + host + "]"
	}
	return host + ":" + strconv.Itoa(int(s.LocalPort))
}
