package main

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/loopscope/loopscope/netinfo"
)

// Every key `ports --json` can print is in the README's JSON table: the
// keys are the Socket struct's JSON names (AppendJSON is checked against
// encoding/json elsewhere), the table's first column names them.
func TestReadmeDocumentsEveryPortsKey(t *testing.T) {
	raw, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(raw)
	start := strings.Index(readme, "### JSON")
	if start < 0 {
		t.Fatal("the README has no JSON section")
	}
	section := readme[start:]
	if end := strings.Index(section[len("### JSON"):], "\n### "); end >= 0 {
		section = section[:len("### JSON")+end]
	}
	documented := map[string]bool{}
	for _, line := range strings.Split(section, "\n") {
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		first := strings.SplitN(line[1:], "|", 2)[0]
		for _, part := range strings.Split(first, "`") {
			if k := strings.TrimSpace(part); k != "" && k != "," {
				documented[k] = true
			}
		}
	}
	for _, k := range structJSONKeys(reflect.TypeFor[netinfo.Socket]()) {
		if !documented[k] {
			t.Errorf("ports --json prints %q, which the README's JSON table does not explain", k)
		}
	}
}

// structJSONKeys are the JSON names of a struct's fields, embedded ones included.
func structJSONKeys(typ reflect.Type) []string {
	var keys []string
	for i := range typ.NumField() {
		f := typ.Field(i)
		tag := f.Tag.Get("json")
		if f.Anonymous && tag == "" {
			keys = append(keys, structJSONKeys(f.Type)...)
			continue
		}
		if name := strings.Split(tag, ",")[0]; name != "" && name != "-" {
			keys = append(keys, name)
		}
	}
	return keys
}
