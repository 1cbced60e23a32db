package provider

import (
	"context"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

// teamBudgetsExampleConfig is examples/team-budgets/main.tf without its
// versions.tf (the tests serve the provider under their own address and
// configure it themselves), its module source made absolute: the tests
// plan in a directory of their own.
func teamBudgetsExampleConfig(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "examples", "team-budgets"))
	if err != nil {
		t.Fatal(err)
	}
	text, err := os.ReadFile(filepath.Join(dir, "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	const local = `source   = "./modules/team-budget"`
	if !strings.Contains(string(text), local) {
		t.Fatalf("examples/team-budgets/main.tf no longer holds %s: update the test", local)
	}
	return strings.Replace(string(text), local, fmt.Sprintf("source   = %q", filepath.Join(dir, "modules", "team-budget")), 1)
}

// moduleCheckStatuses is a plan check that records the module instances
// whose check block failed (warned) in the plan, sorted.
type moduleCheckStatuses struct {
	check  string
	failed []string
	passed []string
}

func (c *moduleCheckStatuses) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	c.failed, c.passed = nil, nil
	if req.Plan == nil {
		resp.Error = fmt.Errorf("no plan")
		return
	}
	for _, check := range req.Plan.Checks {
		if check.Address.Kind != tfjson.CheckKindCheckBlock || check.Address.Name != c.check {
			continue
		}
		for _, instance := range check.Instances {
			switch instance.Status {
			case tfjson.CheckStatusFail:
				c.failed = append(c.failed, instance.Address.Module)
			case tfjson.CheckStatusPass:
				c.passed = append(c.passed, instance.Address.Module)
			default:
				resp.Error = fmt.Errorf("check %s is %s in the plan, want pass or fail", instance.Address.ToDisplay, instance.Status)
			}
		}
	}
	slices.Sort(c.failed)
	slices.Sort(c.passed)
}

// numberBelow is a knownvalue check of a number under limit.
type numberBelow struct{ limit *big.Float }

func (c numberBelow) CheckValue(v any) error {
	n, ok := v.(interface{ String() string })
	if !ok {
		return fmt.Errorf("%T is not a number", v)
	}
	f, _, err := big.ParseFloat(n.String(), 10, 512, big.ToNearestEven)
	if err != nil {
		return err
	}
	if f.Cmp(c.limit) >= 0 {
		return fmt.Errorf("%s is not below %s", f.Text('f', 4), c.limit.Text('f', 0))
	}
	return nil
}

func (c numberBelow) String() string { return "below " + c.limit.Text('f', 0) }

// TestAccCLITeamBudgets_ownReads plans examples/team-budgets against the
// emulator on 2026-12-02, when one team's fee of 180,000,000 VND on the 1st
// is nearly all of the account's spend: the account's forecast is only
// about 6% more than its spend so far. env:staging, heading past its
// 2,000,000 VND budget by its own read, must warn; env:prod and dự-án:alpha,
// the fee's team, must not. The account's ratio applied to staging's spend,
// the recipe the example used before, stays under the budget and would
// have warned no one.
func TestAccCLITeamBudgets_ownReads(t *testing.T) {
	t.Parallel()
	env := newPinnedEnv(t, secondOfDecember)
	statuses := &moduleCheckStatuses{check: "team_within_budget"}
	outputs := &planOutputs{}
	// A configuration file, not Config: the helper's init, which installs
	// the module, sees a step's file or directory but not its Config text.
	file := filepath.Join(t.TempDir(), "main.tf")
	text := env.providerBlock(`time_zone = "+07:00"`) + teamBudgetsExampleConfig(t) + `
# The account's ratio of forecast to spend, times the team's spend so far.
data "fptcloud_bills" "account" {
  range         = "month_to_date"
  include_items = false
}

output "staging_by_the_account_ratio" {
  value = data.fptcloud_bills.team["env:staging"].total_price * data.fptcloud_bills.account.forecast_total_price / data.fptcloud_bills.account.total_price
}

output "staging_spent" {
  value = data.fptcloud_bills.team["env:staging"].total_price
}

output "staging_forecast" {
  value = data.fptcloud_bills.team["env:staging"].forecast_total_price
}

output "account_ratio" {
  value = data.fptcloud_bills.account.forecast_total_price / data.fptcloud_bills.account.total_price
}
`
	if err := os.WriteFile(file, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			// Factories on the step: the helper runs init with the step's
			// file only for a step with providers of its own.
			ProtoV6ProviderFactories: env.factories(),
			ConfigFile:               config.StaticFile(file),
			// Plan only: the helper's state checks cannot read data sources
			// with for_each keys. The outputs are the plan's changes.
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPreRefresh: []plancheck.PlanCheck{
				statuses,
				plancheck.ExpectKnownOutputValue("staging_by_the_account_ratio", numberBelow{big.NewFloat(2_000_000)}),
				outputs,
			}},
		}},
	})
	want := []string{`module.team_budget["env:staging"]`}
	if !slices.Equal(statuses.failed, want) {
		t.Errorf("the plan warned for %v, want exactly %v", statuses.failed, want)
	}
	if wantPassed := []string{`module.team_budget["dự-án:alpha"]`, `module.team_budget["env:prod"]`}; !slices.Equal(statuses.passed, wantPassed) {
		t.Errorf("the check passed for %v, want %v", statuses.passed, wantPassed)
	}
	checkGuideQuotesTeamFigures(t, outputs.values)
}

// planOutputs is a plan check that keeps the plan's output values.
type planOutputs struct{ values map[string]any }

func (c *planOutputs) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, _ *plancheck.CheckPlanResponse) {
	c.values = map[string]any{}
	for name, change := range req.Plan.OutputChanges {
		c.values[name] = change.After
	}
}

// checkGuideQuotesTeamFigures fails unless the budget-checks guide quotes
// the figures of the plan on 2026-12-02 that its per-team section gives:
// staging's spend, its forecast and share of the budget, the estimate by
// the account's ratio, and that ratio.
func checkGuideQuotesTeamFigures(t *testing.T, values map[string]any) {
	t.Helper()
	number := func(name string) *big.Rat {
		r, ok := new(big.Rat).SetString(fmt.Sprint(values[name]))
		if !ok {
			t.Fatalf("output %s = %v is not a number", name, values[name])
		}
		return r
	}
	vnd := func(r *big.Rat) string {
		text, err := billing.Format(billing.MoneyFromRat(r, 4), "VND")
		if err != nil {
			t.Fatal(err)
		}
		return text
	}
	spent := number("staging_spent")
	forecast := number("staging_forecast")
	ratio := number("account_ratio")
	share := new(big.Rat).Quo(new(big.Rat).Mul(forecast, big.NewRat(100, 1)), big.NewRat(2_000_000, 1))
	more := new(big.Rat).Mul(new(big.Rat).Sub(ratio, big.NewRat(1, 1)), big.NewRat(100, 1))
	guide, err := os.ReadFile(filepath.Join("..", "..", "templates", "guides", "budget-checks.md.tmpl"))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(guide)), " ")
	for _, want := range []string{
		fmt.Sprintf("the account's forecast only %s%% more than its spend", more.FloatString(0)),
		fmt.Sprintf("with %s spent, comes out at %s,", vnd(spent), vnd(number("staging_by_the_account_ratio"))),
		fmt.Sprintf("its own read forecasts %s, %s%% of it", vnd(forecast), new(big.Int).Quo(share.Num(), share.Denom())),
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the budget-checks guide's per-team section does not say %q, the figures of this plan: update it", want)
		}
	}
}

// TestAccBills_teamReadsSharePages counts the bills requests of one read of
// month_to_date per team, made at once as Terraform makes a for_each's reads,
// on 2026-12-02. Tags are matched by the provider on the lines of the whole
// range, whose pages the reads share: three teams cost what one read costs.
// A single VPC (or service) is sent to the API as its filter, so each VPC's
// pages are its own: fewer lines a read, but no sharing.
func TestAccBills_teamReadsSharePages(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		attribute string
		teams     []string
		compareTo string
		want      int64
	}{
		{"no filter, one read", "", []string{""}, "", 4},
		{"three tags", "tags", []string{"env:prod", "env:staging", "dự-án:alpha"}, "", 4},
		{"three tags compared", "tags", []string{"env:prod", "env:staging", "dự-án:alpha"}, "previous_weeks", 7},
		{"no filter, one read compared", "", []string{""}, "previous_weeks", 7},
		{"three VPCs", "vpc_names", []string{"prod-vpc", "staging-vpc", "prod-vpc-hcm"}, "", 3 * 2},
		{"three VPCs compared", "vpc_names", []string{"prod-vpc", "staging-vpc", "prod-vpc-hcm"}, "previous_weeks", 3 * 5},
		{"three services", "services", []string{"Instance", "Storage", "Database"}, "", 3 * 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := newPinnedEnv(t, secondOfDecember)
			c := newProtocolClient(t, NewServer("test", env.options())(), env.URL)
			errs := make(chan error, len(tc.teams))
			for _, team := range tc.teams {
				args := map[string]tftypes.Value{
					"range":         tftypes.NewValue(tftypes.String, "month_to_date"),
					"include_items": tftypes.NewValue(tftypes.Bool, false),
				}
				if tc.attribute != "" {
					args[tc.attribute] = tftypes.NewValue(tftypes.List{ElementType: tftypes.String},
						[]tftypes.Value{tftypes.NewValue(tftypes.String, team)})
				}
				if tc.compareTo != "" {
					args["compare_to"] = tftypes.NewValue(tftypes.String, tc.compareTo)
				}
				config := objectValue(t, c.schemas["fptcloud_bills"].ValueType(), args)
				go func() {
					resp, err := c.server.ReadDataSource(context.Background(), &tfprotov6.ReadDataSourceRequest{TypeName: "fptcloud_bills", Config: config})
					if err == nil {
						for _, d := range resp.Diagnostics {
							err = fmt.Errorf("%s %q: %s: %s", tc.attribute, team, d.Summary, d.Detail)
						}
					}
					errs <- err
				}()
			}
			for range tc.teams {
				if err := <-errs; err != nil {
					t.Fatal(err)
				}
			}
			if got := env.Emulator.Requests(fptapi.BillsEndpoint); got != tc.want {
				t.Errorf("%d reads made %d bills requests, want %d", len(tc.teams), got, tc.want)
			}
		})
	}
}
