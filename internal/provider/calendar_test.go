package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/clock"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
)

// demoBudget is the budget `make demo` plans the budget-check example with
// (DEMO_BUDGET in the GNUmakefile).
const demoBudget = 150000000

// demoWarnings are the checks of the budget-check example that warn in
// `make demo`: the emulated account's month always starts with a fee of
// more than the budget at 00:00 on the 1st (past the budget alone), and
// every month costs 30% more than the one before (see
// internal/emulator/story.go). The forecast's low end is never below the
// spend so far, so once the fee is billed the whole interval is over the
// budget: budget_surely_exceeded and budget_possibly_exceeded warn from the
// 1st at 00:00 on. The fee is a recurring charge (billed on the 1st of the
// months before, within a factor of 2): no_spend_spikes never warns on it.
// See demoWarningsAt for the days some of these stay quiet.
var demoWarnings = []string{"budget_possibly_exceeded", "budget_surely_exceeded", "forecast_within_budget",
	"month_over_month_rise", "spend_within_budget"}

// demoWarningsAt is demoWarnings at now in the provider's time zone loc.
// month_over_month_rise compares usage, the recurring fee left out of both
// sides: on the 1st no day of the month is complete, so month_to_date's
// comparison compares no day and it honestly does not warn; on the 2nd it
// compares the 1st's usage with the same weekday a week before, 30% more
// of a day of about 600,000 VND, under min_rise_amount (1,000,000 VND).
// On the calendar's later moments (the 15th and after), the month's days
// at a level 30% above the weeks before pass both max_rise_percent and
// min_rise_amount. (Between the 3rd and the 14th the rise passes
// min_rise_amount on a day that depends on the weekdays; the calendar
// plans none of them.)
//
// The interval's checks stay quiet while the emulator's date (+07:00) is
// already in the next month (the last day of a month in a zone behind it,
// e.g. the 31st at 12:00 in -10:00): the emulator lays its amounts out
// around the month of its own clock, so the month read is at last month's
// level, its fee 180M / 1.3 ≈ 138.5M, and the whole month comes to about
// the budget, its interval under it.
func demoWarningsAt(now time.Time, loc *time.Location) []string {
	quiet := map[string]bool{}
	if now.In(loc).Day() <= 2 {
		quiet["month_over_month_rise"] = true
	}
	if now.In(emulator.APITimeZone).Month() != now.In(loc).Month() {
		quiet["budget_surely_exceeded"], quiet["budget_possibly_exceeded"] = true, true
	}
	return slices.DeleteFunc(slices.Clone(demoWarnings), func(c string) bool { return quiet[c] })
}

// TestAccCLIBudgetExample_calendar plans the budget-check example, as `make
// demo` does, against an emulator and a provider whose clocks are pinned at
// the awkward moments of the calendar, in time zones on both sides of UTC:
// each plan must warn from the documented checks (demoWarningsAt: all five
// but month_over_month_rise on the 1st and 2nd, first_just_after_midnight,
// first_late, second and new_year in every zone) and read the month of its
// own day.
func TestAccCLIBudgetExample_calendar(t *testing.T) {
	t.Parallel()
	example := budgetExampleConfig(t)
	moments := []struct {
		name       string
		y          int
		m          time.Month
		d, hh, min int
	}{
		{"first_just_after_midnight", 2026, time.December, 1, 0, 30},
		{"first_late", 2026, time.December, 1, 23, 30},
		{"second", 2026, time.December, 2, 13, 1},
		{"fifteenth", 2026, time.December, 15, 12, 0},
		{"february_28th_leap_year", 2028, time.February, 28, 12, 0},
		{"february_29th", 2028, time.February, 29, 12, 0},
		{"thirtieth", 2026, time.November, 30, 12, 0},
		{"thirty_first", 2026, time.December, 31, 12, 0},
		{"new_years_eve", 2026, time.December, 31, 23, 59},
		{"new_year", 2027, time.January, 1, 0, 1},
	}
	zones := []string{"+07:00", "UTC", "-10:00"}
	for _, m := range moments {
		for _, zone := range zones {
			t.Run(m.name+"_"+strings.NewReplacer("+", "plus", "-", "minus", ":", "").Replace(zone), func(t *testing.T) {
				t.Parallel()
				loc, err := billing.ParseTimeZone(zone)
				if err != nil {
					t.Fatal(err)
				}
				now := time.Date(m.y, m.m, m.d, m.hh, m.min, 0, 0, loc)
				env := newTestEnv(t, emulator.Config{Now: func() time.Time { return now }})
				env.Clock = clock.Fixed(now)
				warned := &checkStatuses{}
				accTest(t, resource.TestCase{
					ProtoV6ProviderFactories: env.factories(),
					Steps: []resource.TestStep{{
						Config:          env.providerBlock(fmt.Sprintf("time_zone = %q", zone)) + example,
						ConfigVariables: config.Variables{"monthly_budget": config.IntegerVariable(demoBudget)},
						// Terraform reads a check's scoped data source in every plan.
						ExpectNonEmptyPlan: true,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							warned,
						}},
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue("data.fptcloud_bills.month", tfjsonpath.New("from"),
								knownvalue.StringExact(time.Date(m.y, m.m, 1, 0, 0, 0, 0, loc).Format(time.DateOnly))),
							statecheck.ExpectKnownValue("data.fptcloud_bills.month", tfjsonpath.New("to"),
								knownvalue.StringExact(now.Format(time.DateOnly))),
						},
					}},
				})
				if want := demoWarningsAt(now, loc); !slices.Equal(warned.failed, want) {
					t.Errorf("at %s the plan warned from %v, want %v", now.Format(time.RFC3339), warned.failed, want)
				}
			})
		}
	}
}

// budgetExampleConfig is the budget-check example's configuration without
// its terraform block (the tests serve the provider under their own
// address) or provider block (the tests configure their own).
func budgetExampleConfig(t *testing.T) string {
	t.Helper()
	dir := filepath.Join("..", "..", "examples", "budget-check")
	var b strings.Builder
	for _, name := range []string{"main.tf", "variables.tf", "outputs.tf", "account.tf"} {
		text, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		b.Write(text)
		b.WriteByte('\n')
	}
	return b.String()
}

// checkStatuses is a plan check that records the check blocks whose
// assertions failed (warned) in the plan, sorted by name.
type checkStatuses struct{ failed []string }

func (c *checkStatuses) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	c.failed = nil
	if req.Plan == nil || len(req.Plan.Checks) == 0 {
		resp.Error = fmt.Errorf("the plan has no check results")
		return
	}
	for _, check := range req.Plan.Checks {
		if check.Address.Kind != tfjson.CheckKindCheckBlock {
			continue
		}
		switch check.Status {
		case tfjson.CheckStatusFail:
			c.failed = append(c.failed, check.Address.Name)
		case tfjson.CheckStatusPass:
		default:
			resp.Error = fmt.Errorf("check %s is %s in the plan, want pass or fail", check.Address.ToDisplay, check.Status)
		}
	}
	slices.Sort(c.failed)
}
