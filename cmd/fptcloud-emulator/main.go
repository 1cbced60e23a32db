// Command fptcloud-emulator serves a deterministic FPT Cloud billing API on
// a local address, for the provider's demo and for trying configurations
// without an account.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "fptcloud-emulator:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	flags := flag.NewFlagSet("fptcloud-emulator", flag.ContinueOnError)
	var cfg emulator.Config
	addr := flags.String("addr", "127.0.0.1:0", "address to listen on (port 0 picks a free port)")
	addrFile := flags.String("addr-file", "", "write the base URL to this file once listening")
	flags.StringVar(&cfg.Token, "token", "demo-token", "the only bearer token accepted")
	flags.Uint64Var(&cfg.Seed, "seed", 1, "seed of the generated data")
	flags.DurationVar(&cfg.Latency, "latency", 0, "delay added to every request, e.g. 50ms")
	flags.Float64Var(&cfg.FaultRate, "fault-rate", 0, "share of requests (0..1) that fail at random")
	faults := flags.String("faults", "", "comma-separated fault kinds drawn at random: 429,429date,502,503,504,html,reset,truncate,slow,401,403,404,500,apierror (default: the transient ones)")
	flags.StringVar(&cfg.StatusStyle, "status-style", "int", "envelope status style: int or bool")
	flags.IntVar(&cfg.LinesPerDay, "lines-per-day", 40, "bill lines generated per day")
	flags.IntVar(&cfg.Statements, "statements", 500, "resource statements generated")
	flags.BoolVar(&cfg.DeprecatedOnly, "deprecated-only", false, "serve only the deprecated per-day bills endpoint (POST paging answers 405)")
	flags.BoolVar(&cfg.IgnoreOffset, "ignore-offset", false, "the statements endpoint ignores offset (a broken API)")
	flags.IntVar(&cfg.ArriveEvery, "arrive-every", 0, "every this many requests to the bills (or statements) endpoints, a new bill line (or statement) arrives, as while a day is being billed; 0: data never moves")
	flags.IntVar(&cfg.Arrivals, "arrivals", 10, "with -arrive-every: how many bill lines and statements arrive in all; -1: they never stop")
	flags.StringVar(&cfg.ArrivalDay, "arrival-day", "", "with -arrive-every: the day (YYYY-MM-DD) new bill lines are for (default: the last day of each request's range)")
	flags.IntVar(&cfg.PagingStatus, "paging-status", 0, "the POST paging bills endpoint refuses every request with this HTTP status: 400 or 422 (a different request body), 404 or 405 (no such endpoint)")
	flags.IntVar(&cfg.RateLimit, "rate-limit", 0, "serve at most this many requests a second over all clients and answer the others 429 with Retry-After, as a rate-limited API; the refusals are counted at "+emulator.StatsPath+"; 0: no limit")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if cfg.StatusStyle != "int" && cfg.StatusStyle != "bool" {
		return fmt.Errorf("-status-style must be int or bool, not %q", cfg.StatusStyle)
	}
	if cfg.FaultRate < 0 || cfg.FaultRate > 1 {
		return fmt.Errorf("-fault-rate must be between 0 and 1, not %v", cfg.FaultRate)
	}
	if cfg.ArriveEvery < 0 {
		return fmt.Errorf("-arrive-every must be 0 or more, not %d", cfg.ArriveEvery)
	}
	if cfg.ArrivalDay != "" {
		if _, err := time.Parse(time.DateOnly, cfg.ArrivalDay); err != nil {
			return fmt.Errorf("-arrival-day must be a date (YYYY-MM-DD), not %q", cfg.ArrivalDay)
		}
	}
	if s := cfg.PagingStatus; s != 0 && (s < 400 || s > 599) {
		return fmt.Errorf("-paging-status must be an HTTP error status (400 to 599), not %d", s)
	}
	if cfg.RateLimit < 0 {
		return fmt.Errorf("-rate-limit must be 0 (no limit) or more, not %d", cfg.RateLimit)
	}
	kinds, err := emulator.ParseFaults(*faults)
	if err != nil {
		return fmt.Errorf("-faults: %w", err)
	}
	cfg.Faults = kinds

	listener, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	baseURL := "http://" + listener.Addr().String() + emulator.BasePath
	if *addrFile != "" {
		if err := os.WriteFile(*addrFile, []byte(baseURL+"\n"), 0o600); err != nil {
			return err
		}
	}
	log.Printf("serving the FPT Cloud billing API emulator at %s (seed %d)", baseURL, cfg.Seed)

	server := &http.Server{Handler: emulator.New(cfg), ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = server.Shutdown(shutdown)
	}()
	if err := server.Serve(listener); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
