package netinfo

import "testing"

func TestParsePortRange(t *testing.T) {
	tests := []struct {
		in     string
		want   PortRange
		wantOK bool
	}{
		{"32768\t60999\n", PortRange{32768, 60999}, true},
		{"1024 65535", PortRange{1024, 65535}, true},
		{"60999 32768", PortRange{}, false},
		{"garbage", PortRange{}, false},
		{"", PortRange{}, false},
	}
	for _, tt := range tests {
		got, ok := parsePortRange(tt.in)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("parsePortRange(%q) = %+v, %v; want %+v, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}

// FuzzParsePortRange: whatever /proc holds, the parser never panics and
// never returns an inverted range.
func FuzzParsePortRange(f *testing.F) {
	for _, seed := range []string{"32768\t60999\n", "1024 65535", "60999 32768", "", "-1 5", "70000 80000", "1 2 3"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, ok := parsePortRange(s)
		if ok && r.First > r.Last {
			t.Errorf("parsePortRange(%q) = %+v, an inverted range", s, r)
		}
		if !ok && r != (PortRange{}) {
			t.Errorf("parsePortRange(%q) failed but returned %+v", s, r)
		}
	})
}
