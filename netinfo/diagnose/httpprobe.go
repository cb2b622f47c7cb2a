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
	Status string `json:"status"`           // "200 OK"
	Server string `json:"server,omitempty"` // its Server header
	Title  string `json:"title,omitempty"`  // the page's <title>
}

var titleRE = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)

// probeHTTP asks the first address that connected for GET /; nil when
// none did or the answer was not HTTP. What comes back is outside text:
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
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	p := &HTTPProbe{URL: url, Status: safetext.Line(resp.Status, 120), Server: safetext.Line(resp.Header.Get("Server"), 120)}
	if m := titleRE.FindSubmatch(body); m != nil {
		p.Title = safetext.Line(strings.Join(strings.Fields(string(m[1])), " "), 160)
	}
	return p
}
