package netinfo

import "testing"

func TestParseCgroupManager(t *testing.T) {
	id := "3f4e2a1b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f"
	tests := []struct {
		name, in, want string
	}{
		{"systemd service (v2)", "0::/system.slice/nginx.service\n", "systemd unit nginx.service"},
		{"user service", "0::/user.slice/user-1000.slice/user@1000.service/app.slice/app-gnome-firefox.scope\n", "systemd unit app-gnome-firefox.scope"},
		{"docker (v2)", "0::/system.slice/docker-" + id + ".scope\n", "Docker container 3f4e2a1b9c8d"},
		{"docker (v1)", "12:pids:/docker/" + id + "\n11:memory:/docker/" + id + "\n", "Docker container 3f4e2a1b9c8d"},
		{"podman", "0::/machine.slice/libpod-" + id + ".scope/container\n", "Podman container 3f4e2a1b9c8d"},
		{"terminal session", "0::/user.slice/user-1000.slice/session-2.scope\n", "systemd unit session-2.scope"},
		{"root cgroup", "0::/\n", ""},
		{"garbage", "not a cgroup file", ""},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := parseCgroupManager(tt.in); got != tt.want {
				t.Errorf("parseCgroupManager(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// FuzzParseCgroupManager: whatever /proc holds, the parser does not panic.
func FuzzParseCgroupManager(f *testing.F) {
	f.Add("0::/system.slice/nginx.service\n")
	f.Add("12:pids:/docker/abc\n")
	f.Add("::::\n0::")
	f.Fuzz(func(t *testing.T, s string) { parseCgroupManager(s) })
}
