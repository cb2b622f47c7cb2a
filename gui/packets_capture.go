package gui

import (
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/gopacket/gopacket/layers"

	"github.com/loopscope/loopscope/internal/shellquote"
	"github.com/loopscope/loopscope/sniff"
)

// captureBar starts and stops captures: the interface, the capture
// filter (checked as it is typed), Start/Stop, Open and Save, and — when
// this user may not capture — a banner that says why and what to do.
type captureBar struct {
	v       *packetsView
	iface   *safeSelect
	names   map[string]string // shown option → interface name
	filter  *filterEntry
	reason  *widget.Label
	start   *widget.Button
	open    *widget.Button
	saveBtn *widget.Button
	row     *captureRow // lays out the picker, the filter and the buttons
	banner  *fyne.Container
	bannerL *widget.Label
	adminB  *widget.Button
	copyB   *widget.Button
	obj     fyne.CanvasObject

	running   bool
	live      *sniff.Session // the live capture shown, nil for a file
	unsaved   bool           // the packets shown came from a capture, not a file
	savedNo   uint64         // the newest packet a save of all held wrote (0: none); those after are not saved
	savedSome int            // how many the last save of only the packets shown wrote (0: none)
	want      string         // an interface to choose once the list is known (Watch traffic)
	helper    string         // the capture helper's path; "" when not found
	denied    bool           // capturing needs rights this user lacks
	library   error          // why this system cannot capture at all (Windows without Npcap); nil when it can
	memory    captureMemory  // the collector's headroom while capturing
}

func newCaptureBar(v *packetsView) *captureBar {
	b := &captureBar{v: v, names: map[string]string{}}
	b.iface = newSelect(nil, nil)
	b.iface.PlaceHolder = "Interface"
	// A filterEntry: Ctrl+F, Ctrl+1…9 and Ctrl+Tab still reach the window
	// while it has the keyboard.
	b.filter = newFilterEntry("Capture filter, like: tcp port 8080   (empty: every packet)", v.shortcut, func(string) { b.checkFilter() }).
		orShorter("Capture filter, like: tcp port 8080", "Capture filter")
	b.filter.OnSubmitted = func(string) {
		if !b.running {
			b.startOrStop()
		}
	}
	b.reason = widget.NewLabel("")
	b.reason.Importance = widget.DangerImportance
	b.reason.Truncation = fyne.TextTruncateEllipsis
	b.reason.Hide()
	b.start = widget.NewButtonWithIcon("Start", theme.MediaPlayIcon(), b.startOrStop)
	b.start.Importance = widget.HighImportance
	b.open = widget.NewButtonWithIcon("Open…", theme.FolderOpenIcon(), b.openFile)
	b.saveBtn = widget.NewButtonWithIcon("Save…", theme.DocumentSaveIcon(), func() { b.save(nil) })
	b.bannerL = widget.NewLabel("")
	b.bannerL.Wrapping = fyne.TextWrapWord
	b.adminB = widget.NewButtonWithIcon("Capture with administrator rights", theme.WarningIcon(), func() { b.launch(true) })
	b.copyB = widget.NewButtonWithIcon("Copy the setcap command", theme.ContentCopyIcon(), func() {
		v.copy(b.setcapCommand())
		b.copyB.SetText("Copied: paste it into a terminal")
		b.copyB.SetIcon(theme.ConfirmIcon())
	})
	openB := widget.NewButtonWithIcon("Open a capture file", theme.FolderOpenIcon(), b.openFile)
	b.banner = container.NewVBox(b.bannerL, container.NewHBox(b.adminB, b.copyB, openB))
	b.banner.Hide()
	b.row = &captureRow{}
	row := container.New(b.row, b.iface, b.filter, container.NewHBox(b.start, b.open, b.saveBtn))
	b.obj = container.NewVBox(row, b.reason, b.banner)
	return b
}

func (b *captureBar) object() fyne.CanvasObject { return b.obj }

// prepare lists the interfaces and learns whether capturing is allowed,
// off the UI goroutine, once.
func (b *captureBar) prepare() {
	ifs, ierr := sniff.Interfaces()
	helper, herr := sniff.FindHelper()
	loopback, library := sniff.CaptureReady()
	denied := library != nil
	if denied {
		// Nothing can capture here until the library is installed.
	} else if herr == nil {
		if h, err := sniff.StartHelper(nil, helper, sniff.LiveConfig{Interface: sniff.LoopbackName(), Filter: "less 1"}); err == nil {
			h.Stop()
		} else {
			denied = errors.Is(err, sniff.ErrPermission)
		}
	} else if l, err := sniff.OpenLive(sniff.LiveConfig{Interface: sniff.LoopbackName(), Filter: "less 1"}); err == nil {
		l.Close()
	} else {
		denied = true
	}
	onUI(func() {
		if herr == nil {
			b.helper = helper
		}
		b.library = library
		if library == nil {
			b.setInterfaces(ifs, ierr)
		}
		if library == nil && !loopback { // Npcap without its loopback adapter
			setText(b.reason, "Npcap was installed without loopback support: to capture between programs on this machine, run its installer again and tick \"Support loopback traffic\".")
			b.reason.Show()
		}
		b.setDenied(denied)
	})
}

func (b *captureBar) setInterfaces(ifs []sniff.Interface, err error) {
	if err != nil {
		showError(b.v.w, fmt.Errorf("Loopscope could not list the network interfaces (%w); you can still open a capture file", err))
		return
	}
	var opts []string
	for _, i := range ifs {
		label := i.Name
		switch {
		case i.Loopback:
			label += " — loopback (this machine only)"
		case i.Description != "":
			label += " — " + safe(i.Description)
		}
		if !i.Up && i.Name != "any" {
			label += " (down)"
		}
		b.names[label] = i.Name
		opts = append(opts, label)
	}
	b.iface.SetOptions(opts)
	b.row.full = 0
	for _, o := range opts { // room for the longest name, arrow and padding, when the bar has it
		b.row.full = max(b.row.full, fyne.MeasureText(o, theme.TextSize(), fyne.TextStyle{}).Width+
			2*theme.InnerPadding()+theme.IconInlineSize()+2*theme.Padding())
	}
	if b.iface.Selected == "" && len(opts) > 0 {
		b.iface.SetSelected(opts[0]) // loopback comes first
	}
	b.chooseWanted()
}

// chooseWanted selects the interface Watch traffic asked for, once the
// list has it.
func (b *captureBar) chooseWanted() {
	for label, name := range b.names {
		if name == b.want {
			b.iface.SetSelected(label)
			b.want = ""
		}
	}
}

// setDenied shows the banner when this user may not capture.
func (b *captureBar) setDenied(denied bool) {
	b.denied = denied
	if !denied {
		b.banner.Hide()
		return
	}
	text := "Capturing packets needs the right to read network interfaces, which this user does not have. "
	show(b.copyB, runtime.GOOS == "linux") // setcap is Linux's
	switch {
	case b.library != nil:
		text = "This system cannot capture packets yet: " + b.library.Error()
		b.adminB.Hide()
		b.copyB.Hide()
	case b.helper == "":
		text += "Loopscope's capture helper, loopscope-capture, which comes with it, is not in the same folder as loopscope " +
			"(make install puts it there): put it there and give it that right, or open a capture file."
		b.adminB.Hide()
		b.copyB.Hide() // a setcap line needs the helper's path
	case runtime.GOOS == "darwin":
		text += "Start the capture helper with administrator rights (macOS asks for your password each time; the window itself never runs as administrator), give your user read access to /dev/bpf* (what Wireshark's ChmodBPF does), or open a capture file."
		show(b.adminB, sniff.AdminScript() != nil)
	case sniff.AdminLauncher() == nil:
		text += "Give the capture helper that right once with the setcap command (a rebuild drops it), or open a capture file."
		b.adminB.Hide()
	default:
		text += "Start the capture helper with administrator rights (your password is asked each time; the window itself never runs as administrator), give it that right once with the setcap command, or open a capture file."
		b.adminB.Show()
	}
	setText(b.bannerL, text)
	b.banner.Show()
}

func (b *captureBar) setcapCommand() string {
	path := b.helper
	if path == "" {
		path = "PATH/TO/loopscope-capture"
	}
	return "sudo setcap cap_net_raw,cap_net_admin+eip " + shellquote.Word(path)
}

// checkFilter compiles the capture filter as it is typed.
func (b *captureBar) checkFilter() bool {
	why := sniff.CheckFilter(b.filter.Text)
	setText(b.reason, "Capture filter: "+safeLong(why))
	show(b.reason, why != "")
	if !b.running {
		enable(b.start, why == "") // Start is Stop while capturing: never off then
	}
	return why == ""
}

func (b *captureBar) config() sniff.LiveConfig {
	return sniff.LiveConfig{Interface: b.names[b.iface.Selected], Filter: strings.TrimSpace(b.filter.Text)}
}

func (b *captureBar) startOrStop() {
	if b.running {
		b.stop()
		return
	}
	b.unlessUnsaved("Start a new capture in place of this one?", "the new capture", "Start without saving", b.startPressed)
}

func (b *captureBar) startPressed() {
	if b.iface.Selected == "" {
		inform(b.v.w, "Which interface?", "Choose the interface to capture on: loopback (lo) for traffic between programs on this machine.")
		return
	}
	if !b.checkFilter() {
		return
	}
	b.launch(false)
}

// launch starts a capture off the UI goroutine: through the helper, with
// administrator rights when admin is set; without a helper, in this
// process when it may already capture.
func (b *captureBar) launch(admin bool) {
	cfg := b.config()
	b.start.Disable()
	b.setState("Starting on " + cfg.Interface + "…")
	go func() {
		src, err := b.openSource(cfg, admin)
		onUI(func() {
			b.start.Enable()
			if err != nil {
				b.setState("Not capturing")
				b.failed(err)
				return
			}
			b.setDenied(false)
			b.running = true
			// The boxes say what is captured: they wait until it stops,
			// as Wireshark's do.
			b.iface.Disable()
			b.filter.Disable()
			b.start.SetText("Stop")
			b.start.SetIcon(theme.MediaStopIcon())
			b.start.Importance = widget.DangerImportance
			b.start.Refresh()
			b.setState("Capturing on " + cfg.Interface)
			b.memory.start()
			b.live = sniff.StartSession(src, sniff.Ring{Max: b.v.prefs.ring()})
			b.unsaved, b.savedNo, b.savedSome = true, 0, 0
			b.v.use(b.live)
		})
	}()
}

func (b *captureBar) openSource(cfg sniff.LiveConfig, admin bool) (sniff.Source, error) {
	if b.helper != "" {
		if script := sniff.AdminScript(); admin && script != nil {
			return sniff.StartHelperDetached(script, b.helper, cfg) // macOS: the prompt cannot keep pipes
		}
		var launcher []string
		if admin {
			launcher = sniff.AdminLauncher()
		}
		return sniff.StartHelper(launcher, b.helper, cfg)
	}
	return sniff.OpenLive(cfg)
}

// failed says why a capture did not start, and what to do.
func (b *captureBar) failed(err error) {
	switch {
	case errors.Is(err, sniff.ErrPermission):
		b.setDenied(true)
		inform(b.v.w, "Not allowed to capture", capitalize(safeLong(err.Error()))+".\n\n"+b.bannerL.Text)
	case errors.Is(err, sniff.ErrFilter):
		setText(b.reason, safeLong(err.Error()))
		b.reason.Show()
	default:
		showError(b.v.w, err)
	}
}

func (b *captureBar) setState(s string) {
	b.v.state = s
	b.v.updateStatus()
}

// stop ends the capture; the packets stay. then, if not nil, runs once
// it has ended.
func (b *captureBar) stop(then ...func()) {
	s := b.live
	b.start.Disable()
	go func() {
		if s != nil {
			s.Stop()
		}
		onUI(func() {
			b.ended(nil)
			for _, f := range then {
				f()
			}
		})
	}()
}

// ended shows that the capture ended, and why when it was not the user.
func (b *captureBar) ended(err error) {
	if !b.running {
		return
	}
	b.running = false
	b.iface.Enable()
	b.filter.Enable()
	b.memory.stop()
	b.start.Enable()
	b.start.SetText("Start")
	b.start.SetIcon(theme.MediaPlayIcon())
	b.start.Importance = widget.HighImportance
	b.start.Refresh()
	b.setState("Stopped")
	if err != nil {
		showError(b.v.w, fmt.Errorf("The capture stopped: %w", err))
	}
}

// openFile reads a .pcap or .pcapng file into the view, in place of the
// capture; packets captured and not saved are not dropped without asking.
func (b *captureBar) openFile() {
	b.unlessUnsaved("Open a file in place of this capture?", "the file", "Open without saving", b.pickFile)
}

// unlessUnsaved does next, after asking first when captured packets that
// next would replace (with what) have not been saved.
func (b *captureBar) unlessUnsaved(question, what, anyway string, next func()) {
	st := b.v.stats
	if s := b.v.session.Load(); s != nil && s == b.live {
		st = s.Stats() // the last batch's may be a moment old
	}
	// Packets are numbered from 1 as they come: the newest is Captured.
	if b.unsaved && st.Held > 0 && st.Captured > b.savedNo {
		which := "The " + grouped(st.Held) + " packets captured have"
		switch {
		case b.savedNo > 0:
			which = grouped(min(uint64(st.Held), st.Captured-b.savedNo)) + " packets captured since the last save have"
		case st.Left > 0: // the ring kept only the newest: those are what Save writes
			which = fmt.Sprintf("The newest %s packets of the %s captured have", grouped(st.Held), grouped(st.Captured))
		}
		msg := fmt.Sprintf("%s not been saved; %s takes their place.", which, what)
		if b.savedNo == 0 && b.savedSome > 0 {
			msg = fmt.Sprintf("%s not all been saved: the last save wrote only the %s the display filter showed. %s takes their place.",
				which, grouped(b.savedSome), capitalize(what))
		}
		choose(b.v.w, question, msg,
			option{"Save them first…", widget.MediumImportance, func() { b.save(next) }},
			option{anyway, widget.DangerImportance, next})
		return
	}
	next()
}

func (b *captureBar) pickFile() {
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil || rc == nil {
			return
		}
		path := rc.URI().Path()
		rc.Close()
		b.openPath(path)
	}, b.v.w)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".pcap", ".pcapng", ".cap"}))
	d.Show()
}

// openPath opens the capture file at path.
func (b *captureBar) openPath(path string) {
	if b.running {
		b.stop()
		b.ended(nil) // now: the file is what shows, and its end is not the capture's
	}
	b.live = nil
	go func() {
		r, err := sniff.OpenFile(path)
		onUI(func() {
			if err != nil {
				showError(b.v.w, fmt.Errorf("Could not open it: %w", err)) // the error names the file
				return
			}
			b.setState("File " + safe(filepath.Base(path)))
			b.unsaved = false
			b.v.use(sniff.StartSession(sniff.NewFileSource(r), sniff.Ring{}))
			go b.reportDamage(path)
		})
	}()
}

// reportDamage waits for a file's session and says where a damaged file
// stopped: the packets before it show.
func (b *captureBar) reportDamage(path string) {
	s := b.v.session.Load()
	if s == nil {
		return
	}
	<-s.Done()
	if st := s.Stats(); st.Err != nil {
		onUI(func() {
			inform(b.v.w, "Part of the file was read", capitalize(safeLong(st.Err.Error()))+".")
		})
	}
}

// save writes the packets held to a .pcap file that tcpdump and Wireshark
// read; then, when not nil, is what the user asked for before (Start,
// Open): it goes on once they are saved.
func (b *captureBar) save(then func()) {
	s := b.v.session.Load()
	if s == nil {
		inform(b.v.w, "Nothing to save", "Capture some packets, or open a file, first.")
		return
	}
	all, newest := s.Packets()
	if len(all) == 0 {
		inform(b.v.w, "Nothing to save", "No packets were captured yet.")
		return
	}
	t := b.v.table
	if len(t.rows) == 0 || len(t.rows) >= len(t.all) {
		b.saveAs(all, newest, then)
		return
	}
	shown := make([]sniff.Record, len(t.rows))
	for i, r := range t.rows {
		shown[i] = r.e.Record()
	}
	choose(b.v.w, "Save which packets?",
		fmt.Sprintf("The display filter shows %s of the %s packets held.", grouped(len(shown)), grouped(len(all))),
		option{"Save the " + grouped(len(shown)) + " shown", widget.MediumImportance, func() { b.saveAs(shown, 0, then) }},
		option{"Save all " + grouped(len(all)), widget.MediumImportance, func() { b.saveAs(all, newest, then) }})
}

// saveAs asks where, and saves packets there; newest is the newest
// packet's number when they are every packet held (those up to it are
// then saved), else 0. then, if not nil, runs once they are saved.
func (b *captureBar) saveAs(packets []sniff.Record, newest uint64, then func()) {
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil || wc == nil {
			return
		}
		path := wc.URI().Path()
		wc.Close()
		go func() {
			err := sniff.SaveFile(path, layers.LinkType(packets[0].Link), packets)
			onUI(func() {
				if err != nil {
					showError(b.v.w, fmt.Errorf("Could not save %s: %w", safeLong(filepath.Base(path)), err))
					return
				}
				b.savedNo = max(b.savedNo, newest)
				if newest == 0 {
					b.savedSome = len(packets)
				}
				inform(b.v.w, "Saved", fmt.Sprintf("%s packets saved to %s. tcpdump -r and Wireshark open it.", grouped(len(packets)), safeLong(path)))
				if then != nil {
					then()
				}
			})
		}()
	}, b.v.w)
	d.SetFileName(sanitizeFileName("loopscope-"+b.names[b.iface.Selected]) + ".pcap")
	d.Show()
}

// watch captures port's traffic: on loopback for a port that listens
// only on this machine, on every interface otherwise, with the port's
// filter. Whoever asks to watch a port wants to see its traffic: the
// capture starts, in place of one running after the question its unsaved
// packets get (the boxes change only once the user goes ahead). Where
// this user may not capture, the banner says what to do; before the
// interfaces are known, Start waits for the user.
func (b *captureBar) watch(port uint16, loopback bool) {
	want := "any"
	if loopback {
		want = "lo"
		if runtime.GOOS == "darwin" {
			want = "lo0"
		}
	}
	fill := func() {
		b.want = want
		b.chooseWanted()
		b.filter.SetText("port " + strconv.Itoa(int(port)))
	}
	if !b.running {
		fill() // a stopped capture's boxes are the user's to change
	}
	if b.denied || b.iface.Selected == "" || b.library != nil {
		return // for the user to start
	}
	b.unlessUnsaved(fmt.Sprintf("Watch port %d in place of this capture?", port), "the new capture", "Watch without saving", func() {
		if b.running {
			b.stop(func() { fill(); b.startPressed() })
			return
		}
		b.startPressed() // filled in above
	})
}

// captureRow lays out the capture bar's row: the interface picker, the
// filter, the buttons. The picker shows its interface's whole name when
// the row has room (a fifth of it), and 230 px at least; the filter takes
// the rest.
type captureRow struct {
	full float32 // the longest interface name's width in the picker; 0 before they are known
}

func (l *captureRow) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	iface, filter, buttons := objects[0], objects[1], objects[2]
	pad := theme.Padding()
	bw := buttons.MinSize().Width
	iw := max(230, min(l.full, size.Width/5))
	place(iface, fyne.Position{}, fyne.NewSize(iw, size.Height))
	place(filter, fyne.NewPos(iw+pad, 0), fyne.NewSize(max(0, size.Width-iw-bw-2*pad), size.Height))
	place(buttons, fyne.NewPos(size.Width-bw, 0), fyne.NewSize(bw, size.Height))
}

func (l *captureRow) MinSize(objects []fyne.CanvasObject) fyne.Size {
	h := max(objects[0].MinSize().Height, objects[1].MinSize().Height, objects[2].MinSize().Height)
	return fyne.NewSize(230+objects[1].MinSize().Width+objects[2].MinSize().Width+2*theme.Padding(), h)
}
