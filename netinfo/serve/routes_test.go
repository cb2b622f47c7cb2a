package serve

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseRoutesNamesTheRouteAndField(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string // each must appear in the error
	}{
		{"unknown field", `[{"path": "/a"}, {"path": "/b"}, {"path": "/users", "staus": 200}]`,
			[]string{`route 3 (GET /users): unknown field "staus"`, "the fields are method, path, status"}},
		{"status as a string", `[{"path": "/a"}, {"method": "POST", "path": "/login", "status": "200"}]`,
			[]string{`route 2 (POST /login): "status" must be a number`, "write 200, without quotes"}},
		{"status as true", `[{"path": "/a", "status": true}]`, []string{`route 1 (GET /a): "status" must be a number, not true`}},
		{"status not whole", `[{"path": "/a", "status": 200.5}]`, []string{`route 1 (GET /a): "status" must be a whole number`}},
		{"status too high", `[{"path": "/a", "status": 700}]`, []string{`route 1 (GET /a): "status" 700 is out of range: use 200 to 599`}},
		{"status interim", `[{"path": "/a", "status": 100}]`, []string{`"status" 100 is out of range`}},
		{"status far out", `[{"path": "/a", "status": 1e30}]`, []string{`route 1 (GET /a): "status" 1e30 is far out of range`}},
		{"delay too long", `[{"path": "/a", "delay_ms": 60001}]`, []string{`route 1 (GET /a): "delay_ms" 60001 is out of range: use 0 to 60000`}},
		{"delay negative", `[{"path": "/a", "delay_ms": -1}]`, []string{`"delay_ms" -1 is out of range`}},
		{"method not a string", `[{"path": "/a", "method": 1}]`, []string{`route 1 (GET /a): "method" must be a string, not a number`}},
		{"method unknown", `[{"path": "/a", "method": "fetch"}]`, []string{`route 1 (FETCH /a): "method" "FETCH" is not one of GET, POST`, `"*" for any`}},
		{"headers not an object", `[{"path": "/a", "headers": ["X-A"]}]`, []string{`route 1 (GET /a): "headers" must be an object`}},
		{"header value not a string", `[{"path": "/a", "headers": {"X-Count": 3}}]`, []string{`route 1 (GET /a): "headers" value of "X-Count" must be a string, not a number`}},
		{"header name with a space", `[{"path": "/a", "headers": {"X Demo": "1"}}]`, []string{`"headers" name "X Demo" may use only`}},
		{"header twice", `[{"path": "/a", "headers": {"content-type": "a", "Content-Type": "b"}}]`, []string{`"headers" has "Content-Type" and "content-type"`}},
		{"header line break", `[{"path": "/a", "headers": {"X-A": "one\r\nX-B: two"}}]`, []string{`"headers" value of "X-A" has a line break`}},
		{"content-length header", `[{"path": "/a", "headers": {"Content-Length": "3"}}]`, []string{`"Content-Length" is set by the server`}},
		{"body with 204", `[{"path": "/a", "status": 204, "body": {}}]`, []string{`route 1 (GET /a): "body" cannot be sent with status 204`}},
		{"path missing", `[{"path": "/a"}, {"status": 200}]`, []string{`route 2: "path" is missing`}},
		{"path not a string", `[{"path": 7}]`, []string{`route 1: "path" must be a string, not a number`}},
		{"path without slash", `[{"path": "api"}]`, []string{`route 1 (GET api): "path" must start with "/"`}},
		{"path with a query", `[{"path": "/a?x=1"}]`, []string{`"path" must not contain "?"`}},
		{"path with //", `[{"path": "/a//b"}]`, []string{`"path" has an empty segment`}},
		{"parameter without a name", `[{"path": "/users/:"}]`, []string{`route 1 (GET /users/:): "path" has a ":" without a name`}},
		{"parameter with a space", `[{"path": "/users/:user id"}]`, []string{`"path" parameter ":user id" may use only`}},
		{"star not last", `[{"path": "/files/*/raw"}]`, []string{`route 1 (GET /files/*/raw): "path" may have "*" only as its last segment`}},
		{"parameter twice", `[{"path": "/a/:id/b/:id"}]`, []string{`"path" uses :id twice`}},
		{"parameter twice around its name", `[{"path": "/:id/id/:id"}]`, []string{`"path" uses :id twice`}},
		{"long path", `[{"path": "` + strings.Repeat("/:a", 100) + `"}]`, []string{`route 1 (GET /:a/:a/`, `…): "path" uses :a twice`}},
		{"same method and path", `[{"path": "/a"}, {"path": "/users/:id"}, {"method": "get", "path": "/users/:name"}]`,
			[]string{`route 3 (GET /users/:name): answers the same requests as route 2 (GET /users/:id)`}},
		{"route not an object", `[{"path": "/a"}, "GET /b"]`, []string{`route 2: must be an object`, "not a string"}},
		{"empty array", `[]`, []string{"no routes"}},
		{"empty object", `{"routes": []}`, []string{"no routes"}},
		{"empty text", " \n\t", []string{"no routes"}},
		{"top is a string", `"GET /a"`, []string{"must be a JSON array", "not a string"}},
		{"top unknown field", `{"rutes": []}`, []string{`unknown field "rutes" at the top`}},
		{"routes not an array", `{"routes": {"path": "/a"}}`, []string{`"routes" must be an array, not an object`}},
		{"syntax error", "[\n  {\"path\": \"/a\",}\n]", []string{"line 2, column 17: invalid character '}'"}},
		{"unfinished", "[\n  {\"path\": \"/a\"}", []string{"line 2", "unexpected end of JSON input"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			routes, err := ParseRoutes([]byte(tt.in))
			if err == nil {
				t.Fatalf("accepted %s as %v", tt.in, routes)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n%v\ndoes not contain\n%s", err, w)
				}
			}
		})
	}
}

func TestParseRoutesReportsTheFirstFiveProblems(t *testing.T) {
	in := `[{"path": "a"}, {"path": "b"}, {"path": "c"}, {"path": "d"}, {"path": "e"}, {"path": "f"}, {"path": "g"}]`
	_, err := ParseRoutes([]byte(in))
	if err == nil {
		t.Fatal("accepted seven bad routes")
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 6 {
		t.Fatalf("want 5 problems and a line saying how many more, got:\n%v", err)
	}
	for i, l := range lines[:5] {
		if want := "route " + string(rune('1'+i)) + " "; !strings.HasPrefix(l, want) {
			t.Errorf("line %d = %q, want it to start with %q", i+1, l, want)
		}
	}
	if !strings.Contains(lines[5], "2 more") {
		t.Errorf("last line = %q, want it to say 2 more", lines[5])
	}
}

func TestParseRoutesArrayOrObject(t *testing.T) {
	body := `{"b": 1.50, "a": [1, 2]}` // key order and number spelling are kept
	array := `[{"method": "post", "path": "/a", "body": ` + body + `}, {"path": "/b", "method": "*"}]`
	object := `{"routes": ` + array + `}`
	want := []Route{
		{Method: "POST", Path: "/a", Status: 200, Body: json.RawMessage(body)},
		{Method: "*", Path: "/b", Status: 200},
	}
	for _, tt := range []struct{ name, in string }{{"array", array}, {"object", object}, {"with BOM", "\uFEFF" + array}} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseRoutes([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got %#v\nwant %#v", got, want)
			}
		})
	}
}

func TestFormatRoutesReadsBack(t *testing.T) {
	tests := []struct {
		name   string
		routes []Route
	}{
		{"defaults", DefaultRoutes()},
		{"every field", []Route{{
			Method: "PATCH", Path: "/shop/:item/ü/*", Status: 418, DelayMS: 250,
			Headers: map[string]string{"X-Demo": "a <b> & \"c\"", "Cache-Control": "no-store"},
			Body:    json.RawMessage("{\n      \"item\": \"{{item}}\",\n      \"html\": \"</script>\"\n    }"),
		}}},
		{"odd bodies", []Route{
			{Method: "*", Path: "/", Status: 200, Body: json.RawMessage(`null`)},
			{Method: "GET", Path: "/text", Status: 200, Headers: map[string]string{"Content-Type": "text/plain"}, Body: json.RawMessage(`"hi\n"`)},
			{Method: "DELETE", Path: "/gone", Status: 204},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := FormatRoutes(tt.routes)
			got, err := ParseRoutes(text)
			if err != nil {
				t.Fatalf("%v\nin:\n%s", err, text)
			}
			if !reflect.DeepEqual(got, tt.routes) {
				t.Errorf("read back %#v\nwant %#v\nfrom:\n%s", got, tt.routes, text)
			}
			if again := FormatRoutes(got); string(again) != string(text) {
				t.Errorf("formatting again changed the text:\n%s\nthen:\n%s", text, again)
			}
			if !strings.Contains(string(text), "\n    \"method\": ") {
				t.Errorf("not indented:\n%s", text)
			}
		})
	}
}

func TestLoadRoutes(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.json", string(FormatRoutes(DefaultRoutes())))
	if routes, err := LoadRoutes(good); err != nil || len(routes) != len(DefaultRoutes()) {
		t.Fatalf("LoadRoutes(good) = %d routes, %v", len(routes), err)
	}
	tests := []struct {
		name, path, want string
	}{
		{"missing", filepath.Join(dir, "missing.json"), "no such file"},
		{"too large", write("big.json", "["+strings.Repeat(" ", maxRoutesFile)+"]"), "larger than 1 MiB"},
		{"bad routes", write("bad.json", `[{"path": "a"}, {"path": "/b", "staus": 1}]`), `route 2 (GET /b): unknown field "staus"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadRoutes(tt.path)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("LoadRoutes = %v, want an error containing %q", err, tt.want)
			}
			for _, line := range strings.Split(err.Error(), "\n") {
				if !strings.HasPrefix(line, filepath.Base(tt.path)+": ") {
					t.Errorf("line %q does not start with the file's name", line)
				}
			}
		})
	}
}

func TestRouteString(t *testing.T) {
	tests := []struct {
		r    Route
		want string
	}{
		{Route{Method: "GET", Path: "/api/users/:id"}, "GET /api/users/:id"},
		{Route{Method: "post", Path: "/a"}, "POST /a"},
		{Route{Path: "/a"}, "GET /a"},
		{Route{Method: "*", Path: "/files/*"}, "* /files/*"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.r.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDefaultRoutesAreValid(t *testing.T) {
	if _, err := newAPIHandler(DefaultRoutes()); err != nil {
		t.Fatal(err)
	}
	if _, err := ParseRoutes(FormatRoutes(DefaultRoutes())); err != nil {
		t.Fatal(err)
	}
}

// FuzzParseRoutes: whatever the user types, ParseRoutes never panics, and
// what it accepts the handler accepts and formats back to equal routes.
func FuzzParseRoutes(f *testing.F) {
	f.Add(string(FormatRoutes(DefaultRoutes())))
	f.Add(`{"routes": [{"method": "*", "path": "/a/:b/*", "status": 201, "headers": {"X": "y"}, "body": "t", "delay_ms": 0}]}`)
	f.Add(`[{"path": "/a"}, {"path": "/a"}, {"path": "b", "staus": "1"}]`)
	f.Add("[\n{\"path\": \"/\u00e9\",}]")
	f.Fuzz(func(t *testing.T, in string) {
		routes, err := ParseRoutes([]byte(in))
		if err != nil {
			return
		}
		if _, err := newAPIHandler(routes); err != nil {
			t.Fatalf("ParseRoutes accepted what newAPIHandler refuses: %v", err)
		}
		again, err := ParseRoutes(FormatRoutes(routes))
		if err != nil || !reflect.DeepEqual(again, routes) {
			t.Fatalf("read back %v, %v\nwant %v", again, err, routes)
		}
	})
}
