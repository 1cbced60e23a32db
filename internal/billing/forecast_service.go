package billing

import (
	"math"
	"math/big"
	"slices"
	"strconv"
)

// The windows of the change tests of ForecastFromDays, in days.
const (
	// ForecastShiftMinDays is the fewest days after a level shift that
	// ForecastFromDays takes as one: a single day apart is a one-off.
	ForecastShiftMinDays = 3
	// ForecastShiftBeforeDays is the fewest days before a level shift.
	ForecastShiftBeforeDays = 7
	// ForecastTrendMinDays is the fewest days a trend is measured over.
	ForecastTrendMinDays = 14
	// ForecastGrowthDecimals is how many decimal places a trend's growth
	// a day is rounded to.
	ForecastGrowthDecimals = 6
)

// The model choice's penalties, in robust standard deviations of a day
// (σ): the sum of absolute deviations a shift or a trend must save over a
// steady level to be taken. They weigh a decision, never an amount, so
// they are plain numbers.
const (
	shiftPenalty = 6.0
	trendPenalty = 6.0
)

// The kinds of level a service's forecast rests on.
const (
	FitSteady = "steady"
	FitShift  = "shift"
	FitTrend  = "trend"
	// FitRate is a lumpy or bursty service (billed every few days, or
	// with heavy-tailed days): its level is the mean of its days, one-offs
	// kept, and its noise their spread.
	FitRate = "rate"
)

// rateOneOffShare is the share of a basis's days that must be one-offs
// above the median for the days to be a bursty series, forecast at their
// mean (FitRate): a fifth, three of 14 days, where a single one-off (one
// of 14, the backtest's one-off class) stays a one-off.
var rateOneOffShare = big.NewRat(1, 5)

// ServiceFit is how ForecastFromDays models one service's days.
type ServiceFit struct {
	// Kind is FitSteady, FitShift (a lasting change of level: the level
	// is taken from the days since ShiftFrom) or FitTrend (a steady
	// growth or decline, Trend a day, after ShiftFrom when it is set).
	Kind string
	// ShiftFrom is the first day at the new level after a shift, "" for none.
	ShiftFrom string
	// Days is how many days the level rests on.
	Days int
	// Growth is the trend's factor a day (1 without a trend).
	Growth string
}

// seriesPoint is one complete day of a service, deseasonalised.
type seriesPoint struct {
	day string
	t   int64    // dayNumber(day)
	y   *big.Rat // x(day) / f(weekday)
	yf  float64  // y, for the model choice only
}

// serviceModel is a service's fitted level: E(d) = level × growth^(d −
// center) × f(weekday of d), d and center day numbers.
type serviceModel struct {
	fit           ServiceFit
	level, growth *big.Rat
	center        int64
	kept, dropped int
	// sigma2 is σ², the variance of a day at the level; relative is σ²
	// over level².
	sigma2, relative *big.Rat
	// slopeVar is the variance of the log growth a day over the relative
	// variance, 0 without a trend; slopeFrom the middle day of the trend's
	// days, from which its error grows.
	slopeVar, slopeFrom *big.Rat
	// possible is the level of a possible shift (the basis's last two
	// days, both one-offs on the same side), nil for none.
	possible *big.Rat
}

// fitService models pts (a service's complete days with a profile, oldest
// first, at least one): a steady level, a shift or a trend, whichever
// explains the days best once penalised (see ForecastFromDays).
func fitService(all []seriesPoint, from string) serviceModel {
	m := serviceModel{fit: ServiceFit{Kind: FitSteady}, growth: big.NewRat(1, 1), slopeVar: new(big.Rat), slopeFrom: new(big.Rat)}
	pts := all
	if len(pts) == 0 {
		m.level, m.sigma2, m.relative = new(big.Rat), new(big.Rat), new(big.Rat)
		return m
	}
	ys := make([]float64, len(pts))
	for i, p := range pts {
		ys[i] = p.yf
	}
	// The model choice weighs deviations against the noise of the days
	// as they are.
	sigma := floatNoise(ys)
	best := absDeviations(ys, floatMedian(ys))
	seg := pts
	trend := false
	k, score := bestShift(ys)
	if k > 0 && score+shiftPenalty*sigma < best {
		best = score + shiftPenalty*sigma
		seg = pts[len(pts)-k:]
		// A later shift within the days after it (a staircase: a step
		// at each month's 1st): the latest level, each shift paying the
		// penalty again.
		before := ys[:len(ys)-k]
		earlier := absDeviations(before, floatMedian(before))
		for shifts := 2; ; shifts++ {
			segYs := ys[len(ys)-len(seg):]
			k2, s2 := bestShift(segYs)
			total := earlier + s2 + float64(shifts)*shiftPenalty*sigma
			if k2 == 0 || total >= best {
				break
			}
			part := segYs[:len(segYs)-k2]
			earlier += absDeviations(part, floatMedian(part))
			best, seg = total, seg[len(seg)-k2:]
		}
		m.fit = ServiceFit{Kind: FitShift, ShiftFrom: seg[0].day}
	}
	if dev, ok := trendDeviations(pts); ok && dev+trendPenalty*sigma < best {
		seg, trend = pts, true
		m.fit = ServiceFit{Kind: FitTrend}
	} else if m.fit.Kind == FitShift {
		// A trend after the shift.
		segYs := ys[len(ys)-len(seg):]
		dev, ok := trendDeviations(seg)
		trend = ok && dev+trendPenalty*sigma < absDeviations(segYs, floatMedian(segYs))
		if trend {
			m.fit.Kind = FitTrend
		}
	}
	var basis []seriesPoint
	switch {
	case trend:
		basis = seg[max(0, len(seg)-ForecastBasisDays):]
		m.growth = growthRate(seg)
		n := int64(len(seg))
		m.slopeVar = big.NewRat(12, n*(n*n-1))
		// The slope's error grows with the distance from the middle of
		// the days it was measured on.
		m.slopeFrom = new(big.Rat).SetFrac64(seg[0].t+seg[len(seg)-1].t, 2)
	case m.fit.Kind == FitShift:
		basis = seg
	default:
		for _, p := range all {
			if p.day >= from {
				basis = append(basis, p)
			}
		}
		if len(basis) < ForecastBasisDays {
			basis = all[max(0, len(all)-ForecastBasisDays):]
		}
	}
	m.center = basis[len(basis)-1].t
	values := make([]*big.Rat, len(basis))
	for i, p := range basis {
		// y brought to the basis's last day by the growth.
		values[i] = new(big.Rat).Mul(p.y, ratPow(m.growth, m.center-p.t))
	}
	// The noise: relative to each part's median, the days before a shift
	// apart from those after it.
	parts := [][]seriesPoint{pts}
	if m.fit.ShiftFrom != "" {
		parts = [][]seriesPoint{pts[:len(pts)-len(seg)], seg}
	}
	m.relative = noiseVariance(parts, ratMedian)
	// One-offs are told by the noise at the basis's median.
	median := ratMedian(values)
	clip := new(big.Rat).Mul(m.relative, new(big.Rat).Mul(median, median))
	if !trend && m.fit.Kind != FitShift && (isIntermittent(pts) || isBursty(values, median, clip)) {
		return rateModel(m, pts)
	}
	m.level, m.kept = clippedMean(values, clip)
	// A possible shift: the basis's last two days both one-offs, on the
	// same side. Too young to take, but the interval holds their level.
	if n := len(values); n >= 2 && m.kept < n {
		a, b := values[n-2], values[n-1]
		if isOneOff(a, median, clip) && isOneOff(b, median, clip) && a.Cmp(median) == b.Cmp(median) {
			m.possible = new(big.Rat).Add(a, b)
			m.possible.Quo(m.possible, big.NewRat(2, 1))
		}
	}
	m.sigma2 = new(big.Rat).Mul(m.relative, new(big.Rat).Mul(m.level, m.level))
	m.dropped = len(values) - m.kept
	m.fit.Days = m.kept
	m.fit.Growth = m.growth.FloatString(ForecastGrowthDecimals)
	return m
}

// noiseVariance is σ² of a day: (1.4826 × the median absolute deviation of
// the day-to-day differences of y from their median)² / 2, which neither a
// one-off, a shift nor a trend moves much. The differences are taken
// within each part, each divided by scale of the part's values when scale
// is given (and left out where that is 0). 0 with fewer than two
// differences.
func noiseVariance(parts [][]seriesPoint, scale func([]*big.Rat) *big.Rat) *big.Rat {
	var diffs []*big.Rat
	for _, part := range parts {
		by := big.NewRat(1, 1)
		if scale != nil {
			ys := make([]*big.Rat, len(part))
			for i, p := range part {
				ys[i] = p.y
			}
			if by = scale(ys); by.Sign() == 0 {
				continue
			}
		}
		for i := 1; i < len(part); i++ {
			d := new(big.Rat).Sub(part[i].y, part[i-1].y)
			diffs = append(diffs, d.Quo(d, by))
		}
	}
	if len(diffs) < 2 {
		return new(big.Rat)
	}
	s := new(big.Rat).Mul(madToSigma, medianAbsDeviation(diffs, ratMedian(diffs)))
	s.Mul(s, s)
	return s.Quo(s, big.NewRat(2, 1))
}

// floatNoise is noiseVariance's σ of ys, unscaled, in floats: for the
// model choice only.
func floatNoise(ys []float64) float64 {
	if len(ys) < 3 {
		return 0
	}
	diffs := make([]float64, len(ys)-1)
	for i := range diffs {
		diffs[i] = ys[i+1] - ys[i]
	}
	m := floatMedian(diffs)
	for i, d := range diffs {
		diffs[i] = math.Abs(d - m)
	}
	return 1.4826 * floatMedian(diffs) / math.Sqrt2
}

// ratPow is r^n for an integer n (r ≠ 0 when n < 0).
func ratPow(r *big.Rat, n int64) *big.Rat {
	base := new(big.Rat).Set(r)
	if n < 0 {
		base.Inv(base)
		n = -n
	}
	out := big.NewRat(1, 1)
	for ; n > 0; n >>= 1 {
		if n&1 == 1 {
			out.Mul(out, base)
		}
		base.Mul(base, base)
	}
	return out
}

// bestShift is the split of ys (oldest first) into a before and an after
// part, the after part the last k ≥ ForecastShiftMinDays days and the
// before part at least ForecastShiftBeforeDays, with the least sum of
// absolute deviations from each part's median, among the splits whose
// after part is consistently shifted: at most k/5 (rounded down) of its
// days on the before part's side of the midpoint of the two medians; 0
// when none is.
func bestShift(ys []float64) (int, float64) {
	bestK, best := 0, math.Inf(1)
	for k := ForecastShiftMinDays; k <= len(ys)-ForecastShiftBeforeDays; k++ {
		before, after := ys[:len(ys)-k], ys[len(ys)-k:]
		a, b := floatMedian(before), floatMedian(after)
		s := absDeviations(before, a) + absDeviations(after, b)
		if a == b {
			continue
		}
		mid, wrong := (a+b)/2, 0
		for _, y := range after {
			if (y-mid)*(b-a) <= 0 {
				wrong++
			}
		}
		if wrong <= k/5 && s < best {
			bestK, best = k, s
		}
	}
	return bestK, best
}

// logSlope is the Theil–Sen slope of log y over pts: the median of the
// slopes between every two days; false when a day is not above 0.
func logSlope(pts []seriesPoint) (float64, bool) {
	logs := make([]float64, len(pts))
	for i, p := range pts {
		if p.yf <= 0 {
			return 0, false
		}
		logs[i] = math.Log(p.yf)
	}
	slopes := make([]float64, 0, len(pts)*(len(pts)-1)/2)
	for i := range pts {
		for j := i + 1; j < len(pts); j++ {
			slopes = append(slopes, (logs[j]-logs[i])/float64(pts[j].t-pts[i].t))
		}
	}
	return floatMedian(slopes), len(slopes) > 0
}

// growthRate is the growth a day of pts: e^(logSlope), rounded half away
// from zero to ForecastGrowthDecimals places.
func growthRate(pts []seriesPoint) *big.Rat {
	g, _ := logSlope(pts)
	q, _ := new(big.Rat).SetString(strconv.FormatFloat(math.Exp(g), 'f', -1, 64))
	return MoneyFromRat(q, ForecastGrowthDecimals).Rat()
}

// trendDeviations is the sum of absolute deviations of pts from their
// growth curve y = A × e^(g × t), g the Theil–Sen slope of log y and A
// the median of y × e^(−g × t); false when there is none: fewer than
// ForecastTrendMinDays days, or a day not above 0.
func trendDeviations(pts []seriesPoint) (float64, bool) {
	if len(pts) < ForecastTrendMinDays {
		return 0, false
	}
	g, ok := logSlope(pts)
	if !ok {
		return 0, false
	}
	rest := make([]float64, len(pts))
	for i, p := range pts {
		rest[i] = p.yf * math.Exp(-g*float64(p.t-pts[0].t))
	}
	a := floatMedian(rest)
	sum := 0.0
	for _, p := range pts {
		sum += math.Abs(p.yf - a*math.Exp(g*float64(p.t-pts[0].t)))
	}
	return sum, true
}

// floatMedian is the middle value of values, or the mean of the two
// middle ones; 0 for none.
func floatMedian(values []float64) float64 {
	if len(values) == 0 {
		return 0
	}
	s := slices.Clone(values)
	slices.Sort(s)
	mid := len(s) / 2
	if len(s)%2 == 1 {
		return s[mid]
	}
	return (s[mid-1] + s[mid]) / 2
}

// absDeviations is Σ |v − m|.
func absDeviations(values []float64, m float64) float64 {
	sum := 0.0
	for _, v := range values {
		sum += math.Abs(v - m)
	}
	return sum
}

// isIntermittent reports whether a service is billed every few days: the
// median of its days is 0 while at least 3 days are above 0 (one or two
// are one-offs).
func isIntermittent(pts []seriesPoint) bool {
	ys := make([]*big.Rat, len(pts))
	billed := 0
	for i, p := range pts {
		ys[i] = p.y
		if p.y.Sign() > 0 {
			billed++
		}
	}
	return billed >= 3 && ratMedian(ys).Sign() == 0
}

// isBursty reports whether a basis has heavy-tailed days: at least 3, and
// at least rateOneOffShare of its days, one-offs above its median.
func isBursty(values []*big.Rat, median, clip *big.Rat) bool {
	if median.Sign() <= 0 {
		return false
	}
	above := 0
	for _, v := range values {
		if v.Cmp(median) > 0 && isOneOff(v, median, clip) {
			above++
		}
	}
	share := new(big.Rat).Mul(rateOneOffShare, big.NewRat(int64(len(values)), 1))
	return above >= 3 && big.NewRat(int64(above), 1).Cmp(share) >= 0
}

// rateModel is m for a bursty service: the level is the mean of all of pts
// (every day of the window, so that a service billed every nine days is
// seen several times), one-offs kept; σ² is their sample variance; no
// shift, trend or possible shift.
func rateModel(m serviceModel, pts []seriesPoint) serviceModel {
	n := int64(len(pts))
	sum := new(big.Rat)
	for _, p := range pts {
		sum.Add(sum, p.y)
	}
	mean := new(big.Rat).Quo(sum, big.NewRat(n, 1))
	ss := new(big.Rat)
	for _, p := range pts {
		d := new(big.Rat).Sub(p.y, mean)
		ss.Add(ss, d.Mul(d, d))
	}
	if n > 1 {
		ss.Quo(ss, big.NewRat(n-1, 1))
	}
	m.fit = ServiceFit{Kind: FitRate, Days: int(n), Growth: "1.000000"}
	m.level, m.kept, m.dropped = mean, int(n), 0
	m.growth, m.slopeVar, m.slopeFrom, m.possible = big.NewRat(1, 1), new(big.Rat), new(big.Rat), nil
	m.center = pts[len(pts)-1].t
	m.sigma2 = ss
	m.relative = new(big.Rat)
	if mean.Sign() != 0 {
		m.relative = new(big.Rat).Quo(ss, new(big.Rat).Mul(mean, mean))
	}
	return m
}
