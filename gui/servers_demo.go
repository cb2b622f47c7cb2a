package gui

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"fyne.io/fyne/v2"

	"github.com/loopscope/loopscope/sniff"

	"github.com/loopscope/loopscope/netinfo/serve"
)

type demoRequest struct{ method, path, body string }

// demoRequests are what a browser and a client under test might send a
// new server of kind: pages and calls it answers, and a miss.
func demoRequests(kind serve.Kind) []demoRequest {
	switch kind {
	case serve.API:
		return []demoRequest{
			{"GET", "/api/hello", ""},
			{"GET", "/api/users", ""},
			{"GET", "/api/users/7", ""},
			{"POST", "/api/users", `{"name":"Ada"}`},
			{"GET", "/api/orders", ""},
		}
	case serve.Files:
		return []demoRequest{{"GET", "/", ""}, {"GET", "/README.md", ""}, {"GET", "/.env", ""}, {"GET", "/favicon.ico", ""}}
	}
	return []demoRequest{
		{"GET", "/", ""},
		{"GET", "/api/users?page=2", ""},
		{"POST", "/api/login", `{"user":"ada"}`},
		{"GET", "/favicon.ico", ""},
	}
}

// ShowServing starts a server of kind, as the Start button does, makes a
// few requests to it as a browser would, and waits until its log shows
// them; with send, it also sends a JSON POST from the Send a request
// panel and shows the answer. It is how `loopscope screenshot --serve`
// shows the tab in use. It blocks: call it off the UI goroutine.
func (u *UI) ShowServing(kind serve.Kind, dir string, send bool) error {
	v := u.servers
	s, err := v.mgr.Start(serve.Config{Kind: kind, Dir: dir})
	if err != nil {
		return err
	}
	fyne.DoAndWait(func() { v.started(s) })
	if !kind.HTTP() {
		return nil
	}
	client := &http.Client{Timeout: 5 * time.Second}
	demo := demoRequests(kind)
	for _, r := range demo {
		req, err := http.NewRequest(r.method, s.URL()+strings.TrimPrefix(r.path, "/"), bytes.NewBufferString(r.body))
		if err != nil {
			return err
		}
		if r.body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := client.Do(req)
		if err != nil {
			return fmt.Errorf("the %s server did not answer %s %s: %w", kind, r.method, r.path, err)
		}
		resp.Body.Close()
	}
	if err := waitUI(func() bool { return s.Log().Total() >= uint64(len(demo)) }); err != nil {
		return errors.New("the server did not log the requests")
	}
	if !send {
		return nil
	}
	answered := make(chan struct{}, 1)
	fyne.DoAndWait(func() {
		p := v.send
		v.inner.SelectIndex(1)
		p.method.SetSelected("POST")
		p.useURL(s.URL() + "api/users?team=core")
		p.form.headers.SetText("Accept: application/json")
		p.form.kind.SetSelected(bodyJSON)
		p.form.body.SetText("{\n  \"name\": \"Ada\",\n  \"admin\": true\n}")
		p.done = func() { answered <- struct{}{} }
		p.start()
	})
	select {
	case <-answered:
	case <-time.After(10 * time.Second):
		return errors.New("the request panel got no answer")
	}
	return waitUI(func() bool { return len(v.logRows) > len(demo) })
}

// waitUI waits until cond, read on the UI goroutine, holds.
func waitUI(cond func() bool) error {
	for range 200 {
		var ok bool
		fyne.DoAndWait(func() { ok = cond() })
		if ok {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return errors.New("timed out")
}

// StartCapture starts a capture on the Packets tab's interface (loopback
// by default) with filter, as the Start button does, and waits until it
// runs: how `loopscope screenshot --capture` shows the tab in use. It
// blocks: call it off the UI goroutine.
func (u *UI) StartCapture(filter string) error {
	v := u.packets
	v.bar.prepare()
	fyne.DoAndWait(func() {
		v.bar.filter.SetText(filter)
		v.bar.startPressed()
	})
	if err := waitUI(func() bool { return v.bar.running }); err != nil {
		return errors.New("the capture did not start: " + v.state)
	}
	return nil
}

// WaitPackets waits until the Packets tab shows n packets, and selects
// the first HTTP one, so its layers show.
func (u *UI) WaitPackets(n int) error {
	v := u.packets
	http := func() int {
		for i, r := range v.table.rows {
			if r.e.Proto == sniff.ProtoHTTP {
				return i
			}
		}
		return -1
	}
	if err := waitUI(func() bool { return len(v.table.rows) >= n }); err != nil {
		return err
	}
	// The demo's exchange is HTTP: wait a moment for its request, and
	// show it, in view (following the newest would scroll it away).
	for range 40 {
		var found bool
		fyne.DoAndWait(func() { found = http() >= 0 })
		if found {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	// And for the programs at its ends: the first packets come before the
	// sockets are read again (every 2 s while capturing).
	for range 60 {
		var named bool
		fyne.DoAndWait(func() { named = http() >= 0 && v.cell(v.table.rows[http()], pcolProg).text != "—" })
		if named {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	fyne.DoAndWait(func() {
		if i := http(); i >= 0 {
			v.follow.SetChecked(false)
			v.table.choose(i, 0)
		}
	})
	return nil
}
