package provider

import (
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/clock"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

// licenseService is a service the tests below add to the emulated account:
// nothing but a charge on some days.
const licenseService = "License"

// licenseLines bills licenseService amount[i] at 00:00 of days[i].
func licenseLines(days []string, amounts []int64) []fptapi.BillLine {
	var out []fptapi.BillLine
	for i, d := range days {
		out = append(out, fptapi.BillLine{
			Day: d, StartTime: d + " 00:00:00", Service: licenseService, Name: "license-01",
			TotalPrice: json.Number(fmt.Sprint(amounts[i])),
		})
	}
	return out
}

// readMonth plans month_to_date with args at now (both clocks pinned) on
// the emulated account with extra lines, and returns the attributes named.
func readMonth(t *testing.T, now time.Time, extra []fptapi.BillLine, args string, names ...string) map[string]any {
	t.Helper()
	env := newTestEnv(t, emulator.Config{Now: func() time.Time { return now }})
	env.Clock = clock.Fixed(now)
	env.Emulator.Data.Bills.Extra = extra
	values := make([]any, len(names))
	var checks []statecheck.StateCheck
	for i, name := range names {
		checks = append(checks, statecheck.ExpectKnownValue("data.fptcloud_bills.month", tfjsonpath.New(name), recorded{&values[i]}))
	}
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps:                    []resource.TestStep{{Config: monthToDateConfig(env, args), ConfigStateChecks: checks}},
	})
	got := map[string]any{}
	for i, name := range names {
		got[name] = values[i]
	}
	return got
}

func ratOf(t *testing.T, what string, v any) *big.Rat {
	t.Helper()
	r, ok := new(big.Rat).SetString(fmt.Sprint(v))
	if !ok {
		t.Fatalf("%s = %v, not a number", what, v)
	}
	return r
}

// TestAccBills_monthlyFeeIsNoSpike pins both clocks on 15 December 2026 at
// 12:00 (+07:00). The emulated account bills Object Storage a monthly fee
// on the 1st (180 million VND at December's level, 30% more than
// November's): with spike_detection it is no spike, and compared with the
// same weekdays weeks before (previous_weeks, 17–30 November, no fee) the
// totals rise by more than 1000% while usage, the recurring fee left out,
// rises by the account's 30% or so. current_recurring_price is the fee as
// the test computes it from the emulator's lines: Object Storage's 1
// December less the median of its 7 days before.
func TestAccBills_monthlyFeeIsNoSpike(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, time.December, 15, 12, 0, 0, 0, testPlus7)
	got := readMonth(t, now, nil, "compare_to = \"previous_weeks\"\n  spike_detection = {}", "spikes", "comparison")
	if spikes, ok := got["spikes"].([]any); !ok || len(spikes) != 0 {
		t.Errorf("spikes = %v, want none", got["spikes"])
	}
	c, ok := got["comparison"].(map[string]any)
	if !ok {
		t.Fatalf("comparison = %v", got["comparison"])
	}
	if p := ratOf(t, "change_percent", c["change_percent"]); p.Cmp(big.NewRat(1000, 1)) < 0 {
		t.Errorf("change_percent = %s: the fee without a twin should make it over 1000", p.FloatString(2))
	}
	usage := ratOf(t, "usage_change_percent", c["usage_change_percent"])
	if usage.Cmp(big.NewRat(10, 1)) < 0 || usage.Cmp(big.NewRat(50, 1)) > 0 {
		t.Errorf("usage_change_percent = %s, want the account's growth, 10 to 50", usage.FloatString(2))
	}
	if r := ratOf(t, "recurring_price", c["recurring_price"]); r.Sign() != 0 {
		t.Errorf("recurring_price = %s for 17–30 November, which hold no fee", r.FloatString(2))
	}
	full := emulator.New(emulator.Config{Token: testToken, Now: func() time.Time { return now }})
	daily := sumLines(full.Data.BillLines("2026-11-24", "2026-12-01"), nil).daily["Object Storage"]
	var week []*big.Rat
	for d := 24; d <= 30; d++ {
		v := daily[fmt.Sprintf("2026-11-%02d", d)]
		if v == nil {
			v = new(big.Rat)
		}
		week = append(week, v)
	}
	slices.SortFunc(week, func(a, b *big.Rat) int { return a.Cmp(b) })
	fee := new(big.Rat).Sub(daily["2026-12-01"], week[3])
	if r := ratOf(t, "current_recurring_price", c["current_recurring_price"]); r.Cmp(fee) != 0 {
		t.Errorf("current_recurring_price = %s, want the fee, %s", r.FloatString(4), fee.FloatString(4))
	}
	change := ratOf(t, "change", c["change"])
	if u := ratOf(t, "usage_change", c["usage_change"]); new(big.Rat).Sub(change, u).Cmp(fee) != 0 {
		t.Errorf("change %s less usage_change %s is not the fee %s", change.FloatString(2), u.FloatString(2), fee.FloatString(2))
	}
}

// TestAccBills_recurringFee adds a license billed on the 20th of October and
// November and pins both clocks on 10 December 2026 at 12:00: the forecast
// counts December's, still to come, in forecast_by_service; a license
// billed on the 1st at three times November's amount is a spike, at its
// usual amount it is not.
func TestAccBills_recurringFee(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, time.December, 10, 12, 0, 0, 0, testPlus7)
	t.Run("due later", func(t *testing.T) {
		t.Parallel()
		const fee = 40_000_000
		extra := licenseLines([]string{"2026-10-20", "2026-11-20"}, []int64{fee, fee})
		got := readMonth(t, now, extra, "", "forecast_by_service", "forecast_total_price", "forecast_high", "total_price")
		shares, ok := got["forecast_by_service"].(map[string]any)
		if !ok {
			t.Fatalf("forecast_by_service = %v", got["forecast_by_service"])
		}
		if s := ratOf(t, "forecast_by_service[License]", shares[licenseService]); s.Cmp(big.NewRat(fee, 1)) != 0 {
			t.Errorf("the license's share is %s, want the fee due on the 20th, %d", s.FloatString(2), fee)
		}
		// Without the license the month is forecast about fee lower.
		base := readMonth(t, now, nil, "", "forecast_total_price")
		diff := new(big.Rat).Sub(ratOf(t, "forecast_total_price", got["forecast_total_price"]), ratOf(t, "base", base["forecast_total_price"]))
		if diff.Cmp(big.NewRat(fee, 1)) != 0 {
			t.Errorf("the license adds %s to the forecast, want %d", diff.FloatString(2), fee)
		}
	})
	for _, tc := range []struct {
		name     string
		december int64
		spike    bool
	}{{"usual size", 10_000_000, false}, {"three times", 30_000_000, true}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			extra := licenseLines([]string{"2026-10-01", "2026-11-01", "2026-12-01"}, []int64{10_000_000, 10_000_000, tc.december})
			got := readMonth(t, now, extra, "spike_detection = {}", "spikes")
			spikes, _ := got["spikes"].([]any)
			var days []string
			for _, s := range spikes {
				m, _ := s.(map[string]any)
				days = append(days, fmt.Sprint(m["service"], " ", m["day"], " ", m["baseline"]))
			}
			want := []string(nil)
			if tc.spike {
				// Judged against the usual day (0) plus November's license.
				want = []string{licenseService + " 2026-12-01 10000000"}
			}
			if !slices.Equal(days, want) {
				t.Errorf("spikes %v, want %v", days, want)
			}
		})
	}
}

// TestAccBills_monthlyFeeNoSpikeAllYear plans month_to_date with the
// example's spike rule once in each month of 2027, on days from the 2nd to
// the month's last, both clocks pinned at 12:00 (+07:00): the emulator's
// monthly fee on the 1st is never a spike.
func TestAccBills_monthlyFeeNoSpikeAllYear(t *testing.T) {
	t.Parallel()
	days := []int{2, 9, 15, 28, 31}
	for m := time.January; m <= time.December; m++ {
		last := time.Date(2027, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
		day := min(days[int(m)%len(days)], last)
		now := time.Date(2027, m, day, 12, 0, 0, 0, testPlus7)
		t.Run(now.Format(time.DateOnly), func(t *testing.T) {
			t.Parallel()
			got := readMonth(t, now, nil, "spike_detection = { min_amount = 5000000 }", "spikes")
			if spikes, ok := got["spikes"].([]any); !ok || len(spikes) != 0 {
				t.Errorf("spikes = %v, want none", got["spikes"])
			}
		})
	}
}

// TestAccBills_recurringHistoryCost measures what the forecast's history,
// which reaches 7 days before the 1st of the month two months back for the
// recurring charges, costs in bills requests on 15 December 2026, without
// the day cache and with it (cold, then warm), as the forecasting guide
// states: with a warm cache no day before the range is read again.
func TestAccBills_recurringHistoryCost(t *testing.T) {
	now := time.Date(2026, time.December, 15, 12, 0, 0, 0, testPlus7)
	env := newTestEnv(t, emulator.Config{Now: func() time.Time { return now }})
	env.Clock = clock.Fixed(now)
	plan := func(extra string) int64 {
		before := env.Emulator.Requests(fptapi.BillsEndpoint)
		accTest(t, resource.TestCase{
			ProtoV6ProviderFactories: env.factories(),
			Steps: []resource.TestStep{{Config: env.providerBlock(extra) + `
data "fptcloud_bills" "month" {
  range         = "month_to_date"
  include_items = false
}
`}},
		})
		return env.Emulator.Requests(fptapi.BillsEndpoint) - before
	}
	cache := fmt.Sprintf("cache_dir = %q", t.TempDir())
	plain, cold, warm := plan(""), plan(cache), plan(cache)
	t.Logf("requests of one plan: %d without the day cache, %d cold, %d warm", plain, cold, warm)
	// The plan runs the read a few times (plan, refresh); the guide's
	// "4 on the 15th" is one read's, TestAccBills_compareToReads.
	if warm >= cold || warm*3 > plain {
		t.Errorf("a warm cache made %d requests (cold %d, without %d): the history should come from the cache", warm, cold, plain)
	}
}
