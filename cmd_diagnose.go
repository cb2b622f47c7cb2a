package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"

	"github.com/loopscope/loopscope/internal/cli"
	"github.com/loopscope/loopscope/netinfo"
	"github.com/loopscope/loopscope/netinfo/diagnose"
)

// setupDiagnose: why can or can't a port be reached, in sentences with
// their evidence, or as JSON; exit 1 when nothing listens there.
func setupDiagnose(fs *flag.FlagSet) cli.Run {
	asJSON := fs.Bool("json", false, "print the report as one JSON object")
	return func(inv *cli.Invocation) error {
		port, err := portArg("diagnose", inv.Args[0])
		if err != nil {
			return err
		}
		r, err := diagnose.Run(context.Background(), netinfo.NewScanner(), port)
		if err != nil {
			return fmt.Errorf("diagnose: %w", err)
		}
		if *asJSON {
			enc := json.NewEncoder(inv.Stdout)
			enc.SetIndent("", "  ")
			err = enc.Encode(r)
		} else {
			err = writeDiagnosis(inv, r)
		}
		if err == nil && len(r.Listening) == 0 {
			err = cli.ErrFailedQuietly
		}
		return err
	}
}

// writeDiagnosis prints the sentences, then the fixes with their commands.
func writeDiagnosis(inv *cli.Invocation, r diagnose.Report) error {
	for _, s := range r.Sentences() {
		if _, err := fmt.Fprintln(inv.Stdout, "- "+s); err != nil {
			return err
		}
	}
	fmt.Fprintln(inv.Stdout, "\nWhat you can do:")
	for _, f := range r.Fixes {
		fmt.Fprintf(inv.Stdout, "- %s\n", f.Text)
		if f.Command != "" {
			fmt.Fprintf(inv.Stdout, "    %s\n", f.Command)
		}
	}
	return nil
}
