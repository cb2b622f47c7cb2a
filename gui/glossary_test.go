package gui

import (
	"net/netip"
	"slices"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/loopscope/loopscope/netinfo"
)

// A socket's details link its words to the glossary, and one click on a
// word opens the glossary on it.
func TestDetailsLinkTheGlossary(t *testing.T) {
	yes := true
	for _, tc := range []struct {
		name string
		sock netinfo.Socket
		want []string
	}{
		{"loopback listener", netinfo.Socket{State: "LISTEN", Exposure: netinfo.ExposureLoopback, LocalIP: netip.MustParseAddr("127.0.0.1")},
			[]string{"LISTEN", "socket", "exposure", "loopback", "port class"}},
		{"dual-stack UDP in the ephemeral range", netinfo.Socket{State: "UNCONN", Exposure: netinfo.ExposureAll, AcceptsIPv4: &yes, Ephemeral: true},
			[]string{"UNCONN", "socket", "exposure", "dual-stack", "port class", "ephemeral port"}},
		{"a state the glossary lacks", netinfo.Socket{State: "BOUND", Exposure: netinfo.ExposureAll},
			[]string{"socket", "exposure", "port class"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := termsOf(tc.sock); !slices.Equal(got, tc.want) {
				t.Errorf("termsOf = %v, want %v", got, tc.want)
			}
			for _, term := range tc.want {
				if glossary[term] == "" {
					t.Errorf("%q is linked but not in the glossary", term)
				}
			}
		})
	}

	test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	opened := ""
	d := newPortDetails(nil, nil, nil)
	d.openTerm = func(term string) { opened = term; showGlossary(w, term) }
	w.SetContent(d.object())
	before := len(dialogs)
	uiLocked(func() {
		d.showRow(&portRow{sock: netinfo.Socket{State: "LISTEN", Exposure: netinfo.ExposureLoopback}})
		for _, o := range d.terms.Objects {
			if b, ok := o.(*widget.Button); ok && b.Text == "exposure" {
				test.Tap(b)
			}
		}
	})
	if opened != "exposure" || len(dialogs) != before+1 || dialogs[len(dialogs)-1].title != "Glossary" {
		t.Errorf("a click on exposure opened %q (%d dialogs more)", opened, len(dialogs)-before)
	}
	uiLocked(func() { dialogs[len(dialogs)-1].d.Hide() })
}
