package serve

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// routeProblem is one mistake in one route.
type routeProblem struct {
	field string // "" for the route as a whole
	text  string // says what is wrong, naming the field
}

// fieldProblem is a mistake in a field: `"status" must be a number`.
func fieldProblem(field, format string, args ...any) routeProblem {
	return routeProblem{field, strconv.Quote(field) + " " + fmt.Sprintf(format, args...)}
}

// checkRoute finds what is wrong with one route whose defaults are filled.
func checkRoute(r Route) []routeProblem {
	var ps []routeProblem
	if r.Method != "*" && !slices.Contains(routeMethods, r.Method) {
		ps = append(ps, fieldProblem("method", `%q is not one of %s, or "*" for any`, clipForError(r.Method), strings.Join(routeMethods, ", ")))
	}
	if _, msg := parsePattern(r.Path); msg != "" {
		ps = append(ps, fieldProblem("path", "%s", msg))
	}
	if r.Status < 200 || r.Status > 599 {
		// 1xx are interim answers: net/http would send a 200 after them.
		ps = append(ps, fieldProblem("status", "%d is out of range: use 200 to 599 (200 OK, 404 Not Found, 500 Internal Server Error)", r.Status))
	}
	ps = append(ps, checkHeaders(r.Headers)...)
	switch {
	case len(r.Body) > 0 && !json.Valid(r.Body):
		ps = append(ps, fieldProblem("body", "is not valid JSON"))
	case len(r.Body) > 0 && (r.Status == 204 || r.Status == 304):
		ps = append(ps, fieldProblem("body", "cannot be sent with status %d, which has no body: remove the body or use 200", r.Status))
	}
	if r.DelayMS < 0 || r.DelayMS > maxDelayMS {
		ps = append(ps, fieldProblem("delay_ms", "%d is out of range: use 0 to %d (one minute)", r.DelayMS, maxDelayMS))
	}
	return ps
}

// checkHeaders finds headers a response cannot carry as written.
func checkHeaders(h map[string]string) []routeProblem {
	var ps []routeProblem
	seen := map[string]string{}
	for _, name := range slices.Sorted(maps.Keys(h)) {
		canon := http.CanonicalHeaderKey(name)
		switch {
		case !validHeaderName(name):
			ps = append(ps, fieldProblem("headers", "name %q may use only letters, digits and !#$%%&'*+-.^_`|~", clipForError(name)))
		case seen[canon] != "":
			ps = append(ps, fieldProblem("headers", "has %q and %q, the same header (names ignore case)", clipForError(seen[canon]), clipForError(name)))
		case canon == "Content-Length" || canon == "Transfer-Encoding":
			ps = append(ps, fieldProblem("headers", "%q is set by the server from the body; remove it", clipForError(name)))
		case strings.ContainsFunc(h[name], func(c rune) bool { return c < ' ' && c != '\t' || c == 0x7f }):
			ps = append(ps, fieldProblem("headers", "value of %q has a line break or control character", clipForError(name)))
		}
		seen[canon] = name
	}
	return ps
}

// validHeaderName reports whether s is an HTTP token (RFC 9110).
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
		if !ok {
			return false
		}
	}
	return true
}

// checkRoutes checks every route, adding to what decoding found (pre,
// by route index, may be nil), and finds routes that answer the same
// requests. It returns one line per problem.
func checkRoutes(routes []Route, pre [][]routeProblem) []string {
	var lines []string
	owner := map[string]int{} // method and path shape -> index of the first route
	for i, r := range routes {
		ps := ownProblems(r, pre, i)
		for _, p := range ps {
			lines = append(lines, routeLabel(i, r)+": "+p.text)
		}
		if len(ps) > 0 {
			continue
		}
		segs, _ := parsePattern(r.Path)
		key := r.Method + " " + patternShape(segs)
		if j, dup := owner[key]; dup {
			lines = append(lines, fmt.Sprintf("%s: answers the same requests as route %d (%s); remove one or change its method or path",
				routeLabel(i, r), j+1, clipForError(routes[j].String())))
			continue
		}
		owner[key] = i
	}
	return lines
}

// ownProblems is what decoding found in route i, then what checkRoute
// finds in the fields decoding had no quarrel with.
func ownProblems(r Route, pre [][]routeProblem, i int) []routeProblem {
	var ps []routeProblem
	if i < len(pre) {
		ps = pre[i]
	}
	for _, p := range checkRoute(r) {
		if !slices.ContainsFunc(ps, func(q routeProblem) bool { return q.field == p.field }) {
			ps = append(ps, p)
		}
	}
	return ps
}

// routeLabel names route i for a person: "route 3 (GET /users)".
func routeLabel(i int, r Route) string {
	if r.Path == "" {
		return fmt.Sprintf("route %d", i+1)
	}
	return fmt.Sprintf("route %d (%s)", i+1, clipForError(r.String()))
}

// clipForError shortens what the user wrote for an error message, which must
// stay readable whatever was pasted into the file.
func clipForError(s string) string {
	const most = 60
	if utf8.RuneCountInString(s) <= most {
		return s
	}
	return string([]rune(s)[:most-1]) + "…"
}

// joinProblems makes one error of the first few problems, each line
// starting with prefix.
func joinProblems(prefix string, lines []string) error {
	if len(lines) == 0 {
		return nil
	}
	shown := lines[:min(len(lines), maxRouteErrors)]
	errs := make([]error, 0, len(shown)+1)
	for _, l := range shown {
		errs = append(errs, errors.New(prefix+l))
	}
	if more := len(lines) - len(shown); more > 0 {
		errs = append(errs, fmt.Errorf("%sand %d more, shown once these are fixed", prefix, more))
	}
	return errors.Join(errs...)
}

// parseRoutes decodes and checks routes, returning every problem found.
func parseRoutes(data []byte) ([]Route, []string) {
	data = bytes.TrimPrefix(data, []byte("\uFEFF")) // Windows editors start files with a BOM
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, []string{noRoutes}
	}
	var top json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, []string{syntaxProblem(data, err)}
	}
	items, msg := routeItems(top)
	if msg != "" {
		return nil, []string{msg}
	}
	routes := make([]Route, len(items))
	pre := make([][]routeProblem, len(items))
	for i, raw := range items {
		routes[i], pre[i] = decodeRoute(raw)
	}
	if lines := checkRoutes(routes, pre); len(lines) > 0 {
		return nil, lines
	}
	return routes, nil
}
