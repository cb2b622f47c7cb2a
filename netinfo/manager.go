package netinfo

import (
	"path"
	"regexp"
	"strings"
)

// containerID matches the 64-hex-digit id Docker and Podman give containers.
var containerID = regexp.MustCompile(`[0-9a-f]{64}`)

// parseCgroupManager says what manages a process, from the text of
// /proc/PID/cgroup: a Docker or Podman container, or a systemd unit; ""
// when nothing can be told.
func parseCgroupManager(cgroup string) string {
	for _, line := range strings.Split(cgroup, "\n") {
		// "hierarchy-ID:controllers:path"; cgroup v2 has one line "0::/path".
		parts := strings.SplitN(line, ":", 3)
		if len(parts) != 3 {
			continue
		}
		p := parts[2]
		switch {
		case strings.Contains(p, "docker"):
			if id := containerID.FindString(p); id != "" {
				return "Docker container " + id[:12]
			}
		case strings.Contains(p, "libpod"):
			if id := containerID.FindString(p); id != "" {
				return "Podman container " + id[:12]
			}
		}
		if unit := systemdUnit(p); unit != "" {
			return "systemd unit " + unit
		}
	}
	return ""
}

// systemdUnit returns the innermost service or scope of a cgroup path,
// e.g. "/system.slice/nginx.service" -> "nginx.service".
func systemdUnit(p string) string {
	for dir := p; dir != "/" && dir != "." && dir != ""; dir = path.Dir(dir) {
		base := path.Base(dir)
		if strings.HasSuffix(base, ".service") || strings.HasSuffix(base, ".scope") {
			return base
		}
	}
	return ""
}
