package diagnose

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/loopscope/loopscope/netinfo"
)

// Forward says that a holder of the port is a port forwarder, and where
// what arrives goes.
type Forward struct {
	PID  int32  `json:"pid"`
	Tool string `json:"tool"` // "docker-proxy", "ssh -L", "kubectl port-forward", "rootlessport", "pasta", "slirp4netns"
	To   string `json:"to"`   // "172.17.0.2:80"; "" when the command line does not say
	// Container names the container at To, where an engine says without
	// a prompt: "docker container web-1"; "" when none did.
	Container string `json:"container,omitempty"`
}

// nameContainers asks the container engines whose command lines answer
// without a prompt (docker and podman fail, rather than ask, when this
// user may not use them) which container each docker-proxy forwards to.
func nameContainers(ctx context.Context, fs []Forward) {
	for i, f := range fs {
		if f.Tool != "docker-proxy" || f.To == "" {
			continue
		}
		if ip, _, err := net.SplitHostPort(f.To); err == nil {
			fs[i].Container = containerAt(ctx, ip)
		}
	}
}

// containerAt is the running container that has address ip, or "".
func containerAt(ctx context.Context, ip string) string {
	for _, engine := range []string{"docker", "podman"} {
		ids, ok := run(ctx, engine, "ps", "-q")
		if !ok || strings.TrimSpace(ids) == "" {
			continue
		}
		args := append([]string{"inspect", "--format", "{{.Name}} {{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}"}, strings.Fields(ids)...)
		out, _ := run(ctx, engine, args...)
		for _, line := range strings.Split(out, "\n") {
			if f := strings.Fields(line); len(f) >= 2 && slices.Contains(f[1:], ip) {
				return engine + " container " + strings.TrimPrefix(f[0], "/")
			}
		}
	}
	return ""
}

// forwards finds the forwarders among the holders, from their command
// lines (only what those say: asking a container engine may prompt).
func forwards(holders []netinfo.Owner, port uint16) []Forward {
	var out []Forward
	for _, o := range holders {
		args := strings.Fields(o.Cmdline)
		if len(args) == 0 {
			continue
		}
		prog := filepath.Base(args[0])
		switch {
		case prog == "docker-proxy" || flagValue(args, "-container-ip") != "":
			f := Forward{PID: o.PID, Tool: "docker-proxy"}
			if ip, p := flagValue(args, "-container-ip"), flagValue(args, "-container-port"); ip != "" && p != "" {
				f.To = net.JoinHostPort(ip, p)
			}
			out = append(out, f)
		case prog == "ssh":
			if to := sshTarget(args, port); to != "" {
				out = append(out, Forward{PID: o.PID, Tool: "ssh -L", To: to})
			}
		case prog == "kubectl" && contains(args, "port-forward"):
			out = append(out, Forward{PID: o.PID, Tool: "kubectl port-forward", To: kubectlTarget(args, port)})
		case prog == "rootlessport" || prog == "rootlessport-child" || prog == "pasta" || prog == "slirp4netns":
			out = append(out, Forward{PID: o.PID, Tool: prog})
		}
	}
	return out
}

// flagValue is the value after flag name ("-x v" or "-x=v"), or "".
func flagValue(args []string, name string) string {
	for i, a := range args {
		if a == name && i+1 < len(args) {
			return args[i+1]
		}
		if v, ok := strings.CutPrefix(a, name+"="); ok {
			return v
		}
	}
	return ""
}

func contains(args []string, w string) bool {
	for _, a := range args {
		if a == w {
			return true
		}
	}
	return false
}

// sshTarget reads "-L [bind:]port:host:hostport" for port.
func sshTarget(args []string, port uint16) string {
	for i, a := range args {
		spec := ""
		switch {
		case a == "-L" && i+1 < len(args):
			spec = args[i+1]
		case strings.HasPrefix(a, "-L") && len(a) > 2:
			spec = a[2:]
		}
		parts := strings.Split(spec, ":")
		if n := len(parts); n >= 3 && parts[n-3] == strconv.Itoa(int(port)) {
			return net.JoinHostPort(parts[n-2], parts[n-1])
		}
	}
	return ""
}

// kubectlTarget reads "port-forward RESOURCE [LOCAL:]REMOTE" for port.
func kubectlTarget(args []string, port uint16) string {
	var resource string
	for i, a := range args {
		if a == "port-forward" && i+1 < len(args) {
			resource = args[i+1]
		}
		local, remote, ok := strings.Cut(a, ":")
		if ok && local == strconv.Itoa(int(port)) && remote != "" && resource != "" {
			return fmt.Sprintf("%s port %s", resource, remote)
		}
	}
	return resource
}
