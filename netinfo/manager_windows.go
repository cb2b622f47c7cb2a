package netinfo

import (
	"errors"
	"strconv"
	"sync"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// servicesEvery bounds how often the service list is read: services
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

// runningServices maps each running service's PID to its name, in one
// call to the service manager with only the right to list (no handle per
// service). Several services can share one svchost process: the first is
// named, with how many more.
func runningServices() map[int32]string {
	out := map[int32]string{}
	scm, err := windows.OpenSCManager(nil, nil, windows.SC_MANAGER_ENUMERATE_SERVICE)
	if err != nil {
		return out
	}
	defer windows.CloseServiceHandle(scm)
	var buf []byte
	var needed, count, resume uint32
	for size := uint32(64 << 10); ; size = needed {
		buf = make([]byte, size)
		err = windows.EnumServicesStatusEx(scm, windows.SC_ENUM_PROCESS_INFO, windows.SERVICE_WIN32, windows.SERVICE_ACTIVE,
			&buf[0], size, &needed, &count, &resume, nil)
		if !errors.Is(err, windows.ERROR_MORE_DATA) || needed <= size {
			break
		}
		resume = 0 // read the whole list again into the larger buffer
	}
	if err != nil || count == 0 {
		return out
	}
	list := unsafe.Slice((*windows.ENUM_SERVICE_STATUS_PROCESS)(unsafe.Pointer(&buf[0])), count)
	shared := map[int32]int{}
	for _, s := range list {
		pid := int32(s.ServiceStatusProcess.ProcessId)
		if pid == 0 {
			continue
		}
		shared[pid]++
		if shared[pid] == 1 {
			name := windows.UTF16PtrToString(s.ServiceName)
			if display := windows.UTF16PtrToString(s.DisplayName); display != "" && display != name {
				name += " (" + display + ")"
			}
			out[pid] = "Windows service " + name
		}
	}
	for pid, n := range shared {
		if n > 1 {
			out[pid] += " and " + strconv.Itoa(n-1) + " more"
		}
	}
	return out
}
