package gui

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/loopscope/loopscope/internal/safetext"
	"github.com/loopscope/loopscope/netinfo/serve"
)

// servesText says what a server answers with.
func servesText(s *serve.Server) string {
	cfg := s.Config()
	switch cfg.Kind {
	case serve.Files:
		text := "the files in " + safeLong(cfg.Dir)
		if cfg.ShowHidden {
			text += ", dotfiles and secrets included"
		} else {
			text += " (dotfiles and secrets such as .git, .env and keys stay hidden)"
		}
		return text
	case serve.Echo:
		return "every request back, as it arrived: JSON for programs, plain text for browsers"
	case serve.API:
		names := make([]string, 0, len(cfg.Routes))
		for _, r := range cfg.Routes[:min(len(cfg.Routes), 6)] {
			names = append(names, safetext.Line(r.String(), 120))
		}
		if len(cfg.Routes) > 6 {
			names = append(names, fmt.Sprintf("and %d more", len(cfg.Routes)-6))
		}
		return counted(len(cfg.Routes), "route", "routes") + ": " + strings.Join(names, ", ")
	case serve.TCPEcho:
		return "every byte a TCP client sends, sent straight back"
	}
	return "every UDP datagram, sent back to where it came from"
}

// listeningText is the socket: "127.0.0.1:8000 (TCP)".
func listeningText(s *serve.Server) string {
	a := s.Addr()
	if a == nil {
		return "—"
	}
	return fmt.Sprintf("%s (%s)", a.String(), strings.ToUpper(s.Kind().Network()))
}

// reachText says who can reach the server, with the addresses other
// devices use.
func reachText(s *serve.Server) string {
	if !s.Exposed() {
		return "this machine only: it listens on loopback, which never leaves the machine"
	}
	urls := s.LANURLs()
	if len(urls) == 0 {
		return "other devices too, but this machine has no network address right now"
	}
	return "other devices too, at " + strings.Join(urls, "  ")
}

// leadText is the sentence that matters most about a server now.
func leadText(r *serverRow) string {
	switch r.state {
	case serve.Failed:
		return fmt.Sprintf("It stopped by itself: %v. Start it again, or remove it.", r.err)
	case serve.Stopping:
		return "Stopping: requests in progress get up to 2 seconds to finish."
	case serve.Stopped:
		return fmt.Sprintf("Stopped: port %d is free again. Its log stays until you remove it, and Start again adds to it.", r.srv.Port())
	}
	if lan := r.srv.LANURLs(); len(lan) > 0 && r.srv.Kind().HTTP() {
		return fmt.Sprintf("Other devices open %s (Copy LAN URL); on this machine, %s.", strings.Join(lan, " or "), r.srv.URL())
	}
	if r.srv.Kind().HTTP() {
		return fmt.Sprintf("Open %s in a browser, or send it a request below.", r.srv.URL())
	}
	return fmt.Sprintf("Connect to %s, for example with: %s", strings.SplitN(r.srv.URL(), "//", 2)[1], clientCommand(r.srv))
}

// clientCommand is how to talk to an echo server from a terminal.
func clientCommand(s *serve.Server) string {
	host, port := "127.0.0.1", s.Port()
	if s.Kind() == serve.UDPEcho {
		return fmt.Sprintf("nc -u %s %d", host, port)
	}
	return fmt.Sprintf("nc %s %d", host, port)
}

// noteText is the warning a server deserves, if any.
func noteText(r *serverRow) string {
	if r.state == serve.Running && r.srv.Exposed() {
		return "Anyone on your network can reach this server. The firewall may block it, or ask whether to allow it."
	}
	return ""
}

// logExport is one log entry as exported to JSON: the true bytes, not
// the escaped text the table shows.
type logExport struct {
	Seq        uint64    `json:"seq"`
	Time       time.Time `json:"time"`
	Client     string    `json:"client"`
	Method     string    `json:"method"`
	Path       string    `json:"path"`
	Status     int       `json:"status,omitempty"`
	Bytes      int64     `json:"bytes"`
	DurationMS float64   `json:"duration_ms"`
	Note       string    `json:"note,omitempty"`
	Preview    []byte    `json:"preview,omitempty"`
}

func logJSON(rows []*logRow) []byte {
	out := make([]logExport, len(rows))
	for i, r := range rows {
		e := r.e
		out[i] = logExport{Seq: e.Seq, Time: e.Time, Client: e.Client, Method: e.Method, Path: e.Path, Status: e.Status,
			Bytes: e.Bytes, DurationMS: float64(e.Duration) / float64(time.Millisecond), Note: e.Note, Preview: e.Preview}
	}
	b, _ := json.MarshalIndent(out, "", "  ") // plain values: cannot fail
	return append(b, '\n')
}
