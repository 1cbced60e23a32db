package provider

import (
	"fmt"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/clock"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
)

// This file checks fptcloud_bills' forecast against the forecasting guide's
// formula (written out again in forecast_formula_test.go with plain big.Rat
// loops over the emulator's lines): it shares no code with the provider's
// forecast.

// ratMedian is the median of values: the middle one, or the mean of the
// two middle ones.
func ratMedian(values []*big.Rat) *big.Rat {
	s := slices.Clone(values)
	slices.SortFunc(s, func(a, b *big.Rat) int { return a.Cmp(b) })
	n := len(s)
	if n%2 == 1 {
		return new(big.Rat).Set(s[n/2])
	}
	m := new(big.Rat).Add(s[n/2-1], s[n/2])
	return m.Quo(m, big.NewRat(2, 1))
}

// ratMAD is the median absolute deviation of values from their median.
func ratMAD(values []*big.Rat) *big.Rat {
	m := ratMedian(values)
	dev := make([]*big.Rat, len(values))
	for i, v := range values {
		d := new(big.Rat).Sub(v, m)
		dev[i] = d.Abs(d)
	}
	return ratMedian(dev)
}

// ratSqrt is √r, taken to 256 bits.
func ratSqrt(r *big.Rat) *big.Rat {
	f := new(big.Float).SetPrec(256).SetRat(r)
	f.Sqrt(f)
	out, _ := f.Rat(nil)
	return out
}

// dayNumber numbers days: day (a UTC midnight) in days since 1970-01-01.
func dayNumber(day time.Time) int64 { return day.Unix() / 86400 }

// dec is a decimal constant as an exact fraction.
func dec(text string) *big.Rat { return rat(text) }

// linearForecast is the linear method's forecast of month_to_date in
// +07:00 at now: the range's spend per elapsed second, times the month.
func linearForecast(total *big.Rat, now time.Time) *big.Rat {
	l := now.In(testPlus7)
	start := time.Date(l.Year(), l.Month(), 1, 0, 0, 0, 0, testPlus7)
	horizon := start.AddDate(0, 1, 0)
	r := new(big.Rat).Mul(total, big.NewRat(int64(horizon.Sub(start)), int64(now.Sub(start))))
	return roundHalfAway(r)
}

// TestAccForecast_formula pins both clocks on days that matter to the
// forecast (a month's first days, its middle, its last day, a year's end)
// and checks fptcloud_bills' forecast, interval and comparison with the
// month before against the guide's formula computed here.
func TestAccForecast_formula(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		now    time.Time
		linear bool
	}{
		{"first of the month", time.Date(2026, time.December, 1, 12, 0, 0, 0, testPlus7), false},
		{"second of the month", time.Date(2026, time.December, 2, 12, 0, 0, 0, testPlus7), false},
		{"mid-month", time.Date(2026, time.December, 15, 12, 0, 0, 0, testPlus7), false},
		{"mid-month, linear", time.Date(2026, time.December, 15, 12, 0, 0, 0, testPlus7), true},
		{"last day of November", time.Date(2026, time.November, 30, 18, 30, 0, 0, testPlus7), false},
		{"31 December", time.Date(2026, time.December, 31, 12, 0, 0, 0, testPlus7), false},
		{"1 January", time.Date(2027, time.January, 1, 9, 0, 0, 0, testPlus7), false},
		{"second of the month, a step up from 28 November", time.Date(2026, time.December, 2, 12, 0, 0, 0, testPlus7), false},
		{"mid-month, a step up from the 9th", time.Date(2026, time.December, 15, 12, 0, 0, 0, testPlus7), false},
		{"second of the month, a step up from 30 November", time.Date(2026, time.December, 2, 12, 0, 0, 0, testPlus7), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			now := tc.now
			env := newTestEnv(t, emulator.Config{Now: func() time.Time { return now }})
			env.Clock = clock.Fixed(now)
			switch {
			case strings.Contains(tc.name, "from 28 November"):
				env.Emulator.Data.Bills.Extra = gpuLines(time.Date(2026, time.November, 28, 0, 0, 0, 0, time.UTC), now)
			case strings.Contains(tc.name, "from 30 November"):
				env.Emulator.Data.Bills.Extra = gpuLines(time.Date(2026, time.November, 30, 0, 0, 0, 0, time.UTC), now)
			case strings.Contains(tc.name, "from the 9th"):
				env.Emulator.Data.Bills.Extra = gpuLines(time.Date(2026, time.December, 9, 0, 0, 0, 0, time.UTC), now)
			}
			l := now.In(testPlus7)
			today := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, time.UTC)
			from := time.Date(l.Year(), l.Month(), 1, 0, 0, 0, 0, time.UTC)
			day := func(d time.Time) string { return d.Format(time.DateOnly) }

			lines := env.Emulator.Data.BillLines(day(from.AddDate(0, -2, -7)), day(today))
			daily := map[string]map[string]*big.Rat{}
			latest := ""
			for _, line := range lines {
				if daily[line.Service] == nil {
					daily[line.Service] = map[string]*big.Rat{}
				}
				if daily[line.Service][line.Day] == nil {
					daily[line.Service][line.Day] = new(big.Rat)
				}
				daily[line.Service][line.Day].Add(daily[line.Service][line.Day], rat(line.TotalPrice.String()))
				latest = max(latest, line.Day)
			}
			if latest != day(today) {
				t.Fatalf("the emulator's latest line is on %s, not today (%s)", latest, day(today))
			}

			args := `compare_to = "previous_month"`
			var want expectedForecast
			if tc.linear {
				args += "\n  forecast_method = \"linear\""
				total := sumLines(env.Emulator.Data.BillLines(day(from), day(today)), nil).total
				f := linearForecast(total, now)
				want = expectedForecast{total: f, low: f, high: f}
			} else {
				want = completeDaysForecast(t, daily, now)
			}

			// The comparison: the complete days of the month against as
			// many days from the 1st of the month before.
			c := today.AddDate(0, 0, -1)
			prevFrom := from.AddDate(0, -1, 0)
			cur, prev := periodSums{total: new(big.Rat)}, periodSums{total: new(big.Rat)}
			prevTo := prevFrom.AddDate(0, 0, -1)
			if !c.Before(from) {
				prevTo = prevFrom.AddDate(0, 0, int(dayNumber(c)-dayNumber(from)))
				cur = sumLines(env.Emulator.Data.BillLines(day(from), day(c)), nil)
				prev = sumLines(env.Emulator.Data.BillLines(day(prevFrom), day(prevTo)), nil)
			}

			addr := "data.fptcloud_bills.month"
			accTest(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(),
				Steps: []resource.TestStep{{
					Config: monthToDateConfig(env, args),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("from"), knownvalue.StringExact(day(from))),
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("forecast_total_price"), ratCheck(t, want.total)),
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("forecast_low"), ratCheck(t, want.low)),
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("forecast_high"), ratCheck(t, want.high)),
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("comparison"),
							comparisonCheck(t, cur, prev, day(prevFrom), day(prevTo), day(c))),
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("forecast_by_service"), sharesAddUpTo{want.total}),
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("forecast_low_by_service"), serviceEnds(t, want.lowBy)),
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("forecast_high_by_service"), serviceEnds(t, want.highBy)),
					},
				}},
			})
		})
	}
}

// sharesAddUpTo is a knownvalue.Check that a map of numbers adds up to a
// total exactly, each entry with at most 2 decimal places.
type sharesAddUpTo struct{ total *big.Rat }

func (c sharesAddUpTo) CheckValue(v any) error {
	shares, ok := v.(map[string]any)
	if !ok || len(shares) == 0 {
		return fmt.Errorf("not a map of shares: %v", v)
	}
	sum := new(big.Rat)
	for name, share := range shares {
		r, ok := new(big.Rat).SetString(fmt.Sprint(share))
		if !ok {
			return fmt.Errorf("%q: %v is not a number", name, share)
		}
		if cents := new(big.Rat).Mul(r, big.NewRat(100, 1)); !cents.IsInt() {
			return fmt.Errorf("%q: %v has more than 2 decimal places", name, share)
		}
		sum.Add(sum, r)
	}
	if sum.Cmp(c.total) != 0 {
		return fmt.Errorf("the shares add up to %s", sum.FloatString(2))
	}
	return nil
}

func (c sharesAddUpTo) String() string { return "shares adding up to " + c.total.FloatString(2) }

// serviceEnds expects each service's end of its interval exactly (the
// services the formula forecasts something for); for the linear method
// (want nil) only not null (it equals forecast_by_service, whose
// shares sharesAddUpTo checks).
func serviceEnds(t *testing.T, want map[string]*big.Rat) knownvalue.Check {
	if want == nil {
		return knownvalue.NotNull()
	}
	checks := map[string]knownvalue.Check{}
	for name, v := range want {
		if v.Sign() != 0 {
			checks[name] = ratCheck(t, v)
		}
	}
	return knownvalue.MapExact(checks)
}
