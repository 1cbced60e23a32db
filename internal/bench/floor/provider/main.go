// Command provider serves the plan floor provider (package floor) for
// `make bench-plan`; it is never released. Its data are the emulator's for
// the lines a day, seed and statement count in PLANFLOOR_LINES_PER_DAY,
// PLANFLOOR_SEED and PLANFLOOR_STATEMENTS, which must match the emulator
// the real provider reads in the same run.
package main

import (
	"log"
	"os"
	"strconv"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/bench/floor"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
)

func envInt(name string) int {
	v, err := strconv.Atoi(os.Getenv(name))
	if err != nil && os.Getenv(name) != "" {
		log.Fatalf("%s=%q is not a whole number", name, os.Getenv(name))
	}
	return v
}

func main() {
	cfg := emulator.Config{
		LinesPerDay: envInt("PLANFLOOR_LINES_PER_DAY"),
		Seed:        uint64(envInt("PLANFLOOR_SEED")),
		Statements:  envInt("PLANFLOOR_STATEMENTS"),
	}
	err := tf6server.Serve("registry.terraform.io/fptcloud-billing/fptcloud", func() tfprotov6.ProviderServer {
		return floor.New(cfg)
	})
	if err != nil {
		log.Fatal(err)
	}
}
