package netinfo

// ownersAlwaysVisible: Windows reports the owning PID of every socket to
// every user; only some process details need administrator rights.
func ownersAlwaysVisible() bool { return true }
