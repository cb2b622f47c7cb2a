package serve

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// apiHandler answers each request with its best route.
type apiHandler struct {
	routes []apiRoute
	names  []string // every route's String, listed in a 404
}

// apiRoute is a checked Route, ready to match and serve.
type apiRoute struct {
	Route
	name   string
	segs   []pathSegment
	header http.Header
	body   []byte              // before parameters are filled in
	escape func(string) string // makes a parameter's value safe in body
}

// newAPIHandler serves routes, checking them first since they may come
// from code rather than ParseRoutes. No routes means DefaultRoutes.
func newAPIHandler(routes []Route) (http.Handler, error) {
	if len(routes) == 0 {
		routes = DefaultRoutes()
	}
	norm := make([]Route, len(routes))
	for i, r := range routes {
		norm[i] = r.withDefaults()
	}
	if err := joinProblems("serve: ", checkRoutes(norm, nil)); err != nil {
		return nil, err
	}
	h := &apiHandler{}
	for _, r := range norm {
		h.routes = append(h.routes, compileRoute(r))
		h.names = append(h.names, r.String())
	}
	return h, nil
}

// compileRoute does once what every request would otherwise redo: split
// the path, set the headers, decide how the body is served.
func compileRoute(r Route) apiRoute {
	segs, _ := parsePattern(r.Path)
	c := apiRoute{Route: r, name: r.String(), segs: segs, header: http.Header{}, body: r.Body, escape: paramEscapeJSON}
	for k, v := range r.Headers {
		c.header.Set(k, v)
	}
	if len(r.Body) == 0 {
		return c // no body, so no type to declare
	}
	ct := c.header.Get("Content-Type")
	if ct == "" {
		ct = "application/json"
		c.header.Set("Content-Type", ct)
	}
	if r.Body[0] == '"' && !isJSONType(ct) {
		var text string
		json.Unmarshal(r.Body, &text) // checked valid
		c.body, c.escape = []byte(text), paramEscaper(ct)
	}
	return c
}

// isJSONType reports whether a Content-Type is JSON:
// application/json, or any type ending in +json.
func isJSONType(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		mt, _, _ = strings.Cut(strings.ToLower(ct), ";")
		mt = strings.TrimSpace(mt)
	}
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

// paramEscaper is how a parameter goes into a text body. HTML and XML get
// their escaping, or a crafted URL would run script on this origin, and
// browsers share cookies across every port of localhost.
func paramEscaper(ct string) func(string) string {
	if ct = strings.ToLower(ct); strings.Contains(ct, "html") || strings.Contains(ct, "xml") {
		return html.EscapeString
	}
	return func(s string) string { return s }
}

// paramEscapeJSON is s escaped for use inside a JSON string, quotes left
// off, so "{{id}}" in a body stays valid JSON whatever the id is.
// encoding/json also escapes <, > and &, so "</script>" cannot end an
// HTML script block.
func paramEscapeJSON(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}

func (h *apiHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	parts, ok := routeRequestParts(r.URL)
	var route *apiRoute
	var params map[string]string
	var allow []string
	if ok {
		route, params, allow = h.find(r.Method, parts)
	}
	switch {
	case route != nil:
		route.serve(w, r, params)
	case len(allow) > 0:
		h.notAllowed(w, r, allow)
	default:
		h.notFound(w, r)
	}
}

// routeRequestParts splits the request's path into %-decoded segments.
// It splits before decoding, so "%2F" in a parameter stays in it.
func routeRequestParts(u *url.URL) ([]string, bool) {
	p := u.EscapedPath()
	if !strings.HasPrefix(p, "/") {
		return nil, false // "OPTIONS *" and other odd targets
	}
	parts := strings.Split(p[1:], "/")
	for i, s := range parts {
		if v, err := url.PathUnescape(s); err == nil {
			parts[i] = v
		}
	}
	return parts, true
}

// serve answers with the route, after its delay.
func (c *apiRoute) serve(w http.ResponseWriter, r *http.Request, params map[string]string) {
	annotate(w, "route "+c.name)
	if !waitOrDone(r.Context(), time.Duration(c.DelayMS)*time.Millisecond) {
		annotate(w, fmt.Sprintf("route %s: gone before the %d ms delay ended", c.name, c.DelayMS))
		return
	}
	body := c.render(params)
	for k, v := range c.header {
		w.Header()[k] = slices.Clone(v)
	}
	// Set even for HEAD, which gets the headers GET would, without the body.
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(c.Status)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// render fills the parameters into the body.
func (c *apiRoute) render(params map[string]string) []byte {
	if len(params) == 0 {
		return c.body
	}
	pairs := make([]string, 0, 2*len(params))
	for k, v := range params {
		pairs = append(pairs, "{{"+k+"}}", c.escape(v))
	}
	return []byte(strings.NewReplacer(pairs...).Replace(string(c.body)))
}

// waitOrDone waits for d, or less if ctx is done first: the client left
// or the server is stopping, and nobody wants the answer. It reports
// whether the whole wait happened.
func waitOrDone(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// notFound answers a path no route has, listing the routes there are so
// a learner sees what to ask for.
func (h *apiHandler) notFound(w http.ResponseWriter, r *http.Request) {
	annotate(w, "no route")
	writeAPIJSON(w, http.StatusNotFound, struct {
		Error  string   `json:"error"`
		Routes []string `json:"routes"`
	}{fmt.Sprintf("no route for %s %s", r.Method, r.URL.Path), h.names})
}

// notAllowed answers a path that has routes, none for this method.
func (h *apiHandler) notAllowed(w http.ResponseWriter, r *http.Request, methods []string) {
	var allow []string
	for _, m := range routeMethods {
		if slices.Contains(methods, m) || m == http.MethodHead && slices.Contains(methods, http.MethodGet) {
			allow = append(allow, m)
		}
	}
	annotate(w, fmt.Sprintf("no route for %s; allowed: %s", r.Method, strings.Join(allow, ", ")))
	w.Header().Set("Allow", strings.Join(allow, ", "))
	writeAPIJSON(w, http.StatusMethodNotAllowed, struct {
		Error string   `json:"error"`
		Allow []string `json:"allow"`
	}{fmt.Sprintf("%s is not allowed for %s", r.Method, r.URL.Path), allow})
}

// writeAPIJSON answers with v as JSON.
func writeAPIJSON(w http.ResponseWriter, status int, v any) {
	b, _ := json.Marshal(v)
	b = append(b, '\n')
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	w.Write(b)
}
