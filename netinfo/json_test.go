package netinfo

import (
	"encoding/json"
	"net/netip"
	"reflect"
	"testing"
	"time"
)

func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	yes := true
	sockets := []Socket{
		{Proto: TCP, Family: IPv4, LocalIP: netip.MustParseAddr("127.0.0.1"), LocalPort: 8080, State: StateListen,
			Owner: Owner{PID: 42, Process: "py<th>on&", Exe: "/usr/bin/python3", User: "dev",
				Cmdline: "python3 -c \"print('\\t')\"\n\x01 \u2028 \xff", Started: time.UnixMilli(1_700_000_000_123), Parent: 1, Manager: "systemd unit a.service"},
			Exposure: ExposureLoopback, PortClass: Registered, Service: "http-alt"},
		{Proto: UDP, Family: IPv6, LocalIP: netip.IPv6Unspecified(), LocalPort: 5353, State: StateUnconn,
			Owner:    Owner{OwnerHidden: true, OwnerNote: "hidden"},
			Exposure: ExposureAll, PortClass: Registered, Ephemeral: true, AcceptsIPv4: &yes},
		{Proto: TCP, Family: IPv4, LocalIP: netip.MustParseAddr("192.0.2.2"), LocalPort: 40000,
			RemoteIP: netip.MustParseAddr("192.0.2.9"), RemotePort: 443, State: "ESTABLISHED",
			Exposure: ExposureSpecific, Interface: "eth0", Device: "eth0", PortClass: Registered},
	}
	worker := Owner{PID: 43, Process: "worker", User: "www-data", Started: time.UnixMilli(1_700_000_000_999), Parent: 42}
	sockets[0].Holders = []Owner{sockets[0].Owner, worker}
	sockets[1].Holders, sockets[1].NoProcess = []Owner{}, NoProcessHidden
	sockets[1].PossibleHolders = []Owner{worker}
	sockets[2].Holders, sockets[2].NoProcess = []Owner{}, NoProcessQueued
	second := sockets[0] // another socket of the same process: its owner is encoded once
	second.LocalPort, second.Service = 9090, ""
	second.Holders = []Owner{second.Owner}
	sockets = append(sockets, second)
	for _, in := range [][]Socket{sockets, nil} {
		var got, want any
		if err := json.Unmarshal(AppendJSON(nil, in), &got); err != nil {
			t.Fatalf("AppendJSON made invalid JSON: %v\n%s", err, AppendJSON(nil, in))
		}
		ref, _ := json.Marshal(in)
		if in == nil {
			ref = []byte("[]")
		}
		json.Unmarshal(ref, &want)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("AppendJSON decodes to\n%v\nencoding/json to\n%v", got, want)
		}
	}
}

// FuzzAppendStr: any string encodes to JSON that decodes as encoding/json's does.
func FuzzAppendStr(f *testing.F) {
	for _, s := range []string{"", "plain", "q\"b\\", "\x00\x1f<>&", "\u2028\u2029", "\xff\xfe", "日本"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := appendStr(nil, s); string(got) != string(want) {
			t.Errorf("appendStr(%q) = %s, encoding/json gives %s", s, got, want)
		}
	})
}
