package provider

import (
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/clock"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

// secondOfDecember is Wednesday 2026-12-02 13:01 at +07:00: month_to_date
// has one complete day, Tuesday the 1st, whose calendar twin of the month
// before (2026-11-01) is a Sunday.
var secondOfDecember = time.Date(2026, time.December, 2, 13, 1, 0, 0, time.FixedZone("+07:00", 7*3600))

// newPinnedEnv is an emulator and a provider whose clocks both read now.
func newPinnedEnv(t *testing.T, now time.Time) *testEnv {
	t.Helper()
	env := newTestEnv(t, emulator.Config{Now: func() time.Time { return now }})
	env.Clock = clock.Fixed(now)
	return env
}

// TestAccBills_comparePreviousWeeks: previous_weeks compares month_to_date's
// complete day, Tuesday the 1st, with Tuesday 2026-11-24, where
// previous_month compares it with Sunday 2026-11-01; both against exact
// sums of the emulator's lines of one team's tag.
func TestAccBills_comparePreviousWeeks(t *testing.T) {
	t.Parallel()
	env := newPinnedEnv(t, secondOfDecember)
	const tag = "env:staging"
	lines := env.Emulator.Data.BillLines("2026-11-01", "2026-12-02")
	onDay := func(day string) func(fptapi.BillLine) bool {
		return func(l fptapi.BillLine) bool { return l.Day == day && l.Tag != nil && *l.Tag == tag }
	}
	dec1, nov24, nov1 := sumLines(lines, onDay("2026-12-01")), sumLines(lines, onDay("2026-11-24")), sumLines(lines, onDay("2026-11-01"))
	if dec1.count == 0 || nov24.count == 0 || nov1.count == 0 {
		t.Fatalf("the emulator bills %s no line on a day compared (%d, %d, %d lines)", tag, dec1.count, nov24.count, nov1.count)
	}
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.providerBlock(`time_zone = "+07:00"`) + fmt.Sprintf(`
data "fptcloud_bills" "weeks" {
  range         = "month_to_date"
  tags          = [%q]
  include_items = false
  compare_to    = "previous_weeks"
}

data "fptcloud_bills" "month" {
  range         = "month_to_date"
  tags          = [%q]
  include_items = false
  compare_to    = "previous_month"
}
`, tag, tag),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.fptcloud_bills.weeks", tfjsonpath.New("comparison"),
					comparisonCheck(t, dec1, nov24, "2026-11-24", "2026-11-24", "2026-12-01")),
				statecheck.ExpectKnownValue("data.fptcloud_bills.month", tfjsonpath.New("comparison"),
					comparisonCheck(t, dec1, nov1, "2026-11-01", "2026-11-01", "2026-12-01")),
				// The budget-checks guide quotes these two.
				statecheck.ExpectKnownValue("data.fptcloud_bills.weeks", tfjsonpath.New("comparison").AtMapKey("change_percent"), numberCheck(t, "-35.26")),
				statecheck.ExpectKnownValue("data.fptcloud_bills.month", tfjsonpath.New("comparison").AtMapKey("change_percent"), numberCheck(t, "322.8")),
			},
		}},
	})
}

// TestAccBills_compareToReads measures what each compare_to value costs in
// bills requests, as its description states: the earlier range and, while
// the range includes today, its complete days, beside the range and the
// forecast's history; nothing on the 1st, when no day is compared.
func TestAccBills_compareToReads(t *testing.T) {
	t.Parallel()
	plusSeven := time.FixedZone("+07:00", 7*3600)
	days := []struct {
		now  time.Time
		base int64            // month_to_date without a comparison
		more map[string]int64 // the requests each value adds
	}{
		{time.Date(2026, 12, 1, 13, 1, 0, 0, plusSeven), 4, map[string]int64{
			billing.ComparePreviousMonth: 0, billing.ComparePreviousWeeks: 0, billing.ComparePreviousPeriod: 0}},
		{secondOfDecember, 4, map[string]int64{
			billing.ComparePreviousMonth: 3, billing.ComparePreviousWeeks: 3, billing.ComparePreviousPeriod: 3}},
		{time.Date(2026, 12, 15, 12, 0, 0, 0, plusSeven), 4, map[string]int64{
			billing.ComparePreviousMonth: 2, billing.ComparePreviousWeeks: 2, billing.ComparePreviousPeriod: 3}},
		{time.Date(2026, 12, 31, 12, 0, 0, 0, plusSeven), 5, map[string]int64{
			billing.ComparePreviousMonth: 3, billing.ComparePreviousWeeks: 4, billing.ComparePreviousPeriod: 4}},
	}
	for _, d := range days {
		for _, mode := range append([]string{""}, billing.CompareModes...) {
			env := newPinnedEnv(t, d.now)
			c := newProtocolClient(t, NewServer("test", env.options())(), env.URL)
			args := map[string]tftypes.Value{
				"range":         tftypes.NewValue(tftypes.String, "month_to_date"),
				"include_items": tftypes.NewValue(tftypes.Bool, false),
			}
			if mode != "" {
				args["compare_to"] = tftypes.NewValue(tftypes.String, mode)
			}
			c.read("fptcloud_bills", args)
			more, listed := d.more[mode]
			if mode != "" && !listed {
				t.Fatalf("compare_to = %q: no expected cost; measure it and state it in the description", mode)
			}
			if got, want := env.Emulator.Requests(fptapi.BillsEndpoint), d.base+more; got != want {
				t.Errorf("month_to_date at %s with compare_to = %q made %d bills requests, want %d: update the "+
					"test and compare_to's description together", d.now.Format(time.DateTime), mode, got, want)
			}
		}
	}
}
