package billing

import (
	"fmt"
	"math/big"
	"slices"
	"time"
)

// The forecast methods.
const (
	// ForecastMethodCompleteDays is ForecastFromDays.
	ForecastMethodCompleteDays = "complete_days"
	// ForecastMethodLinear is Forecast: the spend so far per elapsed
	// second, to the end of the month.
	ForecastMethodLinear = "linear"
)

// ForecastMethods lists the forecast method names, the default first.
var ForecastMethods = []string{ForecastMethodCompleteDays, ForecastMethodLinear}

// The windows of ForecastFromDays, in days.
const (
	// ForecastHistoryDays is how many days before from ForecastFromDays
	// can use: the caller reads them (like the spike baselines) and passes
	// them in Daily with HistoryFrom set to their first day.
	ForecastHistoryDays = 56
	// ForecastWeekdayMinDays is how many complete days (three weeks, so
	// at least three of each weekday) the weekday profile needs.
	ForecastWeekdayMinDays = 21
	// ForecastBasisDays is how many complete days the range needs for
	// its daily level to come from its own days alone; a younger range
	// takes it from this many of the latest complete days, days before
	// from included.
	ForecastBasisDays = 14
	// ForecastSpreadDays is how many of the latest complete days the
	// spread of daily spend (the interval's width) is measured on.
	ForecastSpreadDays = 28
)

// The constants of ForecastFromDays, as exact fractions.
var (
	// forecastZ is the standard normal's 90th percentile: ±z holds 80%.
	forecastZ = big.NewRat(12816, 10000)
	// madToSigma turns a median absolute deviation into a standard
	// deviation (1 / the normal's 75th percentile).
	madToSigma = big.NewRat(14826, 10000)
	// outlierSigmas is how many standard deviations from the median a day
	// may be before it counts as a one-off.
	outlierSigmas = big.NewRat(4, 1)
	// profileSigmas is 3 standard errors of a median (√(π/2) = 1.2533 of
	// the deviation over √k) per robust deviation (1.4826 × MAD).
	profileSigmas = big.NewRat(3*12533*14826, 10000*10000)
	// medianVariance is a median's variance per variance over the number
	// of values, π/2.
	medianVariance = big.NewRat(15708, 10000)
	// outlierFloor is the least distance from the median, as a share of
	// it, that counts as a one-off, for series too even to have a spread.
	outlierFloor = big.NewRat(1, 10)
)

// DayForecastInput is what ForecastFromDays reads.
type DayForecastInput struct {
	// Daily is the spend per day (YYYY-MM-DD, in the account's time zone,
	// over every service the data source keeps) of HistoryFrom..To. A day
	// of it without an entry spent 0.
	Daily map[string]Money
	// HistoryFrom is the first day of Daily: up to ForecastHistoryDays
	// before From. "" means From (no history).
	HistoryFrom string
	// From and To are the range (YYYY-MM-DD, inclusive).
	From, To string
	// DataThrough is the latest day with a line in anything read (range
	// and history); "" when there is none. See LastCompleteDay.
	DataThrough string
	Now         time.Time
	Loc         *time.Location
}

// DayForecast is a forecast of the month's spend with its 80% interval.
type DayForecast struct {
	Total, Low, High Money
	// Spent is the spend of the range's complete days.
	Spent Money
	// CompleteThrough is the last complete day (see LastCompleteDay), ""
	// when none is.
	CompleteThrough string
	// Level is the expected spend of an average day (L below), rounded
	// to ForecastDecimals.
	Level Money
	// Weekly says whether the weekday profile was used.
	Weekly bool
	// BasisDays is how many days L is the mean of; Dropped how many of
	// the basis were left out as one-offs.
	BasisDays, Dropped int
	// RemainingDays counts the days of the range's month after
	// CompleteThrough, today included.
	RemainingDays int
	// Linear says the forecast fell back to Forecast: no complete day was
	// known.
	Linear bool
}

// ForecastFromDays forecasts the spend of the range From..To extended to
// the last day of To's month, the same span as Forecast, from complete days
// only, robust to one-off charges, with an 80% prediction interval. It is a
// function of the daily totals and of today's date: the clock's hours and
// seconds never change it.
//
// While the range has not started (today before From) or is over (today
// after To), the forecast is the range's total and the interval has no
// width. Otherwise, with c the last complete day (LastCompleteDay: before
// today and before DataThrough), the days up to c are complete; every later
// day up to the month's end is a remaining day R, today included:
//
//	forecast = Σ x(d), d from From to c                (complete days)
//	         + Σ max(x(d), E(d)), d in R up to today   (days still billing)
//	         + Σ E(d), d in R after today
//
// where x(d) is the day's spend in Daily and E(d) = L × f(weekday of d) is
// the expected spend of a full day. A day still billing counts what it has
// billed already when that is more than expected (its lines only add up;
// a one-off charge today is counted once), else what is expected (a day
// half billed is not taken as a cheap day).
//
// Weekday profile. Over the last 56 complete days at most (of
// HistoryFrom..c), when there are at least 21 (three weeks): m(w) is the
// median of the days of weekday w, and f(w) = m(w) / mean of the seven m
// (0 where negative). It is kept only when it stands out of the noise: some
// |f(w) − 1| > 3 × 1.2533 × 1.4826 × MAD' / (M' × √k), three standard
// errors of a median, where M' and MAD' are the median and the median
// absolute deviation of those days each divided by its f, and k is the
// fewest days of a weekday. Otherwise (and with fewer days, or when every m
// is 0) f = 1 for all days. A day's deseasonalised spend is y(d) = x(d) /
// f(weekday of d); days of a weekday with f = 0 are left out of what
// follows.
//
// Spread. s = 1.4826 × the median absolute deviation of y from its median
// over the last 28 complete days (a robust standard deviation).
//
// Level L. The basis is the range's complete days when it has at least 14,
// else the last 14 complete days, days before From included. With M the
// median of y over the basis, a day with |y − M| > max(4 × s, |M| / 10) is a
// one-off and left out; L is the mean of y over the n days kept.
//
// Interval. Treating the remaining days' deviations as independent, and the level's error as that of a mean of n days,
//
//	half-width = 1.2816 × s × √( Σ f(d)² + (Σ f(d))² / n + V ),  d in R
//
// where V = 0, or with the weekday profile (its own error, a median of k(w)
// days for each weekday w) V = 1.5708 × Σ c(w)² × f(w)² / k(w), c(w) the
// remaining days of weekday w. The level may also keep moving as it moved:
// with A and B the medians of y over the earlier and the later 14 of those
// 28 days (0 with fewer than 28), g = (B − A) / 14 a day, and the drift
//
//	D = g × Σ f(d) × (d − b),  d in R, b the mean day of the basis
//
// widens the interval on its side only:
//
//	low  = max(forecast − half-width + min(D, 0), Σ x(d) for d from From to today)
//	high = forecast + half-width + max(D, 0)
//
// (1.2816 is the normal distribution's 90th percentile, so 80% falls within
// ±half-width.) Forecast, low and high are rounded half away from zero to
// ForecastDecimals places; everything before is exact (big.Rat), but for the
// square root, taken to 256 bits.
//
// When no day is complete (no data, or none of it finished), the forecast is
// Forecast's linear one of the range's total and the interval has no width.
func ForecastFromDays(in DayForecastInput) (DayForecast, error) {
	if in.Loc == nil {
		return DayForecast{}, fmt.Errorf("the forecast needs a time zone")
	}
	if err := CheckRange(in.From, in.To); err != nil {
		return DayForecast{}, err
	}
	historyFrom := in.HistoryFrom
	if historyFrom == "" {
		historyFrom = in.From
	}
	if _, err := ParseDate(historyFrom); err != nil || historyFrom > in.From {
		return DayForecast{}, fmt.Errorf("the history starts on %q, not a day on or before %s", in.HistoryFrom, in.From)
	}
	amount := func(day string) Money { return in.Daily[day] }
	rangeDays, _ := DaysOf(DayRange{From: in.From, To: in.To}) // checked above
	total := Money{}
	for _, d := range rangeDays {
		total = total.Add(amount(d))
	}
	today := Today(in.Now, in.Loc)
	if today < in.From || today > in.To {
		out := DayForecast{Total: total, Low: total, High: total, Spent: total}
		if today > in.To {
			out.CompleteThrough = in.To
		}
		return out, nil
	}
	last, err := LastCompleteDay(in.Now, in.Loc, in.DataThrough)
	if err != nil {
		return DayForecast{}, err
	}
	out := DayForecast{CompleteThrough: last}
	// The complete days read, oldest first.
	var complete []string
	if last >= historyFrom {
		complete, _ = DaysOf(DayRange{From: historyFrom, To: last})
	}
	if len(complete) == 0 {
		f, err := Forecast(total, in.From, in.To, in.Now, in.Loc)
		if err != nil {
			return DayForecast{}, err
		}
		out.Total, out.Low, out.High, out.Linear = f, f, f, true
		return out, nil
	}
	factors, weekly, counts := weekdayProfile(complete[max(0, len(complete)-ForecastHistoryDays):], amount)
	out.Weekly = weekly
	// Deseasonalised spend of the complete days that have a profile.
	type point struct {
		day string
		y   *big.Rat
	}
	deseason := func(days []string) []point {
		var pts []point
		for _, d := range days {
			f := factors[weekdayOf(d)]
			if f.Sign() == 0 {
				continue
			}
			pts = append(pts, point{d, new(big.Rat).Quo(amount(d).Rat(), f)})
		}
		return pts
	}
	var basisDays []string
	for _, d := range complete {
		if d >= in.From {
			basisDays = append(basisDays, d)
		}
	}
	if len(basisDays) < ForecastBasisDays {
		basisDays = complete[max(0, len(complete)-ForecastBasisDays):]
	}
	spreadDays := complete[max(0, len(complete)-ForecastSpreadDays):]
	var spread, earlier, later []*big.Rat
	for _, p := range deseason(spreadDays) {
		spread = append(spread, p.y)
		if p.day < spreadDays[len(spreadDays)/2] {
			earlier = append(earlier, p.y)
		} else {
			later = append(later, p.y)
		}
	}
	sigma := new(big.Rat).Mul(madToSigma, medianAbsDeviation(spread, ratMedian(spread)))
	// The drift a day: how far the later half of the spread window moved
	// from the earlier, medians, per day between them.
	drift := new(big.Rat)
	if len(spreadDays) == ForecastSpreadDays && len(earlier) > 0 && len(later) > 0 {
		drift.Sub(ratMedian(later), ratMedian(earlier))
		drift.Quo(drift, big.NewRat(ForecastSpreadDays/2, 1))
	}

	basis := deseason(basisDays)
	ys := make([]*big.Rat, len(basis))
	for i, p := range basis {
		ys[i] = p.y
	}
	level, kept := clippedMean(ys, sigma)
	out.BasisDays, out.Dropped = kept, len(ys)-kept
	out.Level = MoneyFromRat(level, ForecastDecimals)

	// The range's complete days, then the remaining days to the month's end.
	for _, d := range rangeDays {
		if d > last {
			break
		}
		out.Spent = out.Spent.Add(amount(d))
	}
	forecast, known := out.Spent.Rat(), out.Spent.Rat()
	t, _ := ParseDate(in.To)
	monthEnd := time.Date(t.Year(), t.Month()+1, 0, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
	first := in.From
	if n := nextDay(last); n > first {
		first = n
	}
	sumF, sumF2 := new(big.Rat), new(big.Rat)
	var perWeekday [7]int
	// The basis's middle day and the drift's sum over the remaining days:
	// Σ f(d) × (d − middle).
	middle := new(big.Rat)
	for _, d := range basisDays {
		middle.Add(middle, big.NewRat(dayNumber(d), 1))
	}
	middle.Quo(middle, big.NewRat(int64(max(1, len(basisDays))), 1))
	drifted := new(big.Rat)
	remaining, _ := DaysOf(DayRange{From: first, To: monthEnd})
	for _, d := range remaining {
		f := factors[weekdayOf(d)]
		expected := new(big.Rat).Mul(level, f)
		if d <= today {
			x := amount(d).Rat()
			known.Add(known, x)
			if x.Cmp(expected) > 0 {
				expected = x
			}
		}
		forecast.Add(forecast, expected)
		sumF.Add(sumF, f)
		sumF2.Add(sumF2, new(big.Rat).Mul(f, f))
		perWeekday[weekdayOf(d)]++
		distance := new(big.Rat).Sub(big.NewRat(dayNumber(d), 1), middle)
		drifted.Add(drifted, distance.Mul(distance, f))
	}
	drifted.Mul(drifted, drift)
	out.RemainingDays = len(remaining)
	variance := new(big.Rat).Mul(sumF, sumF)
	if kept > 0 {
		variance.Quo(variance, big.NewRat(int64(kept), 1))
	}
	variance.Add(variance, sumF2)
	if weekly {
		// The factors' own error: π/2 × Σ c(w)² × f(w)² / k(w).
		for w, c := range perWeekday {
			if c > 0 && counts[w] > 0 {
				t := new(big.Rat).Mul(factors[w], big.NewRat(int64(c), 1))
				t.Mul(t, t)
				t.Quo(t, big.NewRat(int64(counts[w]), 1))
				variance.Add(variance, t.Mul(t, medianVariance))
			}
		}
	}
	half := new(big.Rat).Mul(forecastZ, sigma)
	half.Mul(half, ratSqrt(variance))
	low := new(big.Rat).Sub(forecast, half)
	high := new(big.Rat).Add(forecast, half)
	if drifted.Sign() < 0 {
		low.Add(low, drifted)
	} else {
		high.Add(high, drifted)
	}
	if low.Cmp(known) < 0 {
		low = known
	}
	out.Total = MoneyFromRat(forecast, ForecastDecimals)
	out.Low = MoneyFromRat(low, ForecastDecimals)
	out.High = MoneyFromRat(high, ForecastDecimals)
	return out, nil
}

// weekdayProfile is f(w) of ForecastFromDays for days (consecutive,
// complete), whether it is a weekly one (all ones when not), and how many
// days of each weekday it is taken from.
func weekdayProfile(days []string, amount func(string) Money) ([7]*big.Rat, bool, [7]int) {
	var flat [7]*big.Rat
	for i := range flat {
		flat[i] = big.NewRat(1, 1)
	}
	var byWeekday [7][]*big.Rat
	var counts [7]int
	for _, d := range days {
		w := weekdayOf(d)
		byWeekday[w] = append(byWeekday[w], amount(d).Rat())
		counts[w]++
	}
	if len(days) < ForecastWeekdayMinDays {
		return flat, false, counts
	}
	var medians [7]*big.Rat
	sum := new(big.Rat)
	for w := range byWeekday {
		medians[w] = ratMedian(byWeekday[w])
		sum.Add(sum, medians[w])
	}
	if sum.Sign() <= 0 {
		return flat, false, counts
	}
	var factors [7]*big.Rat
	for w, m := range medians {
		// m / (sum / 7)
		factors[w] = new(big.Rat).Quo(new(big.Rat).Mul(m, big.NewRat(7, 1)), sum)
		if factors[w].Sign() < 0 { // credits on a weekday: no negative expectations
			factors[w] = new(big.Rat)
		}
	}
	// The profile must stand out of the noise: some factor farther from 1
	// than 3 standard errors of a weekday's median, 3 × 1.2533 × S / (M ×
	// √k), with M and S the median and robust deviation of the days
	// deseasonalised by it and k the fewest days of a weekday. Squared, to
	// stay exact: (f − 1)² × k × M² > (3 × 1.2533 × 1.4826)² × MAD².
	var ys []*big.Rat
	for _, d := range days {
		if f := factors[weekdayOf(d)]; f.Sign() != 0 {
			ys = append(ys, new(big.Rat).Quo(amount(d).Rat(), f))
		}
	}
	m := ratMedian(ys)
	limit := new(big.Rat).Mul(profileSigmas, medianAbsDeviation(ys, m))
	limit.Mul(limit, limit)
	k := slices.Min(counts[:])
	for _, f := range factors {
		d := new(big.Rat).Sub(f, big.NewRat(1, 1))
		d.Mul(d, d)
		d.Mul(d, new(big.Rat).Mul(big.NewRat(int64(k), 1), new(big.Rat).Mul(m, m)))
		if d.Cmp(limit) > 0 {
			return factors, true, counts
		}
	}
	return flat, false, counts
}

// clippedMean is the mean of values once those farther from their median
// than max(4 × sigma, |median| / 10) are left out, and how many
// were kept; 0 and 0 for none.
func clippedMean(values []*big.Rat, sigma *big.Rat) (*big.Rat, int) {
	if len(values) == 0 {
		return new(big.Rat), 0
	}
	m := ratMedian(values)
	limit := new(big.Rat).Mul(outlierSigmas, sigma)
	floor := new(big.Rat).Mul(outlierFloor, new(big.Rat).Abs(m))
	if limit.Cmp(floor) < 0 {
		limit = floor
	}
	sum, kept := new(big.Rat), 0
	for _, v := range values {
		if new(big.Rat).Abs(new(big.Rat).Sub(v, m)).Cmp(limit) <= 0 {
			sum.Add(sum, v)
			kept++
		}
	}
	// The median itself is always kept: kept > 0.
	return sum.Quo(sum, big.NewRat(int64(kept), 1)), kept
}

// ratMedian is the middle value, or the mean of the two middle ones; 0 for
// none. values is not changed.
func ratMedian(values []*big.Rat) *big.Rat {
	if len(values) == 0 {
		return new(big.Rat)
	}
	s := slices.Clone(values)
	slices.SortFunc(s, func(a, b *big.Rat) int { return a.Cmp(b) })
	mid := len(s) / 2
	if len(s)%2 == 1 {
		return new(big.Rat).Set(s[mid])
	}
	sum := new(big.Rat).Add(s[mid-1], s[mid])
	return sum.Quo(sum, big.NewRat(2, 1))
}

// medianAbsDeviation is the median of |v − m| over values.
func medianAbsDeviation(values []*big.Rat, m *big.Rat) *big.Rat {
	dev := make([]*big.Rat, len(values))
	for i, v := range values {
		dev[i] = new(big.Rat).Abs(new(big.Rat).Sub(v, m))
	}
	return ratMedian(dev)
}

// ratSqrt is √r for r ≥ 0, to 256 bits, as an exact fraction of that float.
func ratSqrt(r *big.Rat) *big.Rat {
	if r.Sign() <= 0 {
		return new(big.Rat)
	}
	f := new(big.Float).SetPrec(256).SetRat(r)
	out, _ := new(big.Float).SetPrec(256).Sqrt(f).Rat(nil)
	return out
}

// dayNumber counts the days from 1970-01-01 to a YYYY-MM-DD day known to
// parse.
func dayNumber(day string) int64 {
	d, _ := ParseDate(day)
	return d.Unix() / 86400
}

// weekdayOf is the weekday of a YYYY-MM-DD day known to parse.
func weekdayOf(day string) time.Weekday {
	d, _ := ParseDate(day)
	return d.Weekday()
}
