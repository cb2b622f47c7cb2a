package diagnose

import (
	"bufio"
	"context"
	"net"
	"os"
	"runtime"
	"strings"
)

// Localhost is what the name localhost turns into on this machine, in
// the order programs try the addresses, and where that comes from.
type Localhost struct {
	Addresses []string `json:"addresses"`
	Hosts     []string `json:"hosts_lines"` // the hosts file's lines that name localhost
	Order     string   `json:"order"`       // the resolver's order: nsswitch's hosts line on Linux
	Error     string   `json:"error,omitempty"`
}

// ResolveLocalhost asks the resolver for localhost, within the probe
// timeout, and reads where its answer comes from.
func ResolveLocalhost(ctx context.Context) Localhost {
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	var l Localhost
	addrs, err := net.DefaultResolver.LookupHost(ctx, "localhost")
	if err != nil {
		l.Error = err.Error()
	}
	l.Addresses = append([]string{}, addrs...)
	hostsFile := "/etc/hosts"
	if runtime.GOOS == "windows" {
		hostsFile = os.Getenv("SystemRoot") + `\System32\drivers\etc\hosts`
	}
	l.Hosts = linesNaming(hostsFile, "localhost")
	if runtime.GOOS == "linux" {
		if lines := linesStarting("/etc/nsswitch.conf", "hosts:"); len(lines) > 0 {
			l.Order = lines[0]
		}
	}
	return l
}

// linesNaming are the lines of a hosts file that give an address for name.
func linesNaming(path, name string) []string {
	var out []string
	forLines(path, func(line string) {
		f := strings.Fields(line)
		for _, w := range f[min(1, len(f)):] {
			if w == name {
				out = append(out, strings.Join(f, " "))
				return
			}
		}
	})
	return out
}

func linesStarting(path, prefix string) []string {
	var out []string
	forLines(path, func(line string) {
		if strings.HasPrefix(line, prefix) {
			out = append(out, strings.Join(strings.Fields(line), " "))
		}
	})
	return out
}

// forLines calls fn with each line of path that is not a comment.
func forLines(path string, fn func(string)) {
	f, err := os.Open(path)
	if err != nil {
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		if strings.TrimSpace(line) != "" {
			fn(line)
		}
	}
}
