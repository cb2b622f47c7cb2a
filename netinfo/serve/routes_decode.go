package serve

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"
)

const noRoutes = `no routes: write at least one, like [{"path": "/api/hello", "body": {"hello": "world"}}]`

// routeItems finds the routes in either form of the file, undecoded.
func routeItems(top json.RawMessage) ([]json.RawMessage, string) {
	list := top
	if top[0] == '{' {
		var obj map[string]json.RawMessage
		json.Unmarshal(top, &obj) // valid: checked by the caller
		for _, k := range slices.Sorted(maps.Keys(obj)) {
			if k != "routes" {
				return nil, fmt.Sprintf(`unknown field %q at the top: write {"routes": [...]}, or just the array`, clipForError(k))
			}
		}
		if list = obj["routes"]; list == nil {
			return nil, noRoutes
		}
		if list[0] != '[' {
			return nil, `"routes" must be an array, not ` + jsonKind(list)
		}
	}
	if list[0] != '[' {
		return nil, `the routes must be a JSON array [...] or an object {"routes": [...]}, not ` + jsonKind(list)
	}
	var items []json.RawMessage
	json.Unmarshal(list, &items)
	if len(items) == 0 {
		return nil, noRoutes
	}
	return items, ""
}

// routeFieldNames are the fields of a route in the file.
var routeFieldNames = []string{"method", "path", "status", "headers", "body", "delay_ms"}

// decodeRoute reads one route, with ParseRoutes' defaults, and what is
// wrong with its fields' names and types.
func decodeRoute(raw json.RawMessage) (Route, []routeProblem) {
	r := Route{Method: http.MethodGet, Status: http.StatusOK}
	if raw[0] != '{' {
		return r, []routeProblem{{"", `must be an object like {"path": "/api/hello", "body": {"hello": "world"}}, not ` + jsonKind(raw)}}
	}
	var fields map[string]json.RawMessage
	json.Unmarshal(raw, &fields) // valid: checked by the caller
	var ps []routeProblem
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		if !slices.Contains(routeFieldNames, k) {
			ps = append(ps, routeProblem{k, fmt.Sprintf("unknown field %q; the fields are %s", clipForError(k), strings.Join(routeFieldNames, ", "))})
		}
	}
	if fields["path"] == nil {
		ps = append(ps, fieldProblem("path", `is missing: every route needs one, like "/api/hello"`))
	}
	ps = decodeString(ps, fields, "method", &r.Method)
	r.Method = strings.ToUpper(r.Method)
	ps = decodeString(ps, fields, "path", &r.Path)
	ps = decodeInt(ps, fields, "status", &r.Status)
	ps = decodeHeaders(ps, fields["headers"], &r.Headers)
	r.Body = bytes.TrimSpace(fields["body"])
	ps = decodeInt(ps, fields, "delay_ms", &r.DelayMS)
	return r, ps
}

func decodeString(ps []routeProblem, fields map[string]json.RawMessage, name string, dst *string) []routeProblem {
	raw := fields[name]
	if raw == nil {
		return ps
	}
	if raw[0] != '"' {
		return append(ps, fieldProblem(name, "must be a string, not %s", jsonKind(raw)))
	}
	json.Unmarshal(raw, dst)
	return ps
}

func decodeInt(ps []routeProblem, fields map[string]json.RawMessage, name string, dst *int) []routeProblem {
	raw := fields[name]
	if raw == nil {
		return ps
	}
	var f float64
	if raw[0] == '"' && json.Unmarshal(raw, new(json.Number)) == nil {
		return append(ps, fieldProblem(name, "must be a number, not a string: write %s, without quotes", clipForError(string(raw[1:len(raw)-1]))))
	}
	if kind := jsonKind(raw); kind != "a number" {
		return append(ps, fieldProblem(name, "must be a number, not %s", kind))
	}
	json.Unmarshal(raw, &f)
	switch {
	case f != math.Trunc(f):
		return append(ps, fieldProblem(name, "must be a whole number, not %s", clipForError(string(raw))))
	case math.Abs(f) > 1e9:
		return append(ps, fieldProblem(name, "%s is far out of range", clipForError(string(raw))))
	}
	*dst = int(f)
	return ps
}

func decodeHeaders(ps []routeProblem, raw json.RawMessage, dst *map[string]string) []routeProblem {
	if raw == nil {
		return ps
	}
	if raw[0] != '{' {
		return append(ps, fieldProblem("headers", `must be an object like {"X-Demo": "yes"}, not %s`, jsonKind(raw)))
	}
	var fields map[string]json.RawMessage
	json.Unmarshal(raw, &fields)
	h := make(map[string]string, len(fields))
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		if fields[k][0] != '"' {
			return append(ps, fieldProblem("headers", "value of %q must be a string, not %s", clipForError(k), jsonKind(fields[k])))
		}
		v := ""
		json.Unmarshal(fields[k], &v)
		h[k] = v
	}
	if len(h) > 0 {
		*dst = h
	}
	return ps
}

// jsonKind names the type of a valid JSON value for an error message.
func jsonKind(raw json.RawMessage) string {
	switch raw[0] {
	case '"':
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f', 'n':
		return string(raw)
	}
	return "a number"
}

// syntaxProblem says where the JSON is broken, as an editor counts.
func syntaxProblem(data []byte, err error) string {
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		return "not valid JSON: " + err.Error()
	}
	before := data[:max(se.Offset-1, 0)] // Offset counts the offending byte
	line := 1 + bytes.Count(before, []byte("\n"))
	col := 1 + utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:])
	return fmt.Sprintf("line %d, column %d: %s", line, col, se.Error())
}
