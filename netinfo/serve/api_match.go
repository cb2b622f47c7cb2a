package serve

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// segKind is what a segment of a route's path matches. The order is the
// precedence: a literal beats a parameter, which beats a rest.
type segKind int

const (
	segLiteral segKind = iota // itself
	segParam                  // ":name": any one segment
	segRest                   // a final "*": the rest of the path, maybe empty
)

// pathSegment is one "/"-separated piece of a route's path.
type pathSegment struct {
	kind segKind
	text string // the literal, %-decoded, or the parameter's name
}

// parsePattern splits a route's path into segments, or says what is
// wrong with it.
func parsePattern(path string) ([]pathSegment, string) {
	switch {
	case path == "":
		return nil, `is empty: it must start with "/", like "/api/hello"`
	case path[0] != '/':
		return nil, `must start with "/"`
	case strings.ContainsAny(path, "?#"):
		return nil, `must not contain "?" or "#": a route matches the path, not the query`
	}
	parts := strings.Split(path[1:], "/")
	segs := make([]pathSegment, 0, len(parts))
	params := map[string]bool{}
	for i, p := range parts {
		s, msg := parseSegment(p, i == len(parts)-1)
		if msg != "" {
			return nil, msg
		}
		if s.kind == segParam {
			if params[s.text] {
				return nil, fmt.Sprintf("uses :%s twice: give each parameter its own name", clipForError(s.text))
			}
			params[s.text] = true
		}
		segs = append(segs, s)
	}
	return segs, ""
}

func parseSegment(p string, last bool) (pathSegment, string) {
	switch {
	case p == "*" && last:
		return pathSegment{kind: segRest}, ""
	case p == "*":
		return pathSegment{}, `may have "*" only as its last segment, where it matches the rest of the path`
	case p == "" && !last:
		return pathSegment{}, `has an empty segment ("//")`
	case p == "":
		return pathSegment{}, "" // "/" or a trailing slash: matches only itself
	case p == ":":
		return pathSegment{}, `has a ":" without a name: write ":id"`
	case p[0] == ':':
		if strings.ContainsFunc(p[1:], func(c rune) bool { return !paramNameRune(c) }) {
			return pathSegment{}, fmt.Sprintf(`parameter %q may use only letters, digits, "_" and "-"`, clipForError(p))
		}
		return pathSegment{kind: segParam, text: p[1:]}, ""
	}
	lit, err := url.PathUnescape(p)
	if err != nil {
		return pathSegment{}, fmt.Sprintf("has a broken %%-escape in %q", clipForError(p))
	}
	return pathSegment{text: lit}, ""
}

// paramNameRune limits parameter names to what never needs escaping
// inside a JSON string, so "{{name}}" can be found in the body's bytes.
func paramNameRune(c rune) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// patternShape is what two paths that match the same requests share.
func patternShape(segs []pathSegment) string {
	var b strings.Builder
	for _, s := range segs {
		b.WriteString("/" + strconv.Itoa(int(s.kind)))
		if s.kind == segLiteral {
			b.WriteString(url.PathEscape(s.text))
		}
	}
	return b.String()
}

// find picks the route for a request among those whose path and method
// match: the most specific path, then the exact method, then GET (for a
// HEAD), then "*", then the earliest. It also returns the methods of
// every route whose path matches, for a 405.
func (h *apiHandler) find(method string, parts []string) (*apiRoute, map[string]string, []string) {
	var best *apiRoute
	var bestParams map[string]string
	bestRank := 0
	var allow []string
	for i := range h.routes {
		c := &h.routes[i]
		params, ok := c.match(parts)
		if !ok {
			continue
		}
		allow = append(allow, c.Method)
		rank := routeMethodRank(c.Method, method)
		if rank < 0 {
			continue
		}
		if best == nil || routeBeats(c.segs, rank, best.segs, bestRank) {
			best, bestParams, bestRank = c, params, rank
		}
	}
	return best, bestParams, allow
}

// routeMethodRank is how well a route's method fits the request's:
// lower is better, -1 is not at all.
func routeMethodRank(route, req string) int {
	switch {
	case route == req:
		return 0
	case route == http.MethodGet && req == http.MethodHead:
		return 1
	case route == "*":
		return 2
	}
	return -1
}

// routeBeats reports whether route a is a better fit than route b for a
// request both match. At the first segment where their kinds differ,
// the more specific wins; paths of the same shape go by method.
func routeBeats(a []pathSegment, aRank int, b []pathSegment, bRank int) bool {
	for i := range min(len(a), len(b)) {
		if a[i].kind != b[i].kind {
			return a[i].kind < b[i].kind
		}
	}
	return aRank < bRank
}

// match reports whether the route's path matches the request's parts,
// and the parameters' values ("*" holds what a rest matched).
func (c *apiRoute) match(parts []string) (map[string]string, bool) {
	n := len(c.segs)
	rest := c.segs[n-1].kind == segRest
	if len(parts) < n || len(parts) > n && !rest {
		return nil, false
	}
	var params map[string]string
	for i, s := range c.segs {
		switch {
		case s.kind == segLiteral && parts[i] != s.text:
			return nil, false
		case s.kind == segParam:
			params = withParam(params, s.text, parts[i])
		case s.kind == segRest:
			params = withParam(params, "*", strings.Join(parts[i:], "/"))
		}
	}
	return params, true
}

// withParam sets a parameter, making the map only for a route that has
// parameters.
func withParam(m map[string]string, k, v string) map[string]string {
	if m == nil {
		m = map[string]string{}
	}
	m[k] = v
	return m
}
