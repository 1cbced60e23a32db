package provider

import (
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/clock"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
)

// TestAccBills_compareWholeMonths pins both clocks at 2026-12-07 10:00 at
// +07:00 and compares whole months with previous_month: last_month
// (November, 30 days) against the whole of October (31 days, its 31st
// included), a whole leap February against the whole of January, and a
// whole March against a plain February. A range that ends on November's
// last day but starts on the 2nd keeps the same days of October, without
// its 31st. Every total is the exact sum of the emulator's lines of those
// days, and the report names the days compared on both sides.
func TestAccBills_compareWholeMonths(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, time.December, 7, 10, 0, 0, 0, emulator.APITimeZone)
	env := newTestEnv(t, emulator.Config{Now: func() time.Time { return now }})
	env.Clock = clock.Fixed(now)
	data := env.Emulator.Data
	sums := func(from, to string) periodSums { return sumLines(data.BillLines(from, to), nil) }
	if sums("2026-10-31", "2026-10-31").count == 0 || sums("2024-01-30", "2024-01-31").count == 0 {
		t.Fatal("the emulator bills nothing on 2026-10-31 or 2024-01-30..31: the test could not tell a whole month from a cut one")
	}
	nov, oct := sums("2026-11-01", "2026-11-30"), sums("2026-10-01", "2026-10-31")
	feb24, jan24 := sums("2024-02-01", "2024-02-29"), sums("2024-01-01", "2024-01-31")
	mar25, feb25 := sums("2025-03-01", "2025-03-31"), sums("2025-02-01", "2025-02-28")
	late, lateBefore := sums("2026-11-02", "2026-11-30"), sums("2026-10-02", "2026-10-30")
	config := env.providerBlock("") + `
data "fptcloud_bills" "last_month" {
  range         = "last_month"
  include_items = false
  compare_to    = "previous_month"
}

data "fptcloud_bills" "leap_february" {
  from          = "2024-02-01"
  to            = "2024-02-29"
  include_items = false
  compare_to    = "previous_month"
}

data "fptcloud_bills" "march" {
  from          = "2025-03-01"
  to            = "2025-03-31"
  include_items = false
  compare_to    = "previous_month"
}

data "fptcloud_bills" "from_the_2nd" {
  from          = "2026-11-02"
  to            = "2026-11-30"
  include_items = false
  compare_to    = "previous_month"
}
`
	check := func(name string, cur, prev periodSums, from, to, currentTo string) statecheck.StateCheck {
		return statecheck.ExpectKnownValue("data.fptcloud_bills."+name, tfjsonpath.New("comparison"),
			comparisonCheck(t, cur, prev, from, to, currentTo))
	}
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.fptcloud_bills.last_month", tfjsonpath.New("from"), knownvalue.StringExact("2026-11-01")),
				statecheck.ExpectKnownValue("data.fptcloud_bills.last_month", tfjsonpath.New("to"), knownvalue.StringExact("2026-11-30")),
				check("last_month", nov, oct, "2026-10-01", "2026-10-31", "2026-11-30"),
				check("leap_february", feb24, jan24, "2024-01-01", "2024-01-31", "2024-02-29"),
				check("march", mar25, feb25, "2025-02-01", "2025-02-28", "2025-03-31"),
				check("from_the_2nd", late, lateBefore, "2026-10-02", "2026-10-30", "2026-11-30"),
				statecheck.ExpectKnownValue("data.fptcloud_bills.last_month", tfjsonpath.New("summary_markdown"), containsAll{
					" over 2026-11-01..2026-11-30 (30 days) vs 2026-10-01..2026-10-31 (31 days, ",
				}),
				statecheck.ExpectKnownValue("data.fptcloud_bills.leap_february", tfjsonpath.New("summary_markdown"), containsAll{
					" over 2024-02-01..2024-02-29 (29 days) vs 2024-01-01..2024-01-31 (31 days, ",
				}),
				statecheck.ExpectKnownValue("data.fptcloud_bills.from_the_2nd", tfjsonpath.New("summary_markdown"), containsAll{
					" over 2026-11-02..2026-11-30 (29 days) vs 2026-10-02..2026-10-30 (29 days, ",
				}),
			},
		}},
	})
}
