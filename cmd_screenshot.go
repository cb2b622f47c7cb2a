package main

import (
	"errors"
	"flag"
	"fmt"
	"image"
	"image/png"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/software"
	"fyne.io/fyne/v2/test"

	"github.com/loopscope/loopscope/gui"
	"github.com/loopscope/loopscope/internal/cli"
	"github.com/loopscope/loopscope/internal/session"
	"github.com/loopscope/loopscope/netinfo"
	"github.com/loopscope/loopscope/netinfo/serve"
)

// readyTimeout bounds how long the screenshot waits for the first data.
const readyTimeout = 30 * time.Second

// screenshotArgs is a parsed screenshot command line.
type screenshotArgs struct {
	tab        string
	size       fyne.Size
	file       string
	selectPort uint16 // a port whose row to select, or 0
	serve      string // a kind of local server to start and use first, or ""
	send       bool   // also send a request from the Send a request panel
	capture    string // a capture filter: start capturing on loopback first; "" for none
	lesson     int    // a lesson to open and run first, from 1; 0 for none
	settings   bool   // open the Settings dialog last
}

// setupScreenshot: open the real window, wait until it shows real data,
// write a PNG of it and exit.
func setupScreenshot(fs *flag.FlagSet) cli.Run {
	parse := screenshotFlags(fs)
	return func(inv *cli.Invocation) error {
		sa, err := parse(inv.Args[0])
		if err != nil {
			return err
		}
		return takeScreenshot(sa, inv.Stdout)
	}
}

// screenshotFlags declares the screenshot flags and returns the function
// that checks them, with the file name, once parsed.
func screenshotFlags(fs *flag.FlagSet) func(file string) (screenshotArgs, error) {
	tab := fs.String("tab", "Ports", "the tab to show")
	size := fs.String("size", "1180x720", "the window size, WxH")
	sel := fs.String("select", "", "select the row of this port")
	kind := fs.String("serve", "", "start a local server of this kind and make a few requests to it first")
	send := fs.Bool("send", false, "with --serve, also send a request from the Send a request panel")
	capture := fs.String("capture", "", "start capturing on loopback with this filter first (before --serve)")
	lesson := fs.Int("lesson", 0, "open the Learn tab on lesson N and run its steps first")
	settings := fs.Bool("settings", false, "open the Settings dialog over the tab")
	return func(file string) (screenshotArgs, error) {
		if !strings.HasSuffix(strings.ToLower(file), ".png") {
			return screenshotArgs{}, cli.Usagef("screenshot: %q does not end in .png", file)
		}
		if !validTab(*tab) {
			return screenshotArgs{}, cli.Usagef("screenshot: no tab called %q; the tabs are %s", *tab, strings.Join(gui.TabNames(), ", "))
		}
		w, h, ok := parseSize(*size)
		if !ok || w < 320 || h < 240 || w > 7680 || h > 4320 {
			return screenshotArgs{}, cli.Usagef("screenshot: bad --size %q; give WxH between 320x240 and 7680x4320, e.g. 1180x720", *size)
		}
		sa := screenshotArgs{tab: *tab, size: fyne.NewSize(float32(w), float32(h)), file: file, serve: *kind, send: *send, capture: *capture, lesson: *lesson, settings: *settings}
		if n := len(gui.LessonTitles()); sa.lesson < 0 || sa.lesson > n {
			return screenshotArgs{}, cli.Usagef("screenshot: bad --lesson %d; give a lesson from 1 to %d", sa.lesson, n)
		}
		if sa.lesson > 0 {
			sa.tab = "Learn"
		}
		if sa.serve != "" {
			for _, k := range strings.Split(sa.serve, ",") {
				if _, err := serve.ParseKind(k); err != nil {
					return screenshotArgs{}, cli.Usagef("screenshot: --serve: %v", err)
				}
			}
		} else if sa.send {
			return screenshotArgs{}, cli.Usagef("screenshot: --send needs --serve KIND: a server to send the request to")
		}
		if *sel != "" {
			p, err := strconv.ParseUint(*sel, 10, 16)
			if err != nil || p == 0 {
				return screenshotArgs{}, cli.Usagef("screenshot: bad --select %q; give a port number from 1 to 65535", *sel)
			}
			sa.selectPort = uint16(p)
		}
		return sa, nil
	}
}

// parseScreenshotArgs parses a screenshot command line the way the table
// does, without taking the screenshot.
func parseScreenshotArgs(args []string) (sa screenshotArgs, err error) {
	t := &cli.Table{Program: "loopscope", Commands: []cli.Command{{
		Name: "screenshot", Args: []string{"FILE.png"},
		Setup: func(fs *flag.FlagSet) cli.Run {
			parse := screenshotFlags(fs)
			return func(inv *cli.Invocation) error {
				sa, err = parse(inv.Args[0])
				return err
			}
		},
	}}}
	err = t.Dispatch(append([]string{"screenshot"}, args...), io.Discard, io.Discard)
	return sa, err
}

// takeScreenshot writes the PNG and says so.
func takeScreenshot(sa screenshotArgs, stdout io.Writer) error {
	if runtime.GOOS == "linux" && os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		return errors.New("screenshot: needs a display, and neither DISPLAY nor WAYLAND_DISPLAY is set; run it under 'xvfb-run -a'")
	}
	// Open the file first, so a bad path fails before the window opens.
	f, err := os.Create(sa.file)
	if err != nil {
		return fmt.Errorf("screenshot: %w", err)
	}
	// A watchdog: should the window's event loop ever stall, say so and
	// exit rather than wait forever.
	watchdog := time.AfterFunc(readyTimeout+30*time.Second, func() {
		os.Remove(sa.file)
		fmt.Fprintf(os.Stderr, "loopscope: screenshot: the window did not finish within %s; giving up\n", readyTimeout+30*time.Second)
		os.Exit(1)
	})
	img, err := captureWindow(sa)
	watchdog.Stop()
	if err == nil {
		err = writePNG(f, img)
	}
	if cerr := f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("screenshot: write %s: %w", sa.file, cerr)
	}
	if err != nil {
		os.Remove(sa.file)
		return err
	}
	b := img.Bounds()
	fmt.Fprintf(stdout, "wrote %s (%dx%d, tab %s)\n", sa.file, b.Dx(), b.Dy(), sa.tab)
	return nil
}

// parseSize parses "WxH" (or "WXH") into two whole numbers.
func parseSize(s string) (w, h int, ok bool) {
	ws, hs, found := strings.Cut(strings.ToLower(s), "x")
	w, errW := strconv.Atoi(ws)
	h, errH := strconv.Atoi(hs)
	return w, h, found && errW == nil && errH == nil
}

// captureWindow runs the app until the window has real data, then grabs it.
func captureWindow(sa screenshotArgs) (image.Image, error) {
	// Its own app ID, so that a screenshot never rewrites the preferences
	// file of a window the user has open.
	a := newApp(appID + ".screenshot")
	w := a.NewWindow("Loopscope")
	ui := gui.New(a, w, netinfo.NewScanner(), gui.Options{Session: session.Probe()})
	if err := ui.SelectTab(sa.tab); err != nil {
		return nil, cli.Usagef("screenshot: %v", err)
	}
	w.Resize(sa.size)
	var img image.Image
	var err error
	go func() {
		defer fyne.Do(a.Quit)
		select {
		case <-ui.Ready():
		case <-time.After(readyTimeout):
			err = fmt.Errorf("screenshot: the window showed no data within %s", readyTimeout)
			return
		}
		if sa.capture != "" {
			if err = ui.StartCapture(sa.capture); err != nil {
				err = fmt.Errorf("screenshot: --capture: %w", err)
				return
			}
		}
		if sa.serve != "" {
			if err = showServing(ui, sa); err != nil {
				return
			}
		}
		if sa.capture != "" {
			if err = ui.WaitPackets(1); err != nil {
				err = errors.New("screenshot: --capture: no packet came")
				return
			}
			time.Sleep(300 * time.Millisecond) // the last batch of the requests
		}
		if sa.lesson > 0 {
			if err = ui.RunLesson(sa.lesson); err != nil {
				err = fmt.Errorf("screenshot: --lesson: %w", err)
				return
			}
		}
		if sa.selectPort != 0 {
			fyne.DoAndWait(func() {
				if !ui.SelectPort(sa.selectPort) {
					err = fmt.Errorf("screenshot: nothing listens on port %d", sa.selectPort)
				}
			})
			if err != nil {
				return
			}
		}
		if sa.settings {
			fyne.DoAndWait(ui.ShowSettings)
		}
		time.Sleep(500 * time.Millisecond) // let the frame with the data reach the screen
		fyne.DoAndWait(func() { img = grab(w) })
	}()
	ui.Start()
	w.ShowAndRun()
	ui.Stop()
	if err == nil && img == nil {
		err = errors.New("screenshot: the window closed before it could be captured")
	}
	return img, err
}

// showServing starts the servers --serve asks for (KIND or KIND,KIND…),
// in the window, in order; the last stays selected, and --send sends to
// it. A file server serves the current folder.
func showServing(ui *gui.UI, sa screenshotArgs) error {
	dir, err := os.Getwd()
	if err != nil {
		return fmt.Errorf("screenshot: %w", err)
	}
	kinds := strings.Split(sa.serve, ",")
	for i, k := range kinds {
		kind, _ := serve.ParseKind(k)
		if err := ui.ShowServing(kind, dir, sa.send && i == len(kinds)-1); err != nil {
			return fmt.Errorf("screenshot: --serve %s: %w", k, err)
		}
	}
	return nil
}

// grab captures the window's frame. Where the GL driver cannot read its
// front buffer back (Mesa under Xvfb returns only zeros), it renders the
// same canvas objects, at the same size, with Fyne's software painter.
func grab(w fyne.Window) image.Image {
	if img := w.Canvas().Capture(); img != nil && !blank(img) {
		return img
	}
	content := w.Content()
	c := software.NewCanvas()
	c.SetContent(content)
	c.Resize(w.Canvas().Size())
	clampNegativeSizes(content) // after the layout, which may size them
	// A dialog (--settings) is drawn over it; the app quits next.
	for _, o := range w.Canvas().Overlays().List() {
		c.Overlays().Add(o)
	}
	img := c.Capture()
	w.SetContent(content)
	return img
}

// blank reports whether every pixel of img is fully transparent.
func blank(img image.Image) bool {
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 7 {
		for x := b.Min.X; x < b.Max.X; x += 7 {
			if _, _, _, a := img.At(x, y).RGBA(); a != 0 {
				return false
			}
		}
	}
	return true
}

func writePNG(f *os.File, img image.Image) error {
	if err := png.Encode(f, img); err != nil {
		return fmt.Errorf("screenshot: write %s: %w", f.Name(), err)
	}
	return nil
}

// clampNegativeSizes gives a zero size to every rectangle laid out with a
// negative one. Fyne's table can size its hover and focus markers
// negatively when their row sits under the header; the GL painter draws
// nothing for them, but the software painter panics. Zero draws nothing
// too, so the picture is what the window shows.
func clampNegativeSizes(o fyne.CanvasObject) {
	switch x := o.(type) {
	case *canvas.Rectangle:
		if s := x.Size(); s.Width < 0 || s.Height < 0 {
			x.Resize(fyne.NewSize(max(s.Width, 0), max(s.Height, 0)))
		}
	case *fyne.Container:
		for _, c := range x.Objects {
			clampNegativeSizes(c)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(x).Objects() {
			clampNegativeSizes(c)
		}
	}
}
