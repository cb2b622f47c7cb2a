package netinfo

import (
	"os"
	"strconv"
)

// managerOf reads what manages pid: a systemd unit or a container.
func managerOf(pid int32) string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(int(pid)) + "/cgroup")
	if err != nil {
		return ""
	}
	return parseCgroupManager(string(b))
}
