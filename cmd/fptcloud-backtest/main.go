// Command fptcloud-backtest replays the backtest's scenario months through
// both forecast methods and prints the table of the forecasting guide
// (`make backtest`).
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing/backtest"
)

func main() {
	step := flag.Int("day-step", 1, "forecast every n-th day of each month (1: every day)")
	flag.Parse()
	opts := backtest.Full()
	opts.DayStep = *step
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
