package provider

import (
	"math/big"
	"slices"
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
// formula, written out again here with plain big.Rat loops over the
// emulator's lines: it shares no code with the provider's forecast.

// expectedForecast is what the guide's formula gives.
type expectedForecast struct{ total, low, high *big.Rat }

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

// completeDaysForecast applies the guide's complete_days formula to the
// daily totals of the demo account at now, for month_to_date in +07:00:
// history from the 56 days before the 1st, data_through today (the
// emulator bills today's first line at 00:00).
func completeDaysForecast(t *testing.T, daily map[string]*big.Rat, now time.Time) expectedForecast {
	t.Helper()
	l := now.In(testPlus7)
	today := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, time.UTC)
	from := time.Date(l.Year(), l.Month(), 1, 0, 0, 0, 0, time.UTC)
	monthEnd := from.AddDate(0, 1, -1)
	historyFrom := from.AddDate(0, 0, -56)
	c := today.AddDate(0, 0, -1) // data_through is today
	x := func(d time.Time) *big.Rat {
		if v := daily[d.Format(time.DateOnly)]; v != nil {
			return v
		}
		return new(big.Rat)
	}
	days := func(a, b time.Time) []time.Time {
		var out []time.Time
		for d := a; !d.After(b); d = d.AddDate(0, 0, 1) {
			out = append(out, d)
		}
		return out
	}
	lastDays := func(n int) []time.Time {
		start := c.AddDate(0, 0, 1-n)
		if start.Before(historyFrom) {
			start = historyFrom
		}
		return days(start, c)
	}

	// Weekday profile over the last 56 complete days.
	f := map[time.Weekday]*big.Rat{}
	k := map[time.Weekday]int{}
	weekly := false
	window := lastDays(56)
	for w := range time.Weekday(7) {
		f[w] = big.NewRat(1, 1)
	}
	if len(window) >= 21 {
		byDay := map[time.Weekday][]*big.Rat{}
		for _, d := range window {
			byDay[d.Weekday()] = append(byDay[d.Weekday()], x(d))
			k[d.Weekday()]++
		}
		m := map[time.Weekday]*big.Rat{}
		mean := new(big.Rat)
		allZero := true
		for w := range time.Weekday(7) {
			m[w] = ratMedian(byDay[w])
			mean.Add(mean, m[w])
			allZero = allZero && m[w].Sign() == 0
		}
		mean.Quo(mean, big.NewRat(7, 1))
		if !allZero {
			profile := map[time.Weekday]*big.Rat{}
			for w := range time.Weekday(7) {
				profile[w] = new(big.Rat).Quo(m[w], mean)
				if profile[w].Sign() < 0 {
					profile[w] = new(big.Rat)
				}
			}
			var ys []*big.Rat
			for _, d := range window {
				if p := profile[d.Weekday()]; p.Sign() != 0 {
					ys = append(ys, new(big.Rat).Quo(x(d), p))
				}
			}
			mPrime, madPrime := ratMedian(ys), ratMAD(ys)
			if mPrime.Sign() <= 0 {
				t.Fatalf("the profile's median is %s: the test does not cover it", mPrime.FloatString(4))
			}
			kMin := len(window)
			for _, n := range k {
				kMin = min(kMin, n)
			}
			// |f − 1| > 3 × 1.2533 × 1.4826 × MAD' / (M' √k), squared.
			rhs := new(big.Rat).Mul(big.NewRat(3, 1), dec("1.2533"))
			rhs.Mul(rhs, dec("1.4826")).Mul(rhs, madPrime)
			rhs.Mul(rhs, rhs)
			for w := range time.Weekday(7) {
				lhs := new(big.Rat).Sub(profile[w], big.NewRat(1, 1))
				lhs.Mul(lhs, mPrime)
				lhs.Mul(lhs, lhs).Mul(lhs, big.NewRat(int64(kMin), 1))
				if lhs.Cmp(rhs) > 0 {
					weekly = true
				}
			}
			if weekly {
				f = profile
			}
		}
	}
	y := func(d time.Time) (*big.Rat, bool) {
		p := f[d.Weekday()]
		if p.Sign() == 0 {
			return nil, false
		}
		return new(big.Rat).Quo(x(d), p), true
	}
	ysOf := func(ds []time.Time) []*big.Rat {
		var out []*big.Rat
		for _, d := range ds {
			if v, ok := y(d); ok {
				out = append(out, v)
			}
		}
		return out
	}

	// Spread over the last 28 complete days.
	last28 := lastDays(28)
	s := new(big.Rat).Mul(dec("1.4826"), ratMAD(ysOf(last28)))

	// Level from the basis, one-offs left out.
	basis := lastDays(14)
	if rangeDays := days(from, c); len(rangeDays) >= 14 {
		basis = rangeDays
	}
	basisY := ysOf(basis)
	med := ratMedian(basisY)
	limit := new(big.Rat).Mul(big.NewRat(4, 1), s)
	if tenth := new(big.Rat).Quo(new(big.Rat).Abs(med), big.NewRat(10, 1)); tenth.Cmp(limit) > 0 {
		limit = tenth
	}
	level, n := new(big.Rat), 0
	for _, v := range basisY {
		if new(big.Rat).Abs(new(big.Rat).Sub(v, med)).Cmp(limit) <= 0 {
			level.Add(level, v)
			n++
		}
	}
	level.Quo(level, big.NewRat(int64(n), 1))
	b := new(big.Rat)
	for _, d := range basis {
		b.Add(b, big.NewRat(dayNumber(d), 1))
	}
	b.Quo(b, big.NewRat(int64(len(basis)), 1))

	// Drift: medians of the earlier and the later 14 of the last 28 days.
	g := new(big.Rat)
	if len(last28) == 28 {
		g.Sub(ratMedian(ysOf(last28[14:])), ratMedian(ysOf(last28[:14])))
		g.Quo(g, big.NewRat(14, 1))
	}

	// The forecast, over complete and remaining days.
	forecast, spent := new(big.Rat), new(big.Rat)
	for _, d := range days(from, today) {
		spent.Add(spent, x(d))
		if !d.After(c) {
			forecast.Add(forecast, x(d))
		}
	}
	sumF, sumF2, drift := new(big.Rat), new(big.Rat), new(big.Rat)
	remaining := map[time.Weekday]int64{}
	for _, d := range days(c.AddDate(0, 0, 1), monthEnd) {
		fd := f[d.Weekday()]
		e := new(big.Rat).Mul(level, fd)
		if !d.After(today) && x(d).Cmp(e) > 0 {
			e = x(d)
		}
		forecast.Add(forecast, e)
		sumF.Add(sumF, fd)
		sumF2.Add(sumF2, new(big.Rat).Mul(fd, fd))
		remaining[d.Weekday()]++
		dd := new(big.Rat).Sub(big.NewRat(dayNumber(d), 1), b)
		drift.Add(drift, dd.Mul(dd, fd))
	}
	drift.Mul(drift, g)
	under := new(big.Rat).Mul(sumF, sumF)
	under.Quo(under, big.NewRat(int64(n), 1)).Add(under, sumF2)
	if weekly {
		v := new(big.Rat)
		for w, cw := range remaining {
			term := new(big.Rat).Mul(f[w], f[w])
			term.Mul(term, big.NewRat(cw*cw, int64(k[w])))
			v.Add(v, term)
		}
		under.Add(under, v.Mul(v, dec("1.5708")))
	}
	half := new(big.Rat).Mul(dec("1.2816"), s)
	half.Mul(half, ratSqrt(under))
	low := new(big.Rat).Sub(forecast, half)
	if drift.Sign() < 0 {
		low.Add(low, drift)
	}
	if low.Cmp(spent) < 0 {
		low.Set(spent)
	}
	high := new(big.Rat).Add(forecast, half)
	if drift.Sign() > 0 {
		high.Add(high, drift)
	}
	t.Logf("%s: weekly %v, s %s, L %s over %d of %d days, g %s, half-width %s, drift %s",
		today.Format(time.DateOnly), weekly, s.FloatString(2), level.FloatString(2), n, len(basis),
		g.FloatString(2), half.FloatString(2), drift.FloatString(2))
	return expectedForecast{roundHalfAway(forecast), roundHalfAway(low), roundHalfAway(high)}
}

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
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			now := tc.now
			env := newTestEnv(t, emulator.Config{Now: func() time.Time { return now }})
			env.Clock = clock.Fixed(now)
			l := now.In(testPlus7)
			today := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, time.UTC)
			from := time.Date(l.Year(), l.Month(), 1, 0, 0, 0, 0, time.UTC)
			day := func(d time.Time) string { return d.Format(time.DateOnly) }

			lines := env.Emulator.Data.BillLines(day(from.AddDate(0, 0, -56)), day(today))
			daily := map[string]*big.Rat{}
			latest := ""
			for _, line := range lines {
				if daily[line.Day] == nil {
					daily[line.Day] = new(big.Rat)
				}
				daily[line.Day].Add(daily[line.Day], rat(line.TotalPrice.String()))
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
				want = expectedForecast{f, f, f}
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
			resource.UnitTest(t, resource.TestCase{
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
					},
				}},
			})
		})
	}
}
