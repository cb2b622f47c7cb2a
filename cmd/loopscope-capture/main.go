// Command loopscope-capture is Loopscope's capture helper: the one small
// program that needs the right to capture packets, so the window never
// does (the way Wireshark's dumpcap is the only part that captures).
// Loopscope starts it through pkexec, or runs it directly once it has the
// capture capability (setcap), and reads its output.
//
//	loopscope-capture -i IFACE [-f FILTER] [-s SNAPLEN] [-p]
//
// It captures on IFACE with FILTER and writes the packets to stdout as a
// pcap stream; nothing else. It stops when its stdin closes (its parent
// is gone or pressed Stop: a parent without root cannot signal a helper
// that runs as root), on SIGINT or SIGTERM, or when stdout closes. At the
// end it writes one line to stderr: "N captured, D dropped by kernel".
// Errors go to stderr as one line; exit 2 for a bad filter or argument,
// 1 for anything else. It opens no files and takes no other input.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/loopscope/loopscope/sniff"
)

// flushEvery bounds how long a packet waits in the helper's buffer.
const flushEvery = 50 * time.Millisecond

func main() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("loopscope-capture", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	iface := fs.String("i", "", "the interface")
	filter := fs.String("f", "", "a capture filter")
	snap := fs.Int("s", sniff.MaxSnaplen, "bytes kept of each packet")
	promisc := fs.Bool("p", false, "promiscuous mode")
	if err := fs.Parse(args); err != nil || fs.NArg() != 0 || *iface == "" {
		fmt.Fprintln(stderr, "loopscope-capture: usage: loopscope-capture -i IFACE [-f FILTER] [-s SNAPLEN] [-p]")
		return 2
	}
	if *snap <= 0 || *snap > sniff.MaxSnaplen {
		fmt.Fprintf(stderr, "loopscope-capture: -s %d: give 1 to %d\n", *snap, sniff.MaxSnaplen)
		return 2
	}
	l, err := sniff.OpenLive(sniff.LiveConfig{Interface: *iface, Filter: *filter, Snaplen: *snap, Promisc: *promisc})
	if err != nil {
		fmt.Fprintln(stderr, "loopscope-capture:", err)
		if errors.Is(err, sniff.ErrFilter) {
			return 2
		}
		return 1
	}
	defer l.Close()
	// Stop when stdin closes, or on a signal.
	go func() {
		io.Copy(io.Discard, stdin)
		l.Stop()
	}()
	// A closed stdout is an error to report, not a SIGPIPE that kills
	// before the stats line.
	signal.Ignore(syscall.SIGPIPE)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sig
		l.Stop()
	}()
	w, err := sniff.NewWriter(stdout, l.LinkType(), uint32(*snap))
	if err != nil {
		fmt.Fprintln(stderr, "loopscope-capture:", err)
		return 1
	}
	l.OnIdle(func() {
		if w.Flush() != nil {
			l.Stop() // the reader is gone
		}
	})
	n := 0
	code := 0
	last := time.Now()
	for {
		rec, err := l.Next()
		if errors.Is(err, sniff.ErrStopped) {
			break
		}
		if err == nil {
			err = w.Write(rec)
		}
		// Under steady traffic the capture never idles: flush by time too,
		// or the window would see packets only once 64 KiB had built up.
		if now := time.Now(); err == nil && now.Sub(last) >= flushEvery {
			last = now
			err = w.Flush()
		}
		if err != nil {
			if !errors.Is(err, syscall.EPIPE) {
				fmt.Fprintln(stderr, "loopscope-capture:", err)
				code = 1
			}
			break
		}
		n++
	}
	w.Flush()
	dropped := "?"
	if st, err := l.Stats(); err == nil {
		dropped = fmt.Sprint(st.Dropped)
	}
	fmt.Fprintf(stderr, "%d captured, %s dropped by kernel\n", n, dropped)
	return code
}
