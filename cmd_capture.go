package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/gopacket/gopacket/layers"

	"github.com/loopscope/loopscope/internal/cli"
	"github.com/loopscope/loopscope/sniff"
)

// captureFlags are capture's options, named as tcpdump's are.
type captureFlags struct {
	iface, filter, write, read *string
	count                      *int
	json                       *bool
}

// setupCapture: print the packets on an interface (or in a file), one
// line each, until COUNT packets or an interrupt.
func setupCapture(fs *flag.FlagSet) cli.Run {
	f := captureFlags{
		iface:  fs.String("i", "", "the interface (default: loopback)"),
		filter: fs.String("f", "", "a capture filter, like 'tcp port 8080'"),
		count:  fs.Int("c", 0, "stop after this many packets (default: until interrupted)"),
		write:  fs.String("w", "", "write the packets to this pcap file ('-' for stdout) instead of printing them"),
		read:   fs.String("r", "", "read packets from this .pcap or .pcapng file ('-' for stdin) instead of an interface"),
		json:   fs.Bool("json", false, "one JSON object per packet"),
	}
	return func(inv *cli.Invocation) error {
		if *f.count < 0 {
			return cli.Usagef("capture: -c %d: give a positive number of packets", *f.count)
		}
		if *f.read != "" && *f.iface != "" {
			return cli.Usagef("capture: -i and -r together: capture from an interface or read a file, not both")
		}
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		if *f.read != "" {
			return f.fromFile(ctx, inv)
		}
		return f.live(ctx, inv)
	}
}

// packetSink prints or writes each packet, and counts them.
type packetSink struct {
	out     *bufio.Writer
	json    bool
	pcap    *sniff.Writer
	pcapOut io.Closer
	dec     map[layers.LinkType]*sniff.Decoder
	n       uint64
	last    time.Time
}

func (f captureFlags) sink(inv *cli.Invocation, link layers.LinkType) (*packetSink, error) {
	s := &packetSink{out: bufio.NewWriterSize(inv.Stdout, 64<<10), json: *f.json, dec: map[layers.LinkType]*sniff.Decoder{}}
	if *f.write != "" {
		var w io.Writer = inv.Stdout
		if *f.write != "-" {
			file, err := os.Create(*f.write)
			if err != nil {
				return nil, fmt.Errorf("capture: %w", err)
			}
			w, s.pcapOut = file, file
		}
		pw, err := sniff.NewWriter(w, link, sniff.MaxSnaplen)
		if err != nil {
			return nil, fmt.Errorf("capture: write %s: %w", *f.write, err)
		}
		s.pcap = pw
	}
	return s, nil
}

// put handles one packet.
func (s *packetSink) put(rec sniff.Record) error {
	s.n++
	if s.pcap != nil {
		return s.pcap.Write(rec)
	}
	d := s.dec[rec.Link]
	if d == nil {
		var err error
		if d, err = sniff.NewDecoder(rec.Link); err != nil {
			return fmt.Errorf("capture: packet %d: %w", s.n, err)
		}
		s.dec[rec.Link] = d
	}
	p := sniff.Packet{No: s.n}
	d.Decode(rec.Data, rec.CI, &p)
	var err error
	if s.json {
		_, err = s.out.Write(packetJSON(&p, rec.Data))
	} else {
		_, err = s.out.WriteString(packetLine(&p, rec.Data))
	}
	if now := time.Now(); now.Sub(s.last) > 100*time.Millisecond {
		s.last = now
		err = errors.Join(err, s.out.Flush()) // lines show as they come, without a write per packet
	}
	return err
}

// idle flushes what is buffered: no packet is waiting.
func (s *packetSink) idle() {
	if s.pcap != nil {
		s.pcap.Flush()
	}
	s.out.Flush()
}

func (s *packetSink) close() error {
	var err error
	if s.pcap != nil {
		err = s.pcap.Flush()
	}
	err = errors.Join(err, s.out.Flush())
	if s.pcapOut != nil {
		err = errors.Join(err, s.pcapOut.Close())
	}
	return err
}

// live captures on an interface.
func (f captureFlags) live(ctx context.Context, inv *cli.Invocation) error {
	iface := *f.iface
	if iface == "" {
		if iface = sniff.LoopbackName(); iface == "" {
			return errors.New("capture: no loopback interface to capture on; name one with -i")
		}
	}
	// The filter first: a mistake in it is the user's whatever the rights.
	if why := sniff.CheckFilter(*f.filter); why != "" {
		return cli.Usagef("capture: bad capture filter %q: %s", *f.filter, why)
	}
	cfg := sniff.LiveConfig{Interface: iface, Filter: *f.filter}
	src, link, err := openCapture(cfg)
	switch {
	case errors.Is(err, sniff.ErrFilter):
		return cli.Usagef("capture: %v", err)
	case errors.Is(err, sniff.ErrPermission):
		return fmt.Errorf("capture: %v.\n%s", err, permissionAdvice())
	case err != nil:
		return fmt.Errorf("capture: %w", err)
	}
	defer src.Close()
	context.AfterFunc(ctx, src.Stop)
	sink, err := f.sink(inv, link)
	if err != nil {
		return err
	}
	if l, ok := src.(*sniff.Live); ok {
		l.OnIdle(sink.idle)
	}
	for *f.count == 0 || sink.n < uint64(*f.count) {
		rec, err := src.Next()
		if errors.Is(err, sniff.ErrStopped) {
			break
		}
		if err == nil {
			err = sink.put(rec)
		}
		if err != nil {
			sink.close()
			return err
		}
	}
	err = sink.close()
	src.Stop()
	dropped := "?"
	if st, ok := src.(interface{ Stats() (sniff.Stats, error) }); ok {
		if s, serr := st.Stats(); serr == nil {
			dropped = strconv.Itoa(s.Dropped)
		}
	}
	fmt.Fprintf(inv.Stderr, "%d captured, %s dropped by kernel\n", sink.n, dropped)
	return err
}

// fromFile reads a capture file, or stdin.
func (f captureFlags) fromFile(ctx context.Context, inv *cli.Invocation) error {
	var r *sniff.FileReader
	var err error
	if *f.read == "-" {
		r, err = sniff.NewFileReader(os.Stdin)
	} else {
		r, err = sniff.OpenFile(*f.read)
	}
	if err != nil {
		return fmt.Errorf("capture: %w", err)
	}
	defer r.Close()
	var sink *packetSink
	var match *sniff.Matcher
	read := 0
	for ctx.Err() == nil && (*f.count == 0 || sink == nil || sink.n < uint64(*f.count)) {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			if sink != nil {
				sink.close()
			}
			return fmt.Errorf("capture: %s: %w", *f.read, err)
		}
		read++
		if sink == nil { // the first packet tells the link type the output takes
			if sink, err = f.sink(inv, rec.Link); err != nil {
				return err
			}
			if match, err = sniff.NewMatcher(rec.Link, *f.filter); err != nil {
				return cli.Usagef("capture: %v", err)
			}
		}
		if !match.Matches(rec) {
			continue
		}
		if err := sink.put(rec); err != nil {
			sink.close()
			return err
		}
	}
	shown := uint64(0)
	if sink != nil {
		shown = sink.n
		if err := sink.close(); err != nil {
			return err
		}
	}
	fmt.Fprintf(inv.Stderr, "%d read, %d shown\n", read, shown)
	return nil
}

// openCapture captures in this process when it may (root, the terminal
// tool), else through the capture helper when it may: the right to
// capture belongs to the helper, never to loopscope, which is also the
// window.
func openCapture(cfg sniff.LiveConfig) (sniff.Source, layers.LinkType, error) {
	l, err := sniff.OpenLive(cfg)
	if err == nil {
		return l, l.LinkType(), nil
	}
	if !errors.Is(err, sniff.ErrPermission) {
		return nil, 0, err
	}
	helper, herr := sniff.FindHelper()
	if herr != nil {
		return nil, 0, err
	}
	h, herr := sniff.StartHelper(nil, helper, cfg)
	if herr != nil {
		return nil, 0, herr
	}
	return h, h.LinkType(), nil
}

// permissionAdvice says how to be allowed to capture: root, or the
// capture helper given the right once.
func permissionAdvice() string {
	helper, err := sniff.FindHelper()
	if err != nil {
		return "Capturing packets needs the right to read the interface: run it as root (sudo loopscope capture …), or install the capture helper beside loopscope ('make install') and give it that right."
	}
	return "Capturing packets needs the right to read the interface: run it as root (sudo loopscope capture …), or give the capture helper that right once (a rebuild drops it):\n  sudo setcap cap_net_raw,cap_net_admin+eip " + helper + "\nloopscope capture then captures through it."
}
