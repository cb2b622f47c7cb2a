package netinfo

import (
	"strconv"
	"sync"
	"time"

	"github.com/shirou/gopsutil/v4/winservices"
)

// servicesEvery bounds how often the service list is read: asking the
// service manager for every service's PID takes a while, and services
// rarely come and go.
const servicesEvery = 10 * time.Second

var winServices struct {
	mu    sync.Mutex // guards the rest
	at    time.Time
	byPID map[int32]string
}

// managerOf names the Windows service a process runs ("Windows service
// Dnscache (DNS Client)"), from the service manager, which any user may
// ask; "" for a process no service runs.
func managerOf(pid int32) string {
	winServices.mu.Lock()
	defer winServices.mu.Unlock()
	if winServices.byPID == nil || time.Since(winServices.at) > servicesEvery {
		winServices.byPID, winServices.at = runningServices(), time.Now()
	}
	return winServices.byPID[pid]
}

// runningServices maps each running service's PID to its name. Several
// services can share one svchost process: the first is named, with how
// many more.
func runningServices() map[int32]string {
	out := map[int32]string{}
	count := map[int32]int{}
	list, err := winservices.ListServices()
	if err != nil {
		return out
	}
	for _, s := range list {
		svc, err := winservices.NewService(s.Name)
		if err != nil {
			continue
		}
		st, err := svc.QueryStatus()
		if err != nil || st.Pid == 0 {
			continue
		}
		pid := int32(st.Pid)
		count[pid]++
		if count[pid] == 1 {
			out[pid] = "Windows service " + s.Name
		}
	}
	for pid, n := range count {
		if n > 1 {
			out[pid] += " and " + strconv.Itoa(n-1) + " more"
		}
	}
	return out
}
