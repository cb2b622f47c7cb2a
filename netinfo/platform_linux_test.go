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
