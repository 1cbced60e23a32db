package billing

import (
	"cmp"
	"math/big"
	"slices"
	"time"
)

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
// than max(4 × sigma, |median| / 10) are left out, sigma² given as sigma2,
// and how many were kept; the median and their number when none is; 0 and
// 0 for no values.
func clippedMean(values []*big.Rat, sigma2 *big.Rat) (*big.Rat, int) {
	if len(values) == 0 {
		return new(big.Rat), 0
	}
	m := ratMedian(values)
	sum, kept := new(big.Rat), 0
	for _, v := range values {
		if !isOneOff(v, m, sigma2) {
			sum.Add(sum, v)
			kept++
		}
	}
	if kept == 0 {
		// Every value is far from the median, as two far apart are: the
		// median stands for them all.
		return m, len(values)
	}
	return sum.Quo(sum, big.NewRat(int64(kept), 1)), kept
}

// isOneOff reports whether v is farther from m than max(4 × sigma, |m| /
// 10), sigma² given as sigma2; squared, to stay exact: (v − m)² > max(16 ×
// sigma², m² / 100).
func isOneOff(v, m, sigma2 *big.Rat) bool {
	limit := new(big.Rat).Mul(new(big.Rat).Mul(outlierSigmas, outlierSigmas), sigma2)
	floor := new(big.Rat).Mul(outlierFloor, m)
	floor.Mul(floor, floor)
	if limit.Cmp(floor) < 0 {
		limit = floor
	}
	d := new(big.Rat).Sub(v, m)
	return d.Mul(d, d).Cmp(limit) > 0
}

// ratMedian is the middle value, or the mean of the two middle ones; 0 for
// none. values is not changed.
func ratMedian(values []*big.Rat) *big.Rat {
	if len(values) == 0 {
		return new(big.Rat)
	}
	// Ordered by their float values, exactly where those tie: the same
	// order as by the exact values, for fewer exact comparisons.
	type keyed struct {
		f float64
		r *big.Rat
	}
	k := make([]keyed, len(values))
	for i, v := range values {
		f, _ := v.Float64()
		k[i] = keyed{f, v}
	}
	slices.SortFunc(k, func(a, b keyed) int {
		if a.f != b.f {
			return cmp.Compare(a.f, b.f)
		}
		return a.r.Cmp(b.r)
	})
	s := make([]*big.Rat, len(k))
	for i := range k {
		s[i] = k[i].r
	}
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
