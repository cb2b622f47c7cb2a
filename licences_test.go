package main

import (
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/loopscope/loopscope/assets"
)

// The licences the binary carries are those of the modules it links, at
// the versions it links: scripts/licences must run after go.mod changes.
func TestLicencesFileIsCurrent(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-tags", "migrated_fynedo",
		"-f", "{{with .Module}}{{if not .Main}}{{.Path}} {{.Version}}{{end}}{{end}}", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	// Go's licence is there whatever patch release built the file.
	linked := []string{"Go standard library"}
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if l != "" && !slices.Contains(linked, l) {
			linked = append(linked, l)
		}
	}
	var carried []string
	for _, l := range strings.Split(assets.Licences, "\n") {
		if m, ok := strings.CutPrefix(l, "==== "); ok {
			m = strings.TrimSuffix(m, " ====")
			if strings.HasPrefix(m, "Go standard library ") {
				m = "Go standard library"
			}
			carried = append(carried, m)
		}
	}
	slices.Sort(linked)
	slices.Sort(carried)
	if !slices.Equal(linked, carried) {
		t.Errorf("assets/LICENSES.txt has %v\nthe binary links %v\nrun scripts/licences", carried, linked)
	}
	if !strings.Contains(assets.Licences, "the C library in github.com/go-gl/glfw") {
		t.Error("GLFW's own licence (its C source is compiled in) is missing")
	}
	if strings.Contains(assets.Licences, "(no licence file in the module)") {
		t.Error("a module's licence is missing from assets/LICENSES.txt")
	}
}
