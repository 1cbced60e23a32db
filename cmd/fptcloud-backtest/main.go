// Command fptcloud-backtest replays the backtest's scenario months through
// both forecast methods and prints the table of the forecasting guide
// (`make backtest`).
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing/backtest"
)

func main() {
	step := flag.Int("day-step", 1, "forecast every n-th day of each month (1: every day)")
	seeds := flag.Int("seeds", 0, "months of noise per scenario (0: the full run's)")
	class := flag.String("class", "", "run only the scenarios whose class contains this text")
	guide := flag.String("guide", "", "run the full backtest and write its tables between the markers of this file")
	flag.Parse()
	if *guide != "" {
		if err := writeGuide(*guide); err != nil {
			fmt.Fprintln(os.Stderr, "backtest:", err)
			os.Exit(1)
		}
		return
	}
	opts := backtest.Full()
	opts.DayStep = *step
	if *seeds > 0 {
		opts.Seeds = *seeds
	}
	if *class != "" {
		for _, s := range backtest.Scenarios() {
			if strings.Contains(s.Class, *class) {
				opts.Scenarios = append(opts.Scenarios, s)
			}
		}
	}
	res, err := backtest.Run(opts)
	if err != nil {
		fmt.Fprintln(os.Stderr, "backtest:", err)
		os.Exit(1)
	}
	fmt.Print(res.Markdown())
	rate, err := backtest.FalseSpikes()
	if err != nil {
		fmt.Fprintln(os.Stderr, "backtest:", err)
		os.Exit(1)
	}
	fmt.Print("\n" + rate.Markdown())
}

// The markers of the guide's generated tables.
const (
	beginMarker = "<!-- BEGIN backtest tables: written by make generate (cmd/fptcloud-backtest -guide) -->\n"
	endMarker   = "<!-- END backtest tables -->\n"
)

// writeGuide runs backtest.Full() and puts its tables and the false-spike
// rate between the markers of the file at path.
func writeGuide(path string) error {
	text, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	begin := strings.Index(string(text), beginMarker)
	end := strings.Index(string(text), endMarker)
	if begin < 0 || end < begin {
		return fmt.Errorf("%s has no %q ... %q section", path, strings.TrimSpace(beginMarker), strings.TrimSpace(endMarker))
	}
	res, err := backtest.Run(backtest.Full())
	if err != nil {
		return err
	}
	rate, err := backtest.FalseSpikes()
	if err != nil {
		return err
	}
	out := string(text[:begin]) + beginMarker + "\n" + res.Markdown() + "\n" + rate.Markdown() + "\n" + string(text[end:])
	return os.WriteFile(path, []byte(out), 0o644)
}
