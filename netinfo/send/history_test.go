package send

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

func entry(url string, status string) Entry {
	return Entry{Request: Request{Method: "GET", URL: url}, When: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Status: status}
}

func urls(h History) string {
	var s []string
	for _, e := range h.Entries {
		s = append(s, e.Request.URL)
	}
	return strings.Join(s, " ")
}

func TestHistoryAdd(t *testing.T) {
	var h History
	h.Add(entry("a", "200 OK"))
	h.Add(entry("b", "200 OK"))
	h.Add(entry("c", "200 OK"))
	if got := urls(h); got != "c b a" {
		t.Fatalf("newest first: %q", got)
	}
	again := entry("a", "500 Internal Server Error")
	h.Add(again)
	if got := urls(h); got != "a c b" || h.Entries[0].Status != again.Status {
		t.Errorf("a repeat moves to the top with its new status: %q %q", got, h.Entries[0].Status)
	}
	other := entry("a", "")
	other.Request.Headers = []Header{{"X", "1"}}
	h.Add(other)
	post := entry("a", "")
	post.Request.Method = "POST"
	h.Add(post)
	withBody := post
	withBody.Request.Body = []byte("x")
	h.Add(withBody)
	if len(h.Entries) != 6 {
		t.Errorf("requests differing in headers, method or body are kept apart: %d entries", len(h.Entries))
	}

	for i := range 25 {
		h.Add(entry(fmt.Sprint(i), ""))
	}
	if len(h.Entries) != MaxHistory || h.Entries[0].Request.URL != "24" || h.Entries[MaxHistory-1].Request.URL != "5" {
		t.Errorf("cap: %d entries: %s", len(h.Entries), urls(h))
	}
}

func TestHistoryDropsBigBodies(t *testing.T) {
	var h History
	big := entry("big", "")
	big.Request.Body = bytes.Repeat([]byte("x"), MaxHistoryBody+1)
	h.Add(big)
	fits := entry("fits", "")
	fits.Request.Body = bytes.Repeat([]byte("y"), MaxHistoryBody)
	h.Add(fits)
	if e := h.Entries[1]; e.Request.Body != nil || !e.BodyDropped || e.Request.URL != "big" {
		t.Errorf("big body: %d bytes kept, BodyDropped %v", len(e.Request.Body), e.BodyDropped)
	}
	if e := h.Entries[0]; len(e.Request.Body) != MaxHistoryBody || e.BodyDropped {
		t.Errorf("body at the limit: %d bytes kept, BodyDropped %v", len(e.Request.Body), e.BodyDropped)
	}
	huge := entry(strings.Repeat("u", maxHistoryText+1), "")
	h.Add(huge)
	if len(h.Entries) != 2 {
		t.Errorf("an entry with an over-long URL was remembered")
	}
}

func TestHistoryRoundTrip(t *testing.T) {
	var h History
	e := entry("http://127.0.0.1:8000/", "200 OK")
	e.Request.Headers = []Header{{"A", "1"}, {"a", "2"}}
	e.Request.Body = []byte("\x00\xff binary")
	e.Request.Insecure = true
	e.Request.Timeout = 5 * time.Second
	h.Add(e)
	h.Add(entry("http://[::1]/", ""))
	data, err := h.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	back, err := LoadHistory(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Entries) != 2 {
		t.Fatalf("%d entries back", len(back.Entries))
	}
	got := back.Entries[1]
	if got.Request.URL != e.Request.URL || !bytes.Equal(got.Request.Body, e.Request.Body) || len(got.Request.Headers) != 2 ||
		got.Request.Headers[1] != e.Request.Headers[1] || !got.Request.Insecure || got.Request.Timeout != e.Request.Timeout ||
		!got.When.Equal(e.When) || got.Status != e.Status {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, e)
	}
}

func TestLoadHistory(t *testing.T) {
	h, err := LoadHistory(nil)
	if err != nil || len(h.Entries) != 0 {
		t.Errorf("no data: %v, %v", h, err)
	}
	for _, bad := range []string{"{", "not json", `{"version":1,"entries":"x"}`, `{"version":99,"entries":[]}`, `[]`,
		`{"version":1,"entries":[{"request":{"body":"!!notbase64"}}]}`} {
		h, err := LoadHistory([]byte(bad))
		if err == nil || len(h.Entries) != 0 {
			t.Errorf("LoadHistory(%q) = %d entries, %v; want empty and an error", bad, len(h.Entries), err)
		}
	}
	var many History
	for i := range MaxHistory {
		many.Add(entry(fmt.Sprint(i), ""))
	}
	many.Entries = append(many.Entries, entry("extra", ""))
	big := entry("big", "")
	big.Request.Body = bytes.Repeat([]byte("x"), MaxHistoryBody+1)
	many.Entries = append([]Entry{big}, many.Entries...)
	data, _ := many.Marshal()
	h, err = LoadHistory(data)
	if err != nil || len(h.Entries) != MaxHistory {
		t.Fatalf("over-full file: %d entries, %v", len(h.Entries), err)
	}
	if e := h.Entries[0]; !e.BodyDropped || e.Request.Body != nil {
		t.Errorf("a big body in the file was kept: %d bytes", len(e.Request.Body))
	}
}

func FuzzLoadHistory(f *testing.F) {
	var h History
	e := entry("http://127.0.0.1/", "200 OK")
	e.Request.Headers = []Header{{"A", "b"}}
	e.Request.Body = []byte("body")
	h.Add(e)
	good, _ := h.Marshal()
	for _, s := range []string{string(good), "", "{}", "null", `{"version":1}`, `{"version":1,"entries":[null]}`,
		`{"version":1,"entries":[{"when":"bad"}]}`, `{"version":1,"entries":[{"request":{"timeout":-1}}]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := LoadHistory(data)
		if err != nil {
			if len(h.Entries) != 0 {
				t.Fatalf("an error with %d entries", len(h.Entries))
			}
			return
		}
		if len(h.Entries) > MaxHistory {
			t.Fatalf("%d entries", len(h.Entries))
		}
		for _, e := range h.Entries {
			if len(e.Request.Body) > MaxHistoryBody {
				t.Fatalf("a body of %d bytes", len(e.Request.Body))
			}
		}
		once, err := h.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		h2, err := LoadHistory(once)
		if err != nil {
			t.Fatalf("what Marshal wrote does not load: %v", err)
		}
		twice, _ := h2.Marshal()
		if !bytes.Equal(once, twice) {
			t.Fatalf("not stable:\n%s\n%s", once, twice)
		}
	})
}

// Credentials never reach the saved history: the values of Authorization,
// Cookie and API-key headers are emptied and named, the rest kept; the
// history in memory keeps them for this run.
func TestHistoryKeepsSecretsOffTheDisk(t *testing.T) {
	var h History
	h.Add(Entry{Request: Request{Method: "GET", URL: "http://127.0.0.1:1/", Headers: []Header{
		{Name: "Authorization", Value: "Bearer SECRET123"},
		{Name: "X-Api-Key", Value: "k-SECRET"},
		{Name: "Cookie", Value: "sid=SECRET"},
		{Name: "Accept", Value: "application/json"},
	}}})
	data, err := h.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "SECRET") {
		t.Fatalf("a credential was saved:\n%s", data)
	}
	back, err := LoadHistory(data)
	if err != nil || len(back.Entries) != 1 {
		t.Fatalf("load: %v, %d entries", err, len(back.Entries))
	}
	e := back.Entries[0]
	if !slices.Equal(e.SecretsDropped, []string{"Authorization", "X-Api-Key", "Cookie"}) ||
		e.Request.Headers[3] != (Header{Name: "Accept", Value: "application/json"}) || e.Request.Headers[0].Value != "" {
		t.Errorf("loaded %+v", e)
	}
	if h.Entries[0].Request.Headers[0].Value != "Bearer SECRET123" {
		t.Errorf("the history in memory lost the credential")
	}
}
