package gui

import (
	"net/netip"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/loopscope/loopscope/netinfo"
)

// sortedRows returns pointers to rows, ordered by spec's column, then by
// the tie columns, then by key. Rows for which last says so (no process, in the
// Process column) go after the others whichever way the column is sorted.
// Sorting pointers, not the rows, keeps a sort of 18,000 large rows from
// copying them around.
func sortedRows[T any](rows []*T, spec sortSpec, compare func(a, b *T, col int) int, last func(*T, int) bool, tie []int,
	key func(*T) string) []*T {
	out := slices.Clone(rows)
	slices.SortFunc(out, func(a, b *T) int {
		if last != nil {
			if la, lb := last(a, spec.col), last(b, spec.col); la != lb {
				if la {
					return 1
				}
				return -1
			}
		}
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
		if c == 0 {
			c = strings.Compare(key(a), key(b)) // a total order: the same rows always sort the same way
		}
		return c
	})
	return out
}

// filterSorted keeps the rows whose search text holds every word of
// query, in their order: a keystroke in the filter box only scans.
func filterSorted[T any](sorted []*T, query string, search func(*T) string) []*T {
	words := filterWords(query)
	if len(words) == 0 {
		return slices.Clone(sorted)
	}
	out := make([]*T, 0, len(sorted))
	for _, r := range sorted {
		if matchesAll(search(r), words) {
			out = append(out, r)
		}
	}
	return out
}

func matchesAll(text string, words []string) bool {
	for _, w := range words {
		if isPortWord(w) {
			if !containsPort(text, w) {
				return false
			}
		} else if !strings.Contains(text, w) {
			return false
		}
	}
	return true
}

// filterWords are a filter's words, lower-case. "port 8080" and
// "tcp.port==8080" — what capture filters and Wireshark take — become
// ":8080", the way the tables write a port.
func filterWords(query string) []string {
	raw := strings.Fields(strings.ToLower(query))
	words := make([]string, 0, len(raw))
	for i := 0; i < len(raw); i++ {
		w := raw[i]
		if w == "port" && i+1 < len(raw) && isPortWord(":"+raw[i+1]) {
			w = ":" + raw[i+1]
			i++
		} else if _, n, ok := strings.Cut(w, ".port=="); ok && isPortWord(":"+n) {
			w = ":" + n
		}
		words = append(words, w)
	}
	return words
}

// isPortWord reports whether w is ":" and a port number.
func isPortWord(w string) bool {
	return len(w) > 1 && w[0] == ':' && strings.Trim(w[1:], "0123456789") == ""
}

// containsPort reports whether text holds the port word w (":80") whole:
// ":80" is not in "127.0.0.1:8080".
func containsPort(text, w string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], w)
		if j < 0 {
			return false
		}
		end := i + j + len(w)
		if end == len(text) || text[end] < '0' || text[end] > '9' {
			return true
		}
		i = end
	}
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

// notWeb are services on which a browser has nothing to show.
var notWeb = []string{"ssh", "smtp", "submission", "submissions", "domain", "redis", "postgresql", "mysql",
	"mongodb", "memcached", "ms-sql-s", "oracle", "ldap", "ldaps", "imap", "imaps", "pop3", "pop3s", "ftp",
	"telnet", "amqp", "mqtt", "secure-mqtt", "kafka", "zookeeper", "epmd", "sip", "sips", "xmpp-client",
	"xmpp-server", "vnc", "ms-wbt-server (RDP)", "microsoft-ds", "netbios-ssn", "nfs", "rsync", "git", "node-inspector"}

// maybeWeb reports whether a listener may answer a browser: any port but
// those of well-known services that do not speak HTTP.
func maybeWeb(s netinfo.Socket) bool { return !slices.Contains(notWeb, s.Service) }
