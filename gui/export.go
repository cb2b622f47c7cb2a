package gui

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"

	"github.com/loopscope/loopscope/netinfo"
)

// exportRows asks where to save the shown rows, then writes them as JSON
// when the name ends in .json and as CSV otherwise. The bytes are made
// here, on the UI goroutine, from what is shown; writing happens off it.
// The dialog opens in the folder last saved to.
func (s *shell) exportRows(name string, csvRows [][]string, jsonRows func() []byte) {
	var d *dialog.FileDialog
	d = dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			showError(s.w, fmt.Errorf("could not save there: %w. Choose the folder in the dialog and type only the file name", err))
			return
		}
		if w == nil {
			return // cancelled
		}
		var data []byte
		if strings.EqualFold(filepath.Ext(w.URI().Name()), ".json") {
			data = jsonRows()
		} else {
			data = csvBytes(csvRows)
		}
		go func() {
			_, err := io.Copy(w, bytes.NewReader(data))
			if cerr := w.Close(); err == nil {
				err = cerr
			}
			onUI(func() {
				if err != nil {
					showError(s.w, fmt.Errorf("could not save %s: %w. Choose another folder and try again", w.URI().Name(), err))
					return
				}
				s.a.Preferences().SetString("export.folder", filepath.Dir(w.URI().Path()))
				inform(s.w, "Saved", fmt.Sprintf("Saved %d rows to %s.", len(csvRows)-1, w.URI().Path()))
			})
		}()
	}, s.w)
	d.SetFileName(name)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".csv", ".json"}))
	if dir := s.a.Preferences().String("export.folder"); dir != "" {
		if l, err := storage.ListerForURI(storage.NewFileURI(dir)); err == nil {
			d.SetLocation(l)
		}
	}
	trackDialog(s.w, d, "Export", "", d.Dismiss, nil)
	d.Show()
	s.w.Canvas().Unfocus() // the dialog focuses its name field, which would keep Escape from closing it
}

func csvBytes(rows [][]string) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	safe := make([][]string, len(rows))
	for i, r := range rows {
		safe[i] = make([]string, len(r))
		for j, c := range r {
			safe[i][j] = spreadsheetSafe(c)
		}
	}
	w.WriteAll(safe) // a bytes.Buffer does not fail
	return b.Bytes()
}

// spreadsheetSafe keeps a cell a spreadsheet would run as a formula (a
// process may name itself "=cmd|'/c calc'") as text: a leading ' is what
// spreadsheets read as "text follows", as OWASP advises for CSV.
func spreadsheetSafe(cell string) string {
	if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
		return "'" + cell
	}
	return cell
}

// tableRows is a table's shown rows as CSV records, with its titles
// first; a "—" the table shows for nothing is an empty cell.
func tableRows[R any](t *dataTable[R], rows []*R) [][]string {
	out := [][]string{t.header.titles}
	for _, r := range rows {
		rec := make([]string, len(t.spec.columns))
		for col := range t.spec.columns {
			if text := t.spec.cell(r, col).text; text != "—" {
				rec[col] = text
			}
		}
		out = append(out, rec)
	}
	return out
}

// export saves the shown sockets; JSON has the keys of ports --json.
func (v *portsView) export() {
	var socks []netinfo.Socket
	var rows []*portRow
	for _, r := range v.table.rows {
		if r.state != rowGone {
			socks, rows = append(socks, r.sock), append(rows, r)
		}
	}
	v.exportRows("loopscope-ports.csv", tableRows(v.table, rows), func() []byte { return netinfo.AppendJSON(nil, socks) })
}

// procExport is one process as exported to JSON.
type procExport struct {
	netinfo.Owner
	Listening   int      `json:"listening"`
	Connections int      `json:"connections"`
	Ports       []uint16 `json:"ports"`
}

// export saves the shown processes.
func (v *procsView) export() {
	rows := v.table.rows
	v.exportRows("loopscope-processes.csv", tableRows(v.table, rows), func() []byte {
		out := make([]procExport, len(rows))
		for i, r := range rows {
			out[i] = procExport{Owner: r.owner, Listening: r.listening, Connections: r.connections, Ports: append([]uint16{}, r.ports...)}
		}
		b, _ := json.MarshalIndent(out, "", "  ") // plain values: cannot fail
		return append(b, '\n')
	})
}
