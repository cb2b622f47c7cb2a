package diagnose

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"

	"github.com/loopscope/loopscope/internal/safetext"
)

// HTTPProbe is what the port answered to a plain GET /.
type HTTPProbe struct {
	URL    string `json:"url"`
	Status string `json:"status"` // "200 OK"; "" when it did not answer HTTP
	Server string `json:"server"` // its Server header
	Title  string `json:"title"`  // the page's <title>, when the first 64 KiB have one
	Error  string `json:"error"`  // why it did not answer HTTP; "" when it did
}

var titleRE = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)

// probeHTTP asks the first address that connected for GET /; nil when
// none did; with Error set when what answered was not HTTP. What comes back is outside text:
// escaped and capped.
func probeHTTP(ctx context.Context, reach []Reach, port uint16) *HTTPProbe {
	addr := ""
	for _, r := range reach {
		if r.Result == Connected && r.Target != "localhost" {
			addr = r.Address
			break
		}
	}
	if addr == "" {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	url := "http://" + addr + "/"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil
	}
	// No proxy (the port is this machine's) and no connection kept open
	// afterwards (Loopscope would show as a client of the port it diagnosed).
	client := &http.Client{
		Transport:     &http.Transport{Proxy: nil, DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	resp, err := client.Do(req)
	if err != nil {
		return &HTTPProbe{URL: url, Error: safetext.Line(httpError(err), 200)}
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	p := &HTTPProbe{URL: url, Status: safetext.Line(resp.Status, 120), Server: safetext.Line(resp.Header.Get("Server"), 120)}
	if m := titleRE.FindSubmatch(body); m != nil {
		p.Title = safetext.Line(strings.Join(strings.Fields(string(m[1])), " "), 160)
	}
	return p
}

// httpError says in words why an answer was not HTTP.
func httpError(err error) string {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "deadline exceeded") || strings.Contains(msg, "Timeout"):
		return "it accepted the connection but sent no answer within half a second"
	case strings.Contains(msg, "malformed HTTP"):
		return "it answered, but not in HTTP"
	case strings.Contains(msg, "EOF"):
		return "it closed the connection without an answer"
	}
	return msg
}
