package gui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"net"
	"net/url"
	"strings"
	"time"

	"fyne.io/fyne/v2/widget"

	"github.com/loopscope/loopscope/netinfo/send"
)

// shownResponse is an answer as the response side shows it. It is made
// on the goroutine that sent the request — pretty-printing, escaping and
// decoding an image take time — so showing it only copies strings.
type shownResponse struct {
	failure string // what went wrong and what to do, when nothing came back
	status  string // "200 OK", escaped
	tone    widget.Importance
	summary string // "1.2 KB · 12 ms · TLS 1.3"

	kind     send.BodyKind
	bodyText string      // escaped and capped
	bodyNote string      // what the body is, or what of it is not shown
	bodyCopy string      // the whole body as Present gave it, for Copy
	image    image.Image // a decoded image body

	headers     [][2]string // name, value; escaped
	headersNote string
	headersCopy string // "Name: value" lines as they came, for Copy

	raw     string // the raw request, then the raw response
	rawReq  string // the raw request as the Raw tab shows it
	rawNote string

	timing []timingStep
}

// historyStatus is the status the history keeps: "error" for a failure.
func (s *shownResponse) historyStatus() string {
	if s.failure != "" {
		return "error"
	}
	return s.status
}

// canceledText is what a canceled request shows.
const canceledText = "the request was canceled before the answer arrived: press Send to send it again"

// maxShownHeaders bounds the rows of the Headers tab.
const maxShownHeaders = 200

// prepareResponse turns what send.Do returned into what the panel shows.
func prepareResponse(req send.Request, res *send.Response, err error) *shownResponse {
	if err != nil {
		msg := err.Error()
		if errors.Is(err, context.Canceled) {
			msg = canceledText
		}
		return &shownResponse{failure: capitalize(safeLong(msg)), status: "Failed", tone: widget.DangerImportance}
	}
	s := &shownResponse{status: safe(res.Status), tone: statusTone(res.StatusCode)}
	s.prepareBody(res)
	s.summary = responseSummary(res, s.kind)
	s.prepareHeaders(res.Headers)
	s.prepareRaw(res)
	s.timing = timingSteps(res.Timings, isIPHost(req.URL), res.TLS != "")
	return s
}

// statusTone colours a status: success green, redirects neutral, client
// errors amber, server errors red.
func statusTone(code int) widget.Importance {
	switch {
	case code >= 500:
		return widget.DangerImportance
	case code >= 400:
		return widget.WarningImportance
	case code >= 200 && code < 300:
		return widget.SuccessImportance
	}
	return widget.MediumImportance
}

// responseSummary is "JSON · 1.2 KB · 12 ms · TLS 1.3".
func responseSummary(res *send.Response, kind send.BodyKind) string {
	parts := []string{"No body"}
	if kind != send.Empty {
		size := send.Size(len(res.Body))
		if res.Truncated {
			size = "over " + size
		}
		parts = []string{capitalize(kind.String()), size}
	}
	parts = append(parts, stepTime(res.Timings.Total))
	if res.TLS != "" {
		version, _, _ := strings.Cut(res.TLS, ",")
		parts = append(parts, safe(version))
	}
	return strings.Join(parts, " · ")
}

func (s *shownResponse) prepareBody(res *send.Response) {
	kind, text := send.Present(res.ContentType, res.Body)
	s.kind, s.bodyCopy = kind, text
	var notes []string
	switch kind {
	case send.Image:
		s.image = decodeImage(res.Body)
		if s.image == nil {
			notes = append(notes, safe(text)+": too large to preview.")
		} else {
			notes = append(notes, safe(text))
		}
	case send.Binary:
		notes = append(notes, fmt.Sprintf("Not text: a hex dump of the first %d bytes, offsets on the left, printable bytes on the right.", send.HexDumpBytes))
	}
	if kind != send.Image {
		var cut bool
		s.bodyText, cut = shownText(text)
		if cut {
			notes = append(notes, fmt.Sprintf("Showing the first %s of %s; Copy takes all of it.", send.Size(maxShownText), send.Size(len(text))))
		}
	}
	if res.Truncated {
		notes = append(notes, fmt.Sprintf("The body was cut at %s: Loopscope reads no more of an answer.", send.Size(send.MaxBody)))
	}
	s.bodyNote = strings.Join(notes, " ")
}

func (s *shownResponse) prepareHeaders(hs []send.Header) {
	var all strings.Builder
	for i, h := range hs {
		all.WriteString(h.Name + ": " + h.Value + "\n")
		if i < maxShownHeaders {
			s.headers = append(s.headers, [2]string{safe(h.Name), safeLong(h.Value)})
		}
	}
	if len(hs) > maxShownHeaders {
		s.headersNote = fmt.Sprintf("Showing the first %d of %d headers; Copy takes all of them.", maxShownHeaders, len(hs))
	}
	s.headersCopy = all.String()
}

// maxPreviewPixels bounds the images decoded for a preview (a 10 MiB PNG
// could claim to be gigabytes of pixels).
const maxPreviewPixels = 16 << 20

func decodeImage(b []byte) image.Image {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil || cfg.Width*cfg.Height > maxPreviewPixels {
		return nil
	}
	img, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		return nil
	}
	return img
}

func (s *shownResponse) prepareRaw(res *send.Response) {
	req, cutReq := shownText(string(res.RawRequest))
	resp, cutResp := shownText(string(res.RawResponse))
	s.rawReq = req
	s.raw = rawHeading("Request", "sent", len(res.RawRequest)) + "\n" + req + "\n\n" +
		rawHeading("Response", "received", len(res.RawResponse)) + "\n" + resp
	var notes []string
	if res.RawTruncated {
		notes = append(notes, fmt.Sprintf("Loopscope keeps the first %s of each direction.", send.Size(send.MaxRaw)))
	}
	if cutReq || cutResp {
		notes = append(notes, fmt.Sprintf("Each direction shows at most %s here.", send.Size(maxShownText)))
	}
	s.rawNote = strings.Join(notes, " ")
}

// rawHeading starts one direction in the Raw tab.
func rawHeading(what, verb string, n int) string {
	return fmt.Sprintf("── %s: %s %s ──", what, send.Size(n), verb)
}

// isIPHost reports whether the URL names an IP address, which needs no
// DNS lookup.
func isIPHost(raw string) bool {
	u, err := url.Parse(strings.TrimSpace(raw))
	return err == nil && net.ParseIP(u.Hostname()) != nil
}

// stepTime is a step's time for people: "0.35 ms", "12.3 ms", "1.20 s";
// "—" for a step that did not happen.
func stepTime(d time.Duration) string {
	ms := float64(d) / float64(time.Millisecond)
	switch {
	case d <= 0:
		return "—"
	case ms < 1:
		return fmt.Sprintf("%.2f ms", ms)
	case ms < 100:
		return fmt.Sprintf("%.1f ms", ms)
	case ms < 1000:
		return fmt.Sprintf("%.0f ms", ms)
	}
	return fmt.Sprintf("%.2f s", ms/1000)
}
