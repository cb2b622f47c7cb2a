package serve

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Route is one answer of the mock JSON API: a request whose method and
// path match gets Status, Headers and Body, after DelayMS.
type Route struct {
	// Method is GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, or "*" for any.
	Method string `json:"method"`
	// Path starts with "/"; a ":name" segment matches any one segment and
	// a final "*" segment the rest of the path.
	Path string `json:"path"`
	// Status is the response's status code, 200 to 599.
	Status int `json:"status"`
	// Headers are set on the response. Content-Type defaults to
	// application/json when there is a body.
	Headers map[string]string `json:"headers,omitempty"`
	// Body is any JSON value, served byte for byte as written, with each
	// "{{name}}" replaced by that path parameter's value ("{{*}}" by what
	// a "*" matched). A JSON string with a Content-Type that is not JSON
	// is served as its text.
	Body json.RawMessage `json:"body,omitempty"`
	// DelayMS is how long to wait before answering, 0 to 60000.
	DelayMS int `json:"delay_ms,omitempty"`
}

// Limits of the routes format.
const (
	maxRoutesFile  = 1 << 20 // a routes file is a few kilobytes; more is the wrong file
	maxDelayMS     = 60000
	maxRouteErrors = 5 // shown at once: enough to fix several, few enough to read
)

// routeMethods are the methods a route may name besides "*", in the order
// an Allow header lists them.
var routeMethods = []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}

// String is the route's method and path: "GET /api/users/:id".
func (r Route) String() string {
	return r.withDefaults().Method + " " + r.Path
}

// withDefaults fills in what a route built in code may leave out, the way
// ParseRoutes does for a field missing from a file.
func (r Route) withDefaults() Route {
	r.Method = strings.ToUpper(r.Method)
	if r.Method == "" {
		r.Method = http.MethodGet
	}
	if r.Status == 0 {
		r.Status = http.StatusOK
	}
	r.Body = bytes.TrimSpace(r.Body)
	if len(r.Headers) == 0 {
		r.Headers = nil
	}
	return r
}

// ParseRoutes reads routes written as JSON: an array of routes, or an
// object {"routes": [...]}. Its error lists up to the first five problems,
// one a line, each naming the route (numbered from 1) and the field.
func ParseRoutes(data []byte) ([]Route, error) {
	routes, problems := parseRoutes(data)
	if err := joinProblems("", problems); err != nil {
		return nil, err
	}
	return routes, nil
}

// LoadRoutes reads a routes file, as ParseRoutes does. Its errors start
// with the file's name.
func LoadRoutes(path string) ([]Route, error) {
	name := filepath.Base(path)
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxRoutesFile+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(data) > maxRoutesFile {
		return nil, fmt.Errorf("%s: the file is larger than 1 MiB; a routes file is a few kilobytes of JSON, so this is probably not one", name)
	}
	routes, problems := parseRoutes(data)
	if err := joinProblems(name+": ", problems); err != nil {
		return nil, err
	}
	return routes, nil
}

// FormatRoutes writes routes in the format ParseRoutes reads, indented.
// Bodies are written byte for byte, so reading the text back gives equal
// routes.
func FormatRoutes(routes []Route) []byte {
	var b bytes.Buffer
	b.WriteString("[")
	for i, r := range routes {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n  {\n    ")
		b.WriteString(strings.Join(routeFieldsText(r.withDefaults()), ",\n    "))
		b.WriteString("\n  }")
	}
	b.WriteString("\n]\n")
	return b.Bytes()
}

// routeFieldsText is each field of a route as a line of the file.
func routeFieldsText(r Route) []string {
	lines := []string{
		`"method": ` + jsonText(r.Method),
		`"path": ` + jsonText(r.Path),
		`"status": ` + strconv.Itoa(r.Status),
	}
	if len(r.Headers) > 0 {
		h, _ := json.MarshalIndent(r.Headers, "    ", "  ")
		lines = append(lines, `"headers": `+string(h))
	}
	if len(r.Body) > 0 {
		body := string(r.Body)
		if !json.Valid(r.Body) { // only from code: keep the text rather than write a broken file
			body = jsonText(body)
		}
		lines = append(lines, `"body": `+body)
	}
	if r.DelayMS != 0 {
		lines = append(lines, `"delay_ms": `+strconv.Itoa(r.DelayMS))
	}
	return lines
}

// jsonText is s as a JSON string, with <, > and & left readable.
func jsonText(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(s) // a string always encodes
	return strings.TrimSuffix(b.String(), "\n")
}

// DefaultRoutes is a small API a learner can try at once: a greeting, a
// list, an item by id, a create, a slow answer and a failing one.
func DefaultRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/hello", Status: 200,
			Body: json.RawMessage(`{"message": "Hello from Loopscope's mock API"}`)},
		{Method: "GET", Path: "/api/users", Status: 200,
			Body: json.RawMessage(`[{"id": 1, "name": "Ada"}, {"id": 2, "name": "Linus"}]`)},
		{Method: "GET", Path: "/api/users/:id", Status: 200,
			Body: json.RawMessage(`{"id": "{{id}}", "name": "User {{id}}"}`)},
		{Method: "POST", Path: "/api/users", Status: 201,
			Headers: map[string]string{"Location": "/api/users/3"},
			Body:    json.RawMessage(`{"id": 3, "name": "New user"}`)},
		{Method: "GET", Path: "/api/slow", Status: 200, DelayMS: 1500,
			Body: json.RawMessage(`{"message": "This answer waited 1.5 seconds"}`)},
		{Method: "GET", Path: "/api/error", Status: 500,
			Body: json.RawMessage(`{"error": "Something went wrong, on purpose"}`)},
	}
}
