package provider

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/clock"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
)

// costsNow is the moment the data source's "What each option costs" table is
// measured at: the 20th of a month at 10:00 (+07:00), so that the month so
// far (about 780 lines of the emulator's 40 a day) is one page and the 56
// days before it are three.
var costsNow = time.Date(2024, time.September, 20, 10, 0, 0, 0, emulator.APITimeZone)

// costsTemplate holds the table, in the section costsSection.
var costsTemplate = filepath.Join("..", "..", "templates", "data-sources", "bills.md.tmpl")

const costsSection = "## What each option costs"

// costCases are the table's rows, by the text of their first column, each
// with the configuration it measures: one plan of these data sources.
var costCases = map[string]string{
	"`range = \"month_to_date\"`, `forecast_method = \"linear\"`, `include_items = false`": `
data "fptcloud_bills" "a" {
  range           = "month_to_date"
  forecast_method = "linear"
  include_items   = false
}`,
	"… and `include_items = true`": `
data "fptcloud_bills" "a" {
  range           = "month_to_date"
  forecast_method = "linear"
  include_items   = true
}`,
	"… and `forecast_method = \"complete_days\"` (the default)": `
data "fptcloud_bills" "a" {
  range         = "month_to_date"
  include_items = false
}`,
	"… and `compare_to = \"previous_month\"`": `
data "fptcloud_bills" "a" {
  range           = "month_to_date"
  forecast_method = "linear"
  include_items   = false
  compare_to      = "previous_month"
}`,
	"… and `spike_detection = {}`": `
data "fptcloud_bills" "a" {
  range           = "month_to_date"
  forecast_method = "linear"
  include_items   = false
  spike_detection = {}
}`,
	"… with `compare_to = \"previous_month\"`, `spike_detection = {}` and the default forecast": `
data "fptcloud_bills" "a" {
  range           = "month_to_date"
  include_items   = false
  compare_to      = "previous_month"
  spike_detection = {}
}`,
	"`range = \"last_month\"` (over: no forecast read)": `
data "fptcloud_bills" "a" {
  range         = "last_month"
  include_items = false
}`,
	"`range = \"last_7_days\"` (includes today)": `
data "fptcloud_bills" "a" {
  range         = "last_7_days"
  include_items = false
}`,
	"`services = [\"Instance\"]` (one service: the API filters)": `
data "fptcloud_bills" "a" {
  range           = "month_to_date"
  forecast_method = "linear"
  include_items   = false
  services        = ["Instance"]
}`,
	"`services = [\"Instance\", \"Storage\"]` (two: the provider filters)": `
data "fptcloud_bills" "a" {
  range           = "month_to_date"
  forecast_method = "linear"
  include_items   = false
  services        = ["Instance", "Storage"]
}`,
	"`services = [\"Instence\"]` (matches no line: the service types are read)": `
data "fptcloud_bills" "a" {
  range           = "month_to_date"
  forecast_method = "linear"
  include_items   = false
  services        = ["Instence"]
}`,
	"`vpc_names = [\"prod-vpc\"]` (one VPC: the API filters)": `
data "fptcloud_bills" "a" {
  range           = "month_to_date"
  forecast_method = "linear"
  include_items   = false
  vpc_names       = ["prod-vpc"]
}`,
	"`tags = [\"team:payments\"]` (the provider filters)": `
data "fptcloud_bills" "a" {
  range           = "month_to_date"
  forecast_method = "linear"
  include_items   = false
  tags            = ["team:payments"]
}`,
	"three data sources, one VPC each, the default forecast": `
data "fptcloud_bills" "a" {
  range         = "month_to_date"
  include_items = false
  vpc_names     = ["prod-vpc"]
}
data "fptcloud_bills" "b" {
  range         = "month_to_date"
  include_items = false
  vpc_names     = ["staging-vpc"]
}
data "fptcloud_bills" "c" {
  range         = "month_to_date"
  include_items = false
  vpc_names     = ["東京-vpc"]
}`,
	"three data sources, one tag each, the default forecast": `
data "fptcloud_bills" "a" {
  range         = "month_to_date"
  include_items = false
  tags          = ["env:prod"]
}
data "fptcloud_bills" "b" {
  range         = "month_to_date"
  include_items = false
  tags          = ["env:staging"]
}
data "fptcloud_bills" "c" {
  range         = "month_to_date"
  include_items = false
  tags          = ["team:payments"]
}`,
}

// costRow matches a row of the table: | first column | … | requests |.
var costRow = regexp.MustCompile(`^\| (.+?) \|.*\| (\d+) \|$`)

// TestAccBills_optionCosts plans each configuration of costCases once
// against the emulator (its data, 40 lines a day, at costsNow) and counts
// the requests that reached the API: each must be the number the data
// source's "What each option costs" table gives, and the table must have a
// row for each case and no other.
func TestAccBills_optionCosts(t *testing.T) {
	t.Parallel()
	text, err := os.ReadFile(costsTemplate)
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(text), "\n"+costsSection+"\n")
	if !ok {
		t.Fatalf("%s has no section %q", costsTemplate, costsSection)
	}
	if next := strings.Index(section, "\n## "); next >= 0 {
		section = section[:next]
	}
	documented := map[string]int64{}
	for line := range strings.Lines(section) {
		m := costRow.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			continue
		}
		n, err := strconv.ParseInt(m[2], 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		documented[m[1]] = n
	}
	for row := range documented {
		if _, ok := costCases[row]; !ok {
			t.Errorf("the table's row %q has no configuration in costCases", row)
		}
	}
	rows := make([]string, 0, len(costCases))
	for row := range costCases {
		rows = append(rows, row)
	}
	slices.Sort(rows)
	for _, row := range rows {
		t.Run(row, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t, emulator.Config{Now: func() time.Time { return costsNow }})
			env.Clock = clock.Fixed(costsNow)
			// The requests when the first plan is over: the later steps
			// of the test (apply, the plans after it) start providers of
			// their own, with caches of their own, and read again.
			first := &requestsAfterPlan{emulator: env.Emulator}
			accTest(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(),
				Steps: []resource.TestStep{{
					Config:           env.providerBlock("") + costCases[row],
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{first}},
				}},
			})
			got := first.requests
			want, ok := documented[row]
			switch {
			case !ok:
				t.Errorf("a plan made %d requests; the table in %s has no row %q", got, costsTemplate, row)
			case got != want:
				t.Errorf("a plan made %d requests, the table in %s says %d: measure again and update it", got, costsTemplate, want)
			}
			t.Logf("%d requests", got)
		})
	}
}

// requestsAfterPlan is a plan check that records how many requests the
// emulator had answered when the plan was made.
type requestsAfterPlan struct {
	emulator *emulator.Server
	requests int64
}

func (r *requestsAfterPlan) CheckPlan(context.Context, plancheck.CheckPlanRequest, *plancheck.CheckPlanResponse) {
	r.requests = r.emulator.TotalRequests()
}
