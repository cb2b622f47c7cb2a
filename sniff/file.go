package sniff

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// MaxSnaplen is the most of a packet Loopscope captures or writes.
const MaxSnaplen = 262144

// Record is one packet read from a file or a capture.
type Record struct {
	Data []byte
	CI   gopacket.CaptureInfo
	Link layers.LinkType
}

// FileReader reads the packets of a .pcap or .pcapng file. gopacket's
// readers check each record's length against the file's limits and grow
// a record's buffer only as its bytes arrive, so a corrupt length cannot
// make it allocate gigabytes.
type FileReader struct {
	f      *os.File
	offset int64 // pcap: where the next record starts; -1 for pcapng
	next   func() ([]byte, gopacket.CaptureInfo, error)
	link   func(gopacket.CaptureInfo) layers.LinkType
	Format string // "pcap" or "pcapng"
	read   int
	// consumed counts the bytes the pcap reader took: an end of file
	// after a record's header but before its bytes reads as a clean end
	// to gopacket, and is told apart by it.
	consumed *int64
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// DamageError says where a damaged file stopped being readable: the
// packets before it were read.
type DamageError struct {
	Packets int   // packets read before the damage
	Offset  int64 // where the damaged record starts (pcap); -1 when not known (pcapng)
	Err     error
}

func (e *DamageError) Error() string {
	where := ""
	if e.Offset >= 0 {
		where = fmt.Sprintf(", in the record at byte %d", e.Offset)
	}
	if e.Packets == 0 {
		return fmt.Sprintf("the file is damaged in its first packet%s: %v; no packet could be read", where, e.Err)
	}
	read := fmt.Sprintf("the %d packets before it were read", e.Packets)
	if e.Packets == 1 {
		read = "the packet before it was read"
	}
	return fmt.Sprintf("the file is damaged after packet %d%s: %v; %s", e.Packets, where, e.Err, read)
}

func (e *DamageError) Unwrap() error { return e.Err }

// pcapng files start with a section header block of this type.
const pcapngMagic = 0x0A0D0D0A

// OpenFile opens a capture file and checks its header.
func OpenFile(path string) (*FileReader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if st, err := f.Stat(); err == nil && st.IsDir() {
		f.Close()
		return nil, fmt.Errorf("%s is a folder, not a capture file", path)
	}
	r, err := NewFileReader(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	r.f = f
	return r, nil
}

// NewFileReader reads capture data from any reader (a pipe, stdin).
func NewFileReader(in io.Reader) (*FileReader, error) {
	br := bufio.NewReaderSize(in, 64<<10)
	head, err := br.Peek(4)
	if err != nil {
		return nil, errors.New("not a capture file: it is shorter than any capture file header")
	}
	r := &FileReader{offset: -1}
	if binary.LittleEndian.Uint32(head) == pcapngMagic {
		ng, err := pcapgo.NewNgReader(br, pcapgo.NgReaderOptions{WantMixedLinkType: true})
		if err != nil {
			return nil, fmt.Errorf("not a pcapng file Loopscope can read: %v", err)
		}
		r.Format, r.next = "pcapng", ng.ZeroCopyReadPacketData
		r.link = func(ci gopacket.CaptureInfo) layers.LinkType {
			if len(ci.AncillaryData) > 0 {
				if l, ok := ci.AncillaryData[0].(layers.LinkType); ok {
					return l
				}
			}
			return ng.LinkType()
		}
		return r, nil
	}
	counted := &countingReader{r: br}
	pr, err := pcapgo.NewReader(counted)
	if m := binary.LittleEndian.Uint32(head); (errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)) &&
		(m == 0xa1b2c3d4 || m == 0xd4c3b2a1 || m == 0xa1b23c4d || m == 0x4d3cb2a1) {
		return nil, errors.New("a pcap file cut short: it ends inside its 24-byte file header, before any packet")
	}
	if err != nil {
		if strings.HasPrefix(err.Error(), "Unknown magic") {
			return nil, fmt.Errorf("not a pcap or pcapng file: it starts with the bytes % x, where a capture file has its format's mark", head)
		}
		return nil, fmt.Errorf("not a pcap or pcapng file (%v)", err)
	}
	// A pcap file is a 24-byte header, then records of a 16-byte header
	// and the packet: where each starts is known (of the uncompressed
	// data, for a gzipped file).
	r.Format, r.next, r.offset, r.consumed = "pcap", pr.ZeroCopyReadPacketData, 24, &counted.n
	link := pr.LinkType()
	r.link = func(gopacket.CaptureInfo) layers.LinkType { return link }
	return r, nil
}

// Next returns the next packet; io.EOF at the clean end of the file, a
// *DamageError where it stops being readable. The packet's Data is the
// reader's buffer, valid until the next call: copy what you keep.
func (r *FileReader) Next() (Record, error) {
	data, ci, err := r.next()
	switch {
	case err == io.EOF && r.consumed != nil && *r.consumed > r.offset:
		return Record{}, &DamageError{Packets: r.read, Offset: r.offset, Err: errors.New("it ends in the middle of a packet")}
	case err == io.EOF:
		return Record{}, io.EOF
	case err != nil:
		if err == io.ErrUnexpectedEOF {
			err = errors.New("it ends in the middle of a packet")
		}
		return Record{}, &DamageError{Packets: r.read, Offset: r.offset, Err: err}
	}
	r.read++
	if r.offset >= 0 {
		r.offset += 16 + int64(len(data))
	}
	return Record{Data: data, CI: ci, Link: r.link(ci)}, nil
}

// linkOf is the stream's link type (of its first interface, for pcapng).
func (r *FileReader) linkOf() layers.LinkType { return r.link(gopacket.CaptureInfo{}) }

// Close closes the file OpenFile opened.
func (r *FileReader) Close() error {
	if r.f != nil {
		return r.f.Close()
	}
	return nil
}

// Writer writes packets in the pcap format tcpdump and Wireshark read,
// straight to w: a file, a pipe or a device.
type Writer struct {
	bw *bufio.Writer
	pw *pcapgo.Writer
}

// NewWriter writes the file header for packets of link, cut at snaplen.
func NewWriter(w io.Writer, link layers.LinkType, snaplen uint32) (*Writer, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	pw := pcapgo.NewWriterNanos(bw)
	if err := pw.WriteFileHeader(snaplen, link); err != nil {
		return nil, err
	}
	return &Writer{bw: bw, pw: pw}, nil
}

// Write writes one packet.
func (w *Writer) Write(rec Record) error {
	ci := rec.CI
	ci.CaptureLength = len(rec.Data)
	if ci.Length < ci.CaptureLength {
		ci.Length = ci.CaptureLength
	}
	return w.pw.WritePacket(ci, rec.Data)
}

// Flush writes what is buffered.
func (w *Writer) Flush() error { return w.bw.Flush() }

// SaveFile writes packets to path as a .pcap file: to a temporary file
// beside it first, renamed over path only once complete, so a failed
// save never leaves half a file where a good one was.
func SaveFile(path string, link layers.LinkType, packets []Record) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	w, err := NewWriter(tmp, link, MaxSnaplen)
	if err != nil {
		return err
	}
	for _, rec := range packets {
		if err = w.Write(rec); err != nil {
			return err
		}
	}
	if err = w.Flush(); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
