package gui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/loopscope/loopscope/netinfo"
	"github.com/loopscope/loopscope/netinfo/serve"
)

// startBar is the row that starts a server: its kind, its folder or
// routes, its port, whether other devices may reach it, and Start.
type startBar struct {
	v      *serversView
	kind   *safeSelect
	source *widget.Button // the folder (files) or the routes (api)
	port   *widget.Entry
	expose *widget.Check
	start  *widget.Button
	obj    fyne.CanvasObject

	dir    string        // the folder a file server serves; "" until chosen
	routes []serve.Route // what a mock API answers
}

func newStartBar(v *serversView) *startBar {
	b := &startBar{v: v, routes: serve.DefaultRoutes()}
	p := v.a.Preferences()
	b.dir = p.String("serve.dir")
	if data := p.String("serve.routes"); data != "" {
		if routes, err := serve.ParseRoutes([]byte(data)); err == nil {
			b.routes = routes
		}
	}
	var titles []string
	for _, k := range serve.Kinds() {
		titles = append(titles, k.Title())
	}
	b.source = widget.NewButtonWithIcon("", theme.FolderOpenIcon(), b.editSource)
	b.kind = newSelect(titles, func(string) { b.kindChanged() })
	b.kind.SetSelected(p.StringWithFallback("serve.kind", serve.Files.Title()))
	b.port = widget.NewEntry()
	b.port.SetPlaceHolder("Port: any free")
	b.port.OnSubmitted = func(string) { b.startPressed() }
	b.expose = widget.NewCheck("Reachable from other devices", b.exposeChanged)
	b.expose.Checked = v.prefs.exposeServers() // the user chose it in Settings, warned there
	b.start = widget.NewButtonWithIcon("Start", theme.MediaPlayIcon(), b.startPressed)
	b.start.Importance = widget.HighImportance
	port := container.NewGridWrap(fyne.NewSize(128, b.port.MinSize().Height), b.port)
	kind := container.NewGridWrap(fyne.NewSize(150, b.kind.MinSize().Height), b.kind)
	b.obj = container.NewHBox(kind, b.source, port, b.expose, layout.NewSpacer(), b.start)
	return b
}

func (b *startBar) object() fyne.CanvasObject { return b.obj }

// selectedKind is the kind the menu shows.
func (b *startBar) selectedKind() serve.Kind {
	k, err := serve.ParseKind(b.kind.Selected)
	if err != nil {
		return serve.Files
	}
	return k
}

// kindChanged shows the folder button for files, the routes button for
// an API, and nothing for the echo servers.
func (b *startBar) kindChanged() {
	b.v.a.Preferences().SetString("serve.kind", b.kind.Selected)
	b.showSource()
}

func (b *startBar) showSource() {
	switch b.selectedKind() {
	case serve.Files:
		text := "Choose folder…"
		if b.dir != "" {
			text = "Folder: " + shorten(filepath.Base(b.dir), 18)
		}
		b.source.SetText(text)
		b.source.SetIcon(theme.FolderOpenIcon())
		b.source.Show()
	case serve.API:
		b.source.SetText(fmt.Sprintf("Routes: %d · Edit…", len(b.routes)))
		b.source.SetIcon(theme.DocumentCreateIcon())
		b.source.Show()
	default:
		b.source.Hide()
	}
}

// shorten cuts an outside name for a button: escaped, at most n runes.
func shorten(s string, n int) string {
	s = safe(s)
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

func (b *startBar) editSource() {
	if b.selectedKind() == serve.API {
		editRoutes(b.v.w, b.routes, func(routes []serve.Route) {
			b.routes = routes
			b.v.a.Preferences().SetString("serve.routes", string(serve.FormatRoutes(routes)))
			b.showSource()
		})
		return
	}
	b.chooseFolder(nil)
}

// chooseFolder asks for the folder to serve, then runs then (if not nil).
func (b *startBar) chooseFolder(then func()) {
	d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		if err != nil {
			showError(b.v.w, fmt.Errorf("could not open that folder: %w", err))
			return
		}
		if u == nil {
			return // cancelled
		}
		b.dir = u.Path()
		b.v.a.Preferences().SetString("serve.dir", b.dir)
		b.showSource()
		if then != nil {
			then()
		}
	}, b.v.w)
	start := b.dir
	if start == "" {
		start, _ = os.UserHomeDir()
	}
	if l, err := storage.ListerForURI(storage.NewFileURI(start)); err == nil {
		d.SetLocation(l)
	}
	trackDialog(b.v.w, d, "Choose a folder to serve", "", d.Hide, nil)
	d.Show()
}

// exposeChanged asks before new servers may be reached from other devices.
func (b *startBar) exposeChanged(on bool) {
	b.v.updateNone()
	if !on {
		return
	}
	askExpose(b.v.w, func(yes bool) {
		if !yes {
			b.expose.SetChecked(false)
		}
	})
}

// askExpose asks whether new servers may be reached from other devices,
// saying who could then read them.
func askExpose(w fyne.Window, answer func(yes bool)) {
	where := "this machine's network addresses"
	if addrs := lanHosts(); len(addrs) > 0 {
		where = strings.Join(addrs, ", ")
	}
	ask(w, "Let other devices reach new servers?", "Allow other devices", "Keep it on this machine",
		"Servers you start with this on listen on every address, so phones and computers on your network can reach them at "+where+".\n\n"+
			"Anyone on the network can then read what the server serves. The firewall may block them, or ask whether to allow them.",
		true, answer)
}

// lanHosts are this machine's addresses other devices can use.
func lanHosts() []string {
	var hosts []string
	for _, a := range serve.LANAddrs() {
		hosts = append(hosts, a.String())
	}
	return hosts
}

// config reads the bar into a server's config.
func (b *startBar) config() (serve.Config, error) {
	cfg := serve.Config{Kind: b.selectedKind(), Dir: b.dir, Expose: b.expose.Checked}
	if cfg.Kind == serve.API {
		cfg.Routes = b.routes
	}
	if text := strings.TrimPrefix(strings.TrimSpace(b.port.Text), ":"); text != "" && text != "0" { // 0: any free, as for the OS
		p, err := netinfo.ParsePort(text)
		if err != nil {
			return cfg, err
		}
		cfg.Port = int(p)
	}
	return cfg, nil
}

// startPressed starts a server as the bar says, asking first for what
// is missing or risky.
func (b *startBar) startPressed() {
	cfg, err := b.config()
	if err != nil {
		inform(b.v.w, "Which port?", capitalize(err.Error())+", or leave the box empty for any free port.")
		return
	}
	if cfg.Kind != serve.Files {
		b.launch(cfg)
		return
	}
	if cfg.Dir == "" {
		b.chooseFolder(b.startPressed)
		return
	}
	if why, sensitive := serve.SensitiveDir(cfg.Dir); sensitive {
		ask(b.v.w, "Serve "+safeLong(cfg.Dir)+"?", "Serve it anyway", "Cancel",
			capitalize(why)+".\n\nServe a smaller folder that holds only what you mean to share.", true, func(yes bool) {
				if yes {
					b.launch(cfg)
				}
			})
		return
	}
	b.launch(cfg)
}

// launch starts the server off the UI goroutine and shows the outcome.
func (b *startBar) launch(cfg serve.Config) {
	b.start.Disable()
	go func() {
		s, err := b.v.mgr.Start(cfg)
		onUI(func() {
			b.start.Enable()
			if err != nil {
				b.explainStartError(cfg, cfg.Port, err)
				return
			}
			b.v.started(s)
		})
	}()
}

// explainStartError says why a server did not start and offers a way on:
// for a taken port, who holds it, the next free port, or ending it.
func (b *startBar) explainStartError(cfg serve.Config, port int, err error) {
	w := b.v.w
	switch {
	case errors.Is(err, serve.ErrPortInUse):
		go b.explainTaken(cfg, port)
	case errors.Is(err, serve.ErrPrivilegedPort):
		choose(w, fmt.Sprintf("Port %d needs administrator rights", port),
			capitalize(serve.PrivilegedPortAdvice(port))+".",
			option{"Use port 8080 instead", widget.HighImportance, func() { b.retryFrom(cfg, 8079) }})
	default:
		showError(w, err)
	}
}

// retryFrom starts cfg on the first free port after from.
func (b *startBar) retryFrom(cfg serve.Config, from int) {
	p, err := serve.NextFreePort(cfg, from)
	if err != nil {
		showError(b.v.w, err)
		return
	}
	b.port.SetText(strconv.Itoa(p))
	cfg.Port = p
	b.launch(cfg)
}

// explainTaken finds who holds port, off the UI goroutine, and offers
// the next free port, or ending the holder.
func (b *startBar) explainTaken(cfg serve.Config, port int) {
	proto := netinfo.Proto(cfg.Kind.Network())
	if own := b.v.mgr.Listening(cfg.Kind.Network(), port); own != nil {
		onUI(func() {
			choose(b.v.w, fmt.Sprintf("Port %d is in use", port),
				fmt.Sprintf("%s port %d is already used by Loopscope's own %s.", strings.ToUpper(string(proto)), port, own.Kind().Noun()),
				option{"Show it", widget.MediumImportance, func() { b.v.selectPort(uint16(port)) }},
				option{"Use the next free port", widget.HighImportance, func() { b.retryFrom(cfg, port) }})
		})
		return
	}
	var who string
	var holders []netinfo.Socket
	if snap, err := b.v.src.Snapshot(context.Background(), netinfo.AllSockets); err == nil {
		who = netinfo.PortHolders(snap.Sockets, proto, uint16(port))
		for _, s := range snap.Sockets {
			if s.Proto == proto && s.LocalPort == uint16(port) && len(s.Holders) > 0 {
				holders = append(holders, s)
			}
		}
	}
	onUI(func() {
		text := fmt.Sprintf("%s port %d is already in use", strings.ToUpper(string(proto)), port)
		if who != "" {
			text += " by " + who
		}
		text += ".\n\nUse the next free port, or end the program that holds it (Loopscope asks before it ends anything)."
		opts := []option{{"Use the next free port", widget.HighImportance, func() { b.retryFrom(cfg, port) }}}
		if len(holders) > 0 && b.v.end != nil {
			opts = append([]option{{"End it…", widget.DangerImportance, func() { b.v.end.startSockets(holders...) }}}, opts...)
		}
		choose(b.v.w, fmt.Sprintf("Port %d is in use", port), text, opts...)
	})
}
