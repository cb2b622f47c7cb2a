package gui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/loopscope/loopscope/netinfo"
	"github.com/loopscope/loopscope/netinfo/diagnose"
)

// diagnosePort diagnoses port off the UI goroutine (its probes take up
// to half a second) and shows the report.
func (s *shell) diagnosePort(port uint16) {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		r, err := diagnose.Run(ctx, s.src, port)
		onUI(func() {
			if err != nil {
				showError(s.w, fmt.Errorf("could not diagnose port %d: %w", port, err))
				return
			}
			s.showDiagnosis(r)
		})
	}()
}

// showDiagnosis shows a report's sentences, and its fixes as buttons.
func (s *shell) showDiagnosis(r diagnose.Report) {
	text := "• " + strings.Join(r.Sentences(), "\n• ")
	report := text + "\n\nWhat you can do:"
	for _, f := range r.Fixes {
		report += "\n• " + strings.TrimSpace(f.Text+"  "+f.Command)
		if f.Kind != "commands" && f.Kind != "watch" && f.Kind != "end" { // those are buttons
			text += "\n\n" + strings.TrimSpace(f.Text+"  "+f.Command)
		}
	}
	var d dialog.Dialog
	closeB := widget.NewButton("Close", func() { d.Hide() })
	copyB := widget.NewButtonWithIcon("Copy the report", theme.ContentCopyIcon(), func() { s.copy(report) })
	buttons := []*widget.Button{closeB, copyB}
	for _, f := range r.Fixes {
		switch f.Kind {
		case "commands":
			cmd := f.Command
			buttons = append(buttons, widget.NewButtonWithIcon("Copy the commands", theme.ContentCopyIcon(), func() { s.copy(cmd) }))
		case "watch":
			if s.watchPort != nil {
				loopback := r.Exposure == netinfo.ExposureLoopback
				buttons = append(buttons, widget.NewButtonWithIcon("Watch its traffic", theme.MailForwardIcon(), func() {
					d.Hide()
					s.watchPort(r.Port, loopback)
				}))
			}
		case "end":
			if s.end != nil {
				end := widget.NewButtonWithIcon("End the owner…", theme.CancelIcon(), func() {
					d.Hide()
					s.end.startSockets(r.Listening...)
				})
				end.Importance = widget.DangerImportance
				buttons = append(buttons, end)
			}
		}
	}
	d = showDialog(s.w, fmt.Sprintf("Port %d", r.Port), text, nil, buttons...)
}

// diagnoseBox is the "Diagnose port…" field under the tabs: a port, then
// Enter.
func (s *shell) diagnoseBox() fyne.CanvasObject {
	e := newFilterEntry("Diagnose port…", s.shortcut, nil)
	go1 := func(text string) {
		port, err := netinfo.ParsePort(strings.TrimPrefix(strings.TrimSpace(text), ":"))
		if err != nil {
			inform(s.w, "Which port?", fmt.Sprintf("%q is not a port: type a number from 1 to 65535, then Enter.", text))
			return
		}
		s.diagnosePort(port)
	}
	e.OnSubmitted = go1
	s.diagnoseB = widget.NewButtonWithIcon("Diagnose", theme.SearchIcon(), func() { go1(e.Text) })
	s.diagnoseE = e
	glossaryB := widget.NewButtonWithIcon("", theme.HelpIcon(), func() { showGlossary(s.w, "") }) // the glossary (F1): a "?" keeps the status line its room
	return container.NewBorder(nil, nil, nil, container.NewHBox(s.diagnoseB, glossaryB), container.New(&minWidth{w: 120}, e))
}
