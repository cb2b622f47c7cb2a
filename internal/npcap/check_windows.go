package npcap

import (
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/sys/windows/registry"
)

// Check reports whether Npcap is installed (its wpcap.dll is where its
// installer puts it, or, in WinPcap-compatible mode, in System32), and
// whether it captures on loopback (its LoopbackSupport setting).
func Check() (loopback bool, err error) {
	sys := os.Getenv("SystemRoot")
	if sys == "" {
		sys = `C:\Windows`
	}
	found := false
	for _, p := range []string{filepath.Join(sys, "System32", "Npcap", "wpcap.dll"), filepath.Join(sys, "System32", "wpcap.dll")} {
		if _, err := os.Stat(p); err == nil {
			found = true
			break
		}
	}
	if !found {
		return false, fmt.Errorf("%w: %s", ErrMissing, Advice)
	}
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, `SYSTEM\CurrentControlSet\Services\npcap\Parameters`, registry.QUERY_VALUE)
	if err != nil {
		return false, nil // WinPcap or an old Npcap: no loopback adapter
	}
	defer k.Close()
	v, _, err := k.GetIntegerValue("LoopbackSupport")
	return err == nil && v == 1, nil
}
