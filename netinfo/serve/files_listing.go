package serve

import (
	"bytes"
	"errors"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// listing is what the folder page shows.
type listing struct {
	Path    string // the folder's URL path, "/docs/"
	Parent  bool   // whether there is a folder above to link to
	Entries []listEntry
	Notes   []string // what was left out, and why
}

type listEntry struct {
	Name, Href, Size, Modified string
	Dir                        bool
}

// The page is small and self-contained: the listing's CSP allows inline
// styles and nothing else, so a file name can never run as script.
var listingPage = template.Must(template.New("listing").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Index of {{.Path}}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60em;margin:2em auto;padding:0 1em}
table{border-collapse:collapse;width:100%}th,td{padding:.15em .6em;text-align:left}
td+td{text-align:right;white-space:nowrap;color:#555}tr:hover td{background:#f2f2f2}
a{text-decoration:none}.note{color:#666}</style></head>
<body><h1>Index of {{.Path}}</h1>
<table><tr><th>Name</th><th>Size</th><th>Modified</th></tr>
{{if .Parent}}<tr><td><a href="../">../</a></td><td></td><td></td></tr>
{{end}}{{range .Entries}}<tr><td><a href="{{.Href}}">{{.Name}}{{if .Dir}}/{{end}}</a></td><td>{{.Size}}</td><td>{{.Modified}}</td></tr>
{{end}}</table>
{{range .Notes}}<p class="note">{{.}}</p>
{{end}}</body></html>
`))

// listing reads the folder at actual (reached by the URL segments segs).
func (h *filesHandler) listing(segs, actual []string) (listing, error) {
	f, err := h.root.Open(joinSegments(actual))
	if err != nil {
		return listing{}, err
	}
	defer f.Close()
	dirents, err := f.ReadDir(-1)
	if err != nil {
		return listing{}, err
	}
	page := listing{Path: "/" + strings.Join(segs, "/"), Parent: len(segs) > 0}
	if len(segs) > 0 {
		page.Path += "/"
	}
	hidden, links := 0, 0
	for _, d := range dirents {
		e, err := h.entry(actual, d)
		switch {
		case errors.Is(err, errHidden):
			hidden++
		case errors.Is(err, errNotRegular):
			// A pipe or socket: nothing a browser could fetch.
		case err != nil:
			links++ // a link leading outside, or nowhere
		default:
			page.Entries = append(page.Entries, e)
		}
	}
	sortEntries(page.Entries)
	page.Notes = listingNotes(len(page.Entries), hidden, links)
	return page, nil
}

// entry describes one name in the folder, judging a link by its target.
func (h *filesHandler) entry(dir []string, d fs.DirEntry) (listEntry, error) {
	name := d.Name()
	if !h.showHidden && hiddenName(name) {
		return listEntry{}, errHidden
	}
	info, err := d.Info()
	if err != nil {
		return listEntry{}, err
	}
	if info.Mode()&fs.ModeSymlink != 0 {
		target, tinfo, err := h.resolve(append(slices.Clip(dir), name))
		if err != nil {
			return listEntry{}, err
		}
		if !h.showHidden && hiddenPath(target) {
			return listEntry{}, errHidden
		}
		info = tinfo
	}
	e := listEntry{Name: name, Dir: info.IsDir(), Modified: info.ModTime().Format("2006-01-02 15:04")}
	// "./" keeps a name like "a:b" from reading as a URL scheme.
	e.Href = "./" + url.PathEscape(name)
	switch {
	case e.Dir:
		e.Href += "/"
		e.Size = "—"
	case info.Mode().IsRegular():
		e.Size = Size(info.Size())
	default:
		return listEntry{}, errNotRegular
	}
	return e, nil
}

// sortEntries puts folders first, then names in an order people expect.
func sortEntries(es []listEntry) {
	slices.SortFunc(es, func(a, b listEntry) int {
		if a.Dir != b.Dir {
			if a.Dir {
				return -1
			}
			return 1
		}
		if c := strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
}

func listingNotes(shown, hidden, links int) []string {
	var notes []string
	if shown == 0 && hidden == 0 && links == 0 {
		notes = append(notes, "This folder is empty.")
	}
	if hidden > 0 {
		notes = append(notes, plural(hidden, "hidden file")+" not shown (dotfiles and secrets)")
	}
	if links > 0 {
		notes = append(notes, plural(links, "link")+" not shown (leading outside the folder, or to nothing)")
	}
	return notes
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// writeListing renders the page whole before sending it, so a failure
// cannot leave half a page.
func writeListing(w http.ResponseWriter, page listing) {
	var buf bytes.Buffer
	if err := listingPage.Execute(&buf, page); err != nil {
		http.Error(w, "serve: render listing: "+err.Error(), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.Write(buf.Bytes())
}
