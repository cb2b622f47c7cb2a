package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/loopscope/loopscope/internal/cli"
	"github.com/loopscope/loopscope/netinfo"
	"github.com/loopscope/loopscope/netinfo/serve"
)

// serveFlags are serve's options.
type serveFlags struct {
	dir, routes, bind, cors *string
	port                    *string
	expose, hidden, yes     *bool
}

// setupServe: run one local server until interrupted, printing
// "serving KIND on URL" and then one line per request.
func setupServe(fs *flag.FlagSet) cli.Run {
	f := serveFlags{
		dir:    fs.String("dir", "", "files: the folder to serve (default: the current folder)"),
		routes: fs.String("routes", "", "api: a JSON file of routes (default: a small example API)"),
		port:   fs.String("port", "", "the port (default, or 0: any free port)"),
		bind:   fs.String("bind", "", "the address to listen on (default: 127.0.0.1)"),
		cors:   fs.String("cors", "", "HTTP: origins a browser page may read the server from, comma-separated"),
		expose: fs.Bool("expose", false, "let other devices reach the server (binds every address unless --bind)"),
		hidden: fs.Bool("show-hidden", false, "files: also serve dotfiles and secrets (.git, .env, keys)"),
		yes:    fs.Bool("yes", false, "files: serve even the root, home or a drive's top folder"),
	}
	return func(inv *cli.Invocation) error {
		cfg, err := f.config(inv.Args[0])
		if err != nil {
			return err
		}
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		return serveUntil(ctx, cfg, inv.Stdout, inv.Stderr)
	}
}

// config turns the command line into a server's config; mistakes are
// usage errors (exit 2).
func (f serveFlags) config(kindName string) (serve.Config, error) {
	kind, err := serve.ParseKind(kindName)
	if err != nil {
		return serve.Config{}, cli.Usagef("serve: %v", err)
	}
	cfg := serve.Config{Kind: kind, Bind: *f.bind, Expose: *f.expose, ShowHidden: *f.hidden}
	if p := strings.TrimPrefix(strings.TrimSpace(*f.port), ":"); p != "" && p != "0" {
		n, err := netinfo.ParsePort(p)
		if err != nil {
			return cfg, cli.Usagef("serve: --port %v; leave it out for any free port", err)
		}
		cfg.Port = int(n)
	}
	switch {
	case *f.dir != "" && kind != serve.Files:
		return cfg, cli.Usagef("serve: --dir is for files, not %s", kind)
	case *f.routes != "" && kind != serve.API:
		return cfg, cli.Usagef("serve: --routes is for api, not %s", kind)
	case *f.cors != "" && !kind.HTTP():
		return cfg, cli.Usagef("serve: --cors is for the HTTP servers, not %s", kind)
	}
	for _, o := range strings.Split(*f.cors, ",") {
		if o = strings.TrimSpace(o); o != "" {
			cfg.CORSOrigins = append(cfg.CORSOrigins, o)
		}
	}
	if kind == serve.Files {
		if cfg.Dir, err = filesDir(*f.dir, *f.yes); err != nil {
			return cfg, err
		}
	}
	if *f.routes != "" {
		if cfg.Routes, err = serve.LoadRoutes(*f.routes); err != nil {
			// One line per mistake would break the one-line rule of usage
			// errors; "; " keeps every mistake readable on that line.
			return cfg, cli.Usagef("serve: %s", strings.ReplaceAll(err.Error(), "\n", "; "))
		}
	}
	if _, err := serve.New(cfg); err != nil {
		return cfg, cli.Usagef("%v", err)
	}
	return cfg, nil
}

// filesDir is the folder to serve: dir or the current folder, refused
// when serving it would share far more than meant, unless yes.
func filesDir(dir string, yes bool) (string, error) {
	if dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return "", fmt.Errorf("serve: no current folder (%w): give one with --dir", err)
		}
		dir = wd
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", cli.Usagef("serve: --dir %q: %v", dir, err)
	}
	if why, sensitive := serve.SensitiveDir(abs); sensitive && !yes {
		return "", cli.Usagef("serve: not serving %s: %s. Serve a smaller folder, or add --yes if you mean it", abs, why)
	}
	return abs, nil
}

// serveUntil runs the server until ctx is done, then stops it cleanly.
func serveUntil(ctx context.Context, cfg serve.Config, stdout, stderr io.Writer) error {
	s, err := serve.New(cfg)
	if err != nil {
		return err
	}
	if err := s.Start(); err != nil {
		return explainBind(err)
	}
	defer s.Close()
	if _, err := fmt.Fprintf(stdout, "serving %s on %s\n", cfg.Kind, s.URL()); err != nil {
		return err
	}
	for _, u := range s.LANURLs() {
		fmt.Fprintf(stderr, "reachable from other devices at %s (the firewall may block it or ask)\n", u)
	}
	if s.Exposed() {
		fmt.Fprintln(stderr, "warning: anyone on your network can reach this server")
	}
	next := uint64(0)
	for {
		select {
		case <-ctx.Done():
			s.Close()
			next = printLog(stdout, s.Log(), next)
			return nil
		case <-s.Log().Changed():
			next = printLog(stdout, s.Log(), next)
		}
		if st, err := s.State(); st == serve.Failed {
			return err
		}
	}
}

// printLog prints the entries after next, one line each, and returns the
// new next.
func printLog(w io.Writer, l *serve.Log, next uint64) uint64 {
	entries, next, missed := l.Since(next)
	if missed > 0 {
		fmt.Fprintf(w, "(%d log lines were dropped: the log keeps the newest %d)\n", missed, serve.LogSize)
	}
	for _, e := range entries {
		fmt.Fprintln(w, serve.LogLine(e))
	}
	return next
}

// explainBind names who holds a taken port.
func explainBind(err error) error {
	var be *serve.BindError
	if !errors.Is(err, serve.ErrPortInUse) || !errors.As(err, &be) {
		return err
	}
	proto := netinfo.TCP
	if be.Network == "udp" {
		proto = netinfo.UDP
	}
	snap, serr := netinfo.NewScanner().Snapshot(context.Background(), netinfo.AllSockets)
	who := ""
	if serr == nil {
		who = netinfo.PortHolders(snap.Sockets, proto, uint16(be.Port))
	}
	if who == "" {
		return err
	}
	return fmt.Errorf("%s port %d is already in use by %s: choose another port with --port, or free it with 'loopscope free %d'",
		strings.ToUpper(string(proto)), be.Port, who, be.Port)
}
