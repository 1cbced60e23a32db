package provider

import (
	"fmt"
	"math/big"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/clock"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
)

// recorded is a knownvalue.Check that keeps the value it is given.
type recorded struct{ value *any }

func (r recorded) CheckValue(v any) error { *r.value = v; return nil }
func (r recorded) String() string         { return "recorded" }

// readForecast plans one fptcloud_bills over month_to_date against an
// emulator and a provider whose clocks are both pinned at now, and returns
// the attributes named.
func readForecast(t *testing.T, now time.Time, args string, names ...string) map[string]any {
	t.Helper()
	env := newTestEnv(t, emulator.Config{Now: func() time.Time { return now }})
	env.Clock = clock.Fixed(now)
	got := map[string]any{}
	var checks []statecheck.StateCheck
	values := make([]any, len(names))
	for i, name := range names {
		checks = append(checks, statecheck.ExpectKnownValue("data.fptcloud_bills.month", tfjsonpath.New(name), recorded{&values[i]}))
	}
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config:            monthToDateConfig(env, args),
			ConfigStateChecks: checks,
		}},
	})
	for i, name := range names {
		got[name] = values[i]
	}
	return got
}

// TestAccBills_forecastIgnoresSeconds reads the same month twice on the
// same day, two seconds apart and in the same minute (so the emulator
// serves the same lines): with complete_days every figure and the report
// are identical; the linear forecast, per elapsed second, is not (the test
// has teeth).
func TestAccBills_forecastIgnoresSeconds(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, time.December, 15, 12, 0, 10, 0, testPlus7)
	names := []string{"forecast_total_price", "forecast_low", "forecast_high", "summary_markdown", "comparison"}
	args := "compare_to = \"previous_month\"\n  spike_detection = {}"
	a := readForecast(t, at, args, names...)
	b := readForecast(t, at.Add(2*time.Second), args, names...)
	for _, name := range names {
		if fmt.Sprint(a[name]) != fmt.Sprint(b[name]) {
			t.Errorf("%s changed in two seconds: %v, then %v", name, a[name], b[name])
		}
	}
	if a["forecast_low"] == a["forecast_high"] {
		t.Errorf("mid-month the interval has no width: %v", a["forecast_low"])
	}
	linear := "forecast_method = \"linear\""
	la := readForecast(t, at, linear, "forecast_total_price")
	lb := readForecast(t, at.Add(2*time.Second), linear, "forecast_total_price")
	if fmt.Sprint(la) == fmt.Sprint(lb) {
		t.Errorf("the linear forecast did not move in two seconds (%v): the test proves nothing", la)
	}
}

// demoIntervalMisses are the days of December 2026 (at 12:00, +07:00) on
// which the demo account's 80% interval does not hold the month's total,
// and why. An 80% interval may miss one day in five; these misses are
// systematic, from the emulator's story rather than chance:
//
//   - the 2nd and the 3rd: the emulator steps its level up 30% at midnight
//     on the 1st; a lasting shift needs 3 complete days at its new level
//     to show (fewer could be a one-off), and until the 4th December has
//     fewer, so the level is November's and the forecast is low by under
//     1.5%. (On the 1st the fee of the day, a recurring charge still
//     billing, widens the interval by its own spread, 30% from one month
//     to the next, and it holds.)
//
// The test fails when another day misses, or when any forecast is more
// than 2% off the month's total.
var demoIntervalMisses = map[int]string{
	2: "young month, level of last month", 3: "young month, level of last month",
}

// TestAccBudgetExample_forecastTellsTheTruth pins the clock on days of a
// month and checks that the demo account's forecast interval holds what
// the emulator bills by the month's end (its clock at the last second of
// the month), but on the days of demoIntervalMisses.
func TestAccBudgetExample_forecastTellsTheTruth(t *testing.T) {
	t.Parallel()
	end := time.Date(2026, time.December, 31, 23, 59, 59, 0, testPlus7)
	full := emulator.New(emulator.Config{Token: testToken, Now: func() time.Time { return end }})
	actual := sumLines(full.Data.BillLines("2026-12-01", "2026-12-31"), nil).total
	for _, day := range []int{1, 2, 3, 5, 8, 12, 15, 19, 22, 26, 29, 31} {
		now := time.Date(2026, time.December, day, 12, 0, 0, 0, testPlus7)
		got := readForecast(t, now, "", "forecast_total_price", "forecast_low", "forecast_high")
		num := func(name string) *big.Rat {
			n, ok := got[name].(interface{ String() string })
			if !ok {
				t.Fatalf("%s is %T", name, got[name])
			}
			r, ok := new(big.Rat).SetString(n.String())
			if !ok {
				t.Fatalf("%s = %s", name, n)
			}
			return r
		}
		low, high, forecast := num("forecast_low"), num("forecast_high"), num("forecast_total_price")
		missed := low.Cmp(actual) > 0 || high.Cmp(actual) < 0
		msg := fmt.Sprintf("on the %d: the interval %s..%s (forecast %s) vs the month's %s VND", day,
			low.FloatString(2), high.FloatString(2), forecast.FloatString(2), actual.FloatString(2))
		switch why, known := demoIntervalMisses[day]; {
		case missed && !known:
			t.Errorf("%s: missed", msg)
		case missed:
			t.Logf("%s: missed, as known (%s)", msg, why)
		case known:
			t.Errorf("%s: holds now; take the day out of demoIntervalMisses", msg)
		}
		off := new(big.Rat).Quo(new(big.Rat).Sub(forecast, actual), actual)
		if off.Abs(off).Cmp(big.NewRat(2, 100)) > 0 {
			t.Errorf("%s: off by %s%%", msg, new(big.Rat).Mul(off, big.NewRat(100, 1)).FloatString(2))
		}
	}
}

// monthToDateConfig is fptcloud_bills "month" over month_to_date without
// items, with args added, against env.
func monthToDateConfig(env *testEnv, args string) string {
	return env.providerBlock("") + fmt.Sprintf(`
data "fptcloud_bills" "month" {
  range         = "month_to_date"
  include_items = false
  %s
}
`, args)
}

// forecastRequests is how many requests to the bills endpoints one plan of
// month_to_date with args makes on the 2nd of a month, per read of the
// data source, and how many reads the plan made.
func forecastRequests(t *testing.T, args string) float64 {
	t.Helper()
	now := time.Date(2026, time.December, 2, 12, 0, 0, 0, testPlus7)
	env := newTestEnv(t, emulator.Config{Now: func() time.Time { return now }})
	env.Clock = clock.Fixed(now)
	var reads int
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: monthToDateConfig(env, args),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.fptcloud_bills.month", tfjsonpath.New("read_at"), recordedCount{&reads}),
			},
		}},
	})
	return float64(env.Emulator.TotalRequests())
}

// recordedCount is a knownvalue.Check that counts the values it is given.
type recordedCount struct{ n *int }

func (r recordedCount) CheckValue(any) error { *r.n++; return nil }
func (r recordedCount) String() string       { return "counted" }

// TestAccBills_forecastRequests measures what the default forecast costs in
// requests against the linear one, as forecast_method's description states.
func TestAccBills_forecastRequests(t *testing.T) {
	t.Parallel()
	def := forecastRequests(t, "")
	linear := forecastRequests(t, `forecast_method = "linear"`)
	t.Logf("requests: complete_days %v, linear %v", def, linear)
	// Each read of the 2nd of December: the month so far in 1 page; with
	// complete_days also the 56 days before it, 2,240 lines, in 3 pages.
	if linear == 0 || def != 4*linear {
		t.Errorf("complete_days made %v requests, linear %v; the description says 4 to 1", def, linear)
	}
}
