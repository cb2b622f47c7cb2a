package gui

import (
	"fmt"
	"io"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/loopscope/loopscope/netinfo/serve"
)

// routesHelp is what the editor says above the routes.
const routesHelp = `Each route: "method", "path" (":name" is a parameter, a final "*" matches the rest), "status", "headers", "body" (any JSON; "{{name}}" is replaced by the parameter), "delay_ms".`

// editRoutes shows the mock API's routes as JSON to edit, checked as the
// user types; use runs with the routes when they are valid and accepted.
func editRoutes(w fyne.Window, routes []serve.Route, use func([]serve.Route)) {
	var d dialog.Dialog
	text := widget.NewMultiLineEntry()
	text.TextStyle = fyne.TextStyle{Monospace: true}
	text.Wrapping = fyne.TextWrapOff
	text.SetText(string(serve.FormatRoutes(routes)))
	problem := widget.NewLabel("")
	problem.Wrapping = fyne.TextWrapWord
	help := widget.NewLabel(routesHelp)
	help.Wrapping = fyne.TextWrapWord
	var parsed []serve.Route
	ok := widget.NewButtonWithIcon("Use these routes", theme.ConfirmIcon(), func() { d.Hide(); use(parsed) })
	ok.Importance = widget.HighImportance
	check := func(s string) {
		var err error
		parsed, err = serve.ParseRoutes([]byte(s))
		if err != nil {
			problem.Importance = widget.DangerImportance
			setText(problem, safeLines(err.Error()))
			ok.Disable()
			return
		}
		problem.Importance = widget.SuccessImportance
		setText(problem, fmt.Sprintf("%s, valid.", counted(len(parsed), "route", "routes")))
		ok.Enable()
	}
	text.OnChanged = check
	check(text.Text)
	load := widget.NewButtonWithIcon("Load file…", theme.FolderOpenIcon(), func() { loadRoutesFile(w, text) })
	save := widget.NewButtonWithIcon("Save file…", theme.DocumentSaveIcon(), func() { saveRoutesFile(w, text.Text) })
	reset := widget.NewButton("Example routes", func() { text.SetText(string(serve.FormatRoutes(serve.DefaultRoutes()))) })
	cancel := widget.NewButton("Cancel", func() { d.Hide() })
	buttons := container.NewHBox(load, save, reset, widget.NewLabel(""), cancel, ok)
	body := container.NewBorder(help, container.NewVBox(problem, container.NewCenter(buttons)), nil, nil, text)
	d = dialog.NewCustomWithoutButtons("Mock API routes", body, w)
	size := w.Canvas().Size()
	d.Resize(fyne.NewSize(min(760, size.Width*0.92), min(560, size.Height*0.9)))
	trackDialog(w, d, "Mock API routes", "", d.Hide, []*widget.Button{load, save, reset, cancel, ok})
	d.Show()
	w.Canvas().Focus(text)
}

// loadRoutesFile puts a routes file's text into the editor, which checks
// it; a file that cannot be read says why.
func loadRoutesFile(w fyne.Window, text *widget.Entry) {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			showError(w, fmt.Errorf("could not open that file: %w", err))
			return
		}
		if r == nil {
			return
		}
		defer r.Close()
		data, err := io.ReadAll(io.LimitReader(r, 1<<20+1))
		switch {
		case err != nil:
			showError(w, fmt.Errorf("could not read %s: %w", safe(r.URI().Name()), err))
		case len(data) > 1<<20:
			showError(w, fmt.Errorf("%s is over 1 MiB: a routes file is a short list of routes", safe(r.URI().Name())))
		default:
			text.SetText(string(data)) // checked as it is set: the problem line names route and field
		}
	}, w)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".json"}))
	trackDialog(w, d, "Load routes", "", d.Hide, nil)
	d.Show()
}

// saveRoutesFile writes the editor's text to a file the user picks.
func saveRoutesFile(w fyne.Window, text string) {
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil {
			showError(w, fmt.Errorf("could not save there: %w", err))
			return
		}
		if wc == nil {
			return
		}
		_, err = io.WriteString(wc, text)
		if cerr := wc.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			showError(w, fmt.Errorf("could not save %s: %w", safe(wc.URI().Name()), err))
		}
	}, w)
	d.SetFileName("routes.json")
	trackDialog(w, d, "Save routes", "", d.Hide, nil)
	d.Show()
}
