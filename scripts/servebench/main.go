// Command servebench compares Loopscope's static file server with Go's
// plain http.FileServer and with python3 -m http.server: the same 4 KiB
// file, the same client (keep-alive where the server allows it), the
// same number of connections, in alternating rounds so that whatever
// else the machine does falls on all three alike. It prints requests per
// second for each and the two ratios the README quotes. Run by make bench.
//
//	go run ./scripts/servebench [-conns 8] [-round 2s] [-rounds 3]
package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/loopscope/loopscope/netinfo/serve"
)

func main() {
	conns := flag.Int("conns", 8, "concurrent connections")
	round := flag.Duration("round", 2*time.Second, "length of one round")
	rounds := flag.Int("rounds", 3, "rounds per server")
	flag.Parse()
	if err := run(*conns, *round, *rounds); err != nil {
		fmt.Fprintln(os.Stderr, "servebench:", err)
		os.Exit(1)
	}
}

// contender is one server under test.
type contender struct {
	name  string
	url   string
	stop  func()
	reqs  int64
	spent time.Duration
}

func run(conns int, round time.Duration, rounds int) error {
	dir, err := os.MkdirTemp("", "servebench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	data := make([]byte, 4096)
	rand.Read(data)
	if err := os.WriteFile(filepath.Join(dir, "file.bin"), data, 0o644); err != nil {
		return err
	}
	cs, err := startAll(dir)
	for _, c := range cs {
		defer c.stop()
	}
	if err != nil {
		return err
	}
	for _, c := range cs {
		if err := check(c.url+"file.bin", data); err != nil {
			return fmt.Errorf("%s: %w", c.name, err)
		}
	}
	fmt.Printf("GET of one 4 KiB file, %d connections, %d rounds of %s per server, alternating\n", conns, rounds, round)
	for r := 0; r < rounds; r++ {
		for _, c := range cs {
			n, err := load(c.url+"file.bin", conns, round)
			if err != nil {
				return fmt.Errorf("%s: %w", c.name, err)
			}
			c.reqs += n
			c.spent += round
		}
	}
	rate := func(c *contender) float64 { return float64(c.reqs) / c.spent.Seconds() }
	for _, c := range cs {
		fmt.Printf("  %-22s %9.0f requests/s\n", c.name, rate(c))
	}
	if len(cs) >= 2 {
		fmt.Printf("Loopscope / http.FileServer = %.2f (target: at least 0.90)\n", rate(cs[0])/rate(cs[1]))
	}
	if len(cs) >= 3 {
		fmt.Printf("Loopscope / python3 http.server = %.1f× (target: over 10×)\n", rate(cs[0])/rate(cs[2]))
	}
	return nil
}

// startAll starts the three servers on the folder; python is skipped,
// with a note, when it is not installed.
func startAll(dir string) ([]*contender, error) {
	var cs []*contender
	s, err := serve.New(serve.Config{Kind: serve.Files, Dir: dir})
	if err == nil {
		err = s.Start()
	}
	if err != nil {
		return cs, err
	}
	cs = append(cs, &contender{name: "Loopscope files", url: s.URL(), stop: func() { s.Close() }})

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return cs, err
	}
	hs := &http.Server{Handler: http.FileServer(http.Dir(dir))}
	go hs.Serve(ln)
	cs = append(cs, &contender{name: "Go http.FileServer", url: "http://" + ln.Addr().String() + "/", stop: func() { hs.Close() }})

	py, err := startPython(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "servebench: python3 http.server not compared:", err)
		return cs, nil
	}
	return append(cs, py), nil
}

// startPython runs python3 -m http.server on a free port and waits until
// it answers.
func startPython(dir string) (*contender, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cmd := exec.Command("python3", "-m", "http.server", fmt.Sprint(port), "--bind", "127.0.0.1", "--directory", dir)
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go io.Copy(io.Discard, bufio.NewReader(stderr)) // its request log
	c := &contender{name: "python3 http.server", url: fmt.Sprintf("http://127.0.0.1:%d/", port),
		stop: func() { cmd.Process.Kill(); cmd.Wait() }}
	for i := 0; i < 100; i++ {
		if conn, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
			conn.Close()
			return c, nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	c.stop()
	return nil, errors.New("it did not start listening")
}

// check fetches url once and compares the body.
func check(url string, want []byte) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 || string(got) != string(want) {
		return fmt.Errorf("GET %s: %d, %d bytes, %v", url, resp.StatusCode, len(got), err)
	}
	return nil
}

// load sends GETs of url on conns connections for d and counts the
// complete answers.
func load(url string, conns int, d time.Duration) (int64, error) {
	tr := &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var n atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	for i := 0; i < conns; i++ {
		wg.Go(func() {
			buf := make([]byte, 8192)
			for ctx.Err() == nil {
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
				resp, err := client.Do(req)
				if err != nil {
					if ctx.Err() == nil && !strings.Contains(err.Error(), "reset") {
						firstErr.CompareAndSwap(nil, err)
					}
					continue
				}
				_, err = io.CopyBuffer(io.Discard, resp.Body, buf)
				resp.Body.Close()
				if err == nil && resp.StatusCode == 200 {
					n.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if err, ok := firstErr.Load().(error); ok {
		return n.Load(), err
	}
	return n.Load(), nil
}
