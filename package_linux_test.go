package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"text/template"

	"github.com/BurntSushi/toml"
)

// TestPackageBundle builds a bundle laid out as `fyne package` lays it
// out, from Fyne's own templates (the packaging tool's version that the
// Makefile pins) and FyneApp.toml, runs scripts/package-helper on it as
// `make package` does, and installs it as a user would with the
// bundle's `make user-install`: the helper and the AppStream metainfo
// go in beside the binary and the desktop entry, the entry has the
// Network and Development categories, the metainfo names that entry and
// passes appstreamcli, and `make user-uninstall` takes it all away.
// (`make package` itself builds for a minute; it is not run here.)
func TestPackageBundle(t *testing.T) {
	tpl := fyneTemplates(t)
	var meta struct {
		Details     struct{ ID, Name string }
		LinuxAndBSD struct {
			GenericName, Comment string
			Categories, Keywords []string
		}
	}
	if _, err := toml.DecodeFile("FyneApp.toml", &meta); err != nil {
		t.Fatal(err)
	}
	data := map[string]string{
		"Name": meta.Details.Name, "AppID": meta.Details.ID, "Exec": "loopscope", "Icon": meta.Details.ID + ".png",
		"Local": "local/", "GenericName": meta.LinuxAndBSD.GenericName, "Comment": meta.LinuxAndBSD.Comment,
		"Categories": strings.Join(meta.LinuxAndBSD.Categories, ";") + ";", "Keywords": strings.Join(meta.LinuxAndBSD.Keywords, ";") + ";",
		"ExecParams": "", "MimeTypes": "", "StartupWMClass": "Loopscope", "SourceRepo": "", "SourceDir": "",
	}
	work := t.TempDir()
	root := filepath.Join(work, "loopscope")
	write := func(name, text string, mode os.FileMode) {
		path := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), mode); err != nil {
			t.Fatal(err)
		}
	}
	write("Makefile", render(t, tpl["Makefile"], data), 0o644)
	entry := render(t, tpl["entry.desktop"], data)
	desktopID := meta.Details.ID + ".desktop"
	write("usr/local/share/applications/"+desktopID, entry, 0o644)
	write("usr/local/bin/loopscope", "#!/bin/sh\n", 0o755)
	write("usr/local/share/pixmaps/"+meta.Details.ID+".png", "png", 0o644)
	if m := regexp.MustCompile(`(?m)^Categories=(.*)$`).FindStringSubmatch(entry); m == nil ||
		!strings.Contains(";"+m[1], ";Network;") || !strings.Contains(";"+m[1], ";Development;") {
		t.Errorf("the bundle's desktop entry lacks the Network and Development categories:\n%s", entry)
	}
	run := func(dir, name string, args ...string) string {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	run(work, "tar", "-cJf", "Loopscope.tar.xz", "loopscope")
	if err := os.RemoveAll(root); err != nil {
		t.Fatal(err)
	}
	helper := filepath.Join(work, "loopscope-capture")
	if err := os.WriteFile(helper, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	here, _ := os.Getwd()
	metainfo := filepath.Join(here, "assets", meta.Details.ID+".metainfo.xml")
	run(work, filepath.Join(here, "scripts", "package-helper"), helper, metainfo)
	run(work, "tar", "-xJf", "Loopscope.tar.xz")

	home := filepath.Join(work, "home")
	run(root, "make", "user-install", "HOME="+home)
	installed := []string{".local/bin/loopscope", ".local/bin/loopscope-capture", ".local/share/applications/" + desktopID,
		".local/share/metainfo/" + meta.Details.ID + ".metainfo.xml"}
	for _, f := range installed {
		if _, err := os.Stat(filepath.Join(home, f)); err != nil {
			t.Errorf("make user-install did not install %s", f)
		}
	}
	mi, _ := os.ReadFile(filepath.Join(home, installed[3]))
	if !bytes.Contains(mi, []byte(`<launchable type="desktop-id">`+desktopID+`</launchable>`)) {
		t.Errorf("the metainfo does not name the desktop entry %s a software centre would find", desktopID)
	}
	if tool, err := exec.LookPath("appstreamcli"); err == nil {
		run(work, tool, "validate", "--no-net", filepath.Join(home, installed[3]))
	} else if os.Getenv("LOOPSCOPE_STRICT") == "1" {
		t.Error("appstreamcli not found; run 'make deps'")
	}
	run(root, "make", "user-uninstall", "HOME="+home)
	for _, f := range installed {
		if _, err := os.Stat(filepath.Join(home, f)); err == nil {
			t.Errorf("make user-uninstall left %s", f)
		}
	}
}

// fyneTemplates reads the bundle's Makefile and desktop entry templates
// from the packaging tool the Makefile pins, in Go's module cache (make
// test installs the tool first).
func fyneTemplates(t *testing.T) map[string]string {
	t.Helper()
	mk, err := os.ReadFile("Makefile")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^FYNE_TOOLS := (\S+)$`).FindSubmatch(mk)
	if m == nil {
		t.Fatal("the Makefile pins no FYNE_TOOLS version")
	}
	cache, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Skipf("no go command: %v", err)
	}
	dir := filepath.Join(strings.TrimSpace(string(cache)), "fyne.io", "tools@"+string(m[1]), "cmd", "fyne", "internal", "templates", "data")
	out := map[string]string{}
	for _, name := range []string{"Makefile", "entry.desktop"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			if os.Getenv("LOOPSCOPE_STRICT") == "1" {
				t.Fatalf("Fyne's packaging templates: %v (make test installs the tool first)", err)
			}
			t.Skipf("Fyne's packaging tool is not in the module cache: %v", err)
		}
		out[name] = string(b)
	}
	return out
}

func render(t *testing.T, text string, data any) string {
	t.Helper()
	var b strings.Builder
	if err := template.Must(template.New("").Parse(text)).Execute(&b, data); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
