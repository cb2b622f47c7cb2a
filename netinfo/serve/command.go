package serve

import (
	"fmt"
	"strconv"

	"github.com/loopscope/loopscope/internal/shellquote"
)

// Command is the everyday command that does what a server does, for
// learners: what to type without Loopscope.
type Command struct {
	Line string // the command, ready to paste into a shell
	Note string // how it differs from Loopscope's server; "" when it does not
}

// Equivalent returns the command nearest to s.
func (s *Server) Equivalent() Command {
	cfg := s.Config()
	port := strconv.Itoa(s.Port())
	host := s.bind
	if host == "" {
		host = "0.0.0.0"
	}
	switch cfg.Kind {
	case Files:
		return Command{
			Line: fmt.Sprintf("python3 -m http.server %s --bind %s --directory %s", port, host, shellquote.Word(cfg.Dir)),
			Note: "python's server shows dotfiles and does not check the Host header",
		}
	case Echo:
		return Command{
			Line: fmt.Sprintf("nc -l %s %s", host, port),
			Note: "netcat prints the raw request it receives but sends no answer; the client waits",
		}
	case API:
		return Command{
			Line: fmt.Sprintf("npx json-server --host %s --port %s db.json", host, port),
			Note: "json-server serves the collections of a JSON file rather than fixed routes",
		}
	case TCPEcho:
		return Command{
			Line: fmt.Sprintf("nc -l %s %s", host, port),
			Note: "netcat prints what arrives instead of sending it back; for a true echo: " +
				fmt.Sprintf("socat TCP-LISTEN:%s,bind=%s,reuseaddr,fork EXEC:cat", port, host),
		}
	}
	return Command{
		Line: fmt.Sprintf("nc -u -l %s %s", host, port),
		Note: "netcat prints what arrives instead of sending it back; for a true echo: " +
			fmt.Sprintf("socat UDP-LISTEN:%s,bind=%s,reuseaddr,fork EXEC:cat", port, host),
	}
}
