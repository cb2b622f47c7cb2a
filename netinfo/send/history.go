package send

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

const (
	// MaxHistory is how many requests History remembers.
	MaxHistory = 20
	// MaxHistoryBody is the largest request body History remembers; an
	// entry with a larger one keeps the rest of the request and sets
	// BodyDropped.
	MaxHistoryBody = 64 << 10
	// maxHistoryText bounds the URL and each header of a remembered entry;
	// longer ones are not remembered at all.
	maxHistoryText = 64 << 10
	// maxHistoryHeaders bounds the number of headers of an entry.
	maxHistoryHeaders = 200
	historyVersion    = 1
)

// Entry is one request sent, with when it was sent and the status it got
// (or "" when it failed).
type Entry struct {
	Request     Request   `json:"request"`
	When        time.Time `json:"when"`
	Status      string    `json:"status,omitempty"`
	BodyDropped bool      `json:"bodyDropped,omitempty"` // the body was over MaxHistoryBody
	// SecretsDropped names the headers whose values were not saved:
	// credentials (Authorization, Cookie, API keys) stay in memory only.
	SecretsDropped []string `json:"secretsDropped,omitempty"`
}

// secretHeader reports whether a header carries a credential, which the
// history keeps off the disk: preferences files are plain text, often
// readable by others and copied into backups.
func secretHeader(name string) bool {
	n := strings.ToLower(name)
	switch n {
	case "authorization", "proxy-authorization", "cookie", "set-cookie":
		return true
	}
	for _, part := range []string{"token", "secret", "api-key", "apikey", "password", "session"} {
		if strings.Contains(n, part) {
			return true
		}
	}
	return false
}

// withoutSecrets is e as it is saved: each credential's value emptied
// and its header named in SecretsDropped.
func withoutSecrets(e Entry) Entry {
	hs := slices.Clone(e.Request.Headers)
	for i, h := range hs {
		if secretHeader(h.Name) && h.Value != "" {
			hs[i].Value = ""
			if !slices.Contains(e.SecretsDropped, h.Name) {
				e.SecretsDropped = append(slices.Clone(e.SecretsDropped), h.Name)
			}
		}
	}
	e.Request.Headers = hs
	return e
}

// History is the list of recent requests, newest first.
type History struct {
	Entries []Entry
}

// Add puts e at the top. An entry for the same request (method, URL,
// headers and body) is replaced, so repeating a request moves it up; at
// most MaxHistory entries are kept. An entry that is too long to remember
// (see LoadHistory) is not added.
func (h *History) Add(e Entry) {
	e, ok := fit(e)
	if !ok {
		return
	}
	h.Entries = slices.DeleteFunc(h.Entries, func(old Entry) bool { return sameRequest(old, e) })
	h.Entries = slices.Insert(h.Entries, 0, e)
	if len(h.Entries) > MaxHistory {
		h.Entries = h.Entries[:MaxHistory]
	}
}

// sameRequest compares what the user would call the same request: method,
// URL, headers and body (Insecure and Timeout are settings, not the
// request).
func sameRequest(a, b Entry) bool {
	ra, rb := a.Request, b.Request
	return ra.Method == rb.Method && ra.URL == rb.URL &&
		slices.Equal(ra.Headers, rb.Headers) &&
		bytes.Equal(ra.Body, rb.Body) && a.BodyDropped == b.BodyDropped
}

// fit drops a body over MaxHistoryBody and reports whether the rest is
// small enough to remember.
func fit(e Entry) (Entry, bool) {
	r := e.Request
	if len(r.URL) > maxHistoryText || len(r.Method) > maxHistoryText || len(r.Headers) > maxHistoryHeaders {
		return e, false
	}
	for _, hd := range r.Headers {
		if len(hd.Name)+len(hd.Value) > maxHistoryText {
			return e, false
		}
	}
	if len(r.Body) > MaxHistoryBody {
		e.Request.Body = nil
		e.BodyDropped = true
	}
	e.Request.Headers = slices.Clone(r.Headers)
	e.Request.Body = bytes.Clone(e.Request.Body)
	return e, true
}

// historyFile is the stored form, versioned so it can change later.
type historyFile struct {
	Version int     `json:"version"`
	Entries []Entry `json:"entries"`
}

// Marshal returns h as JSON for LoadHistory, without the values of
// credential headers (see SecretsDropped).
func (h History) Marshal() ([]byte, error) {
	entries := make([]Entry, len(h.Entries))
	for i, e := range h.Entries {
		entries[i] = withoutSecrets(e)
	}
	data, err := json.MarshalIndent(historyFile{Version: historyVersion, Entries: entries}, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("send: save history: %w", err)
	}
	return data, nil
}

// LoadHistory reads what Marshal wrote. No data is an empty history. Data
// that does not parse gives an empty history and an error; entries too long
// to remember are left out and bodies over MaxHistoryBody dropped, as Add
// does, and only the first MaxHistory entries are kept.
func LoadHistory(data []byte) (History, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return History{}, nil
	}
	var f historyFile
	if err := json.Unmarshal(data, &f); err != nil {
		return History{}, fmt.Errorf("send: read history: %w", err)
	}
	if f.Version != historyVersion {
		return History{}, fmt.Errorf("send: read history: version %d is not %d", f.Version, historyVersion)
	}
	var h History
	for _, e := range f.Entries {
		if e, ok := fit(e); ok && len(h.Entries) < MaxHistory {
			h.Entries = append(h.Entries, e)
		}
	}
	return h, nil
}
