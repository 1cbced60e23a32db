package billing

import (
	"math"
	"math/big"
	"slices"
	"strconv"
)

// The windows of the change tests of ForecastFromDays, in days. Each says
// why it has its value and which figure of the forecasting guide's
// backtest tables (templates/guides/forecasting.md.tmpl, written by
// cmd/fptcloud-backtest; class and column) it moves. Figures "measured"
// here are settled points of `go run ./cmd/fptcloud-backtest -day-step 3
// -seeds 1 -class CLASS` (the guide's run size: cells of 6 to 164 points,
// where one point moves a cell's coverage by 0.6 to 17 points) with the
// constant changed and nothing else; the others are stated qualitatively.
const (
	// ForecastShiftMinDays is the fewest days after a level shift that
	// ForecastFromDays takes as one: a single day apart is a one-off, and
	// two days may be a two-day charge (the possible shift, L', widens the
	// interval for those instead). Three is also the backtest's
	// SettledDays: a point counts as settled 3 complete days after a
	// change. Raising it keeps the forecast at the old level longer after
	// a step: it moves "MAPE complete days" and "missed alarms complete
	// days" of the step classes ("step up/down, one service", "step
	// up/down, whole account", "one team's read") in days 4–7; lowering
	// it lets the last two large days of "heavy-tailed days" pass for a
	// shift.
	ForecastShiftMinDays = 3
	// ForecastShiftBeforeDays is the fewest days before a level shift: a
	// week, so the before part's median sees every weekday. In the
	// backtest it binds only in "a staircase of monthly steps" (steps at
	// the window's start, and later shifts that need a week before them
	// within the days after the first): it can move that class's "MAPE
	// complete days". The single steps of the backtest are at most 48
	// days old, so at least 8 days of the 56-day window precede them.
	ForecastShiftBeforeDays = 7
	// ForecastTrendMinDays is the fewest days a trend is measured over:
	// two weeks, so that no weekday and no single day decides the
	// Theil–Sen slope. The 56-day window always has them; the rule binds
	// on a trend after a shift, which needs 14 days since it: lowering it
	// lets a trend be fitted on the few days after a step, which moves
	// the step classes' and "a staircase of monthly steps"' "MAPE
	// complete days".
	ForecastTrendMinDays = 14
	// ForecastGrowthDecimals is how many decimal places a trend's growth
	// a day (q) is rounded to, so that q is an exact decimal and the
	// forecast reproducible. Rounding q by at most 5e-7 moves q^31 by at
	// most about 1.6e-5 of itself: below the 0.1% resolution of every
	// backtest column, so it moves none of them.
	ForecastGrowthDecimals = 6
)

// The model choice's penalties, in robust standard deviations of a day
// (σ̂): the sum of absolute deviations a shift or a trend must save over a
// steady level to be taken. They weigh a decision, never an amount, so
// they are plain numbers.
const (
	// shiftPenalty is 6σ̂: splitting 56 days of pure noise at their best
	// split always saves some deviation, and a penalty of a few σ̂ keeps a
	// steady service steady (whose basis then stays the range's days,
	// not the few days since a false shift). Raising it makes a real
	// step wait longer to be taken (the step classes' "MAPE complete
	// days" and "coverage" in days 4–14); lowering it takes more noise
	// for steps ("steady", and it can move "heavy-tailed days"). Measured,
	// the value is not sharp: at 4 or 9, "step up, one service" moves by at
	// most 0.2 points of "MAPE complete days" (days 8–14: 1.4% → 1.5% at
	// 4, 1.2% at 9) and 6 points of "coverage" (days 4–7 83% → 89% at 4;
	// days 8–14 82% → 77% at both); "steady" at 4 by 0.1 and 2 points.
	shiftPenalty = 6.0
	// trendPenalty is 6σ̂, the same as a shift's (it was 4): a trend fits
	// a staircase of monthly steps, or a small noisy service, nearly as
	// well as their own levels, and at 4 it was taken for them. Lowering
	// it moves "a staircase of monthly steps" and "a linear ramp", and
	// takes more of "compounding decline" for the trend it is. Measured
	// at 4: "compounding decline"'s "MAPE complete days" 2.6% → 1.3% and
	// "coverage" 50% → 100% in days 8–14 (12 points), 4.7% → 1.9% in days
	// 1–3 (6 points); "a staircase of monthly steps" 6.0% → 5.7% in days
	// 4–7 but 2.4% → 2.7% in days 8–14 and 2.2% → 2.4% from day 15. So
	// 4 would serve the decline better; 6 was chosen for the staircase
	// and small noisy services (not measured here on the full run).
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
// of 14, the backtest's one-off class) stays a one-off. isBursty and
// isIntermittent also need at least 3 such days, so that one or two
// charges stay one-offs. It is meant for "heavy-tailed days" (a service
// at its rate: its "coverage", too narrow at the one-off rule, and "MAPE
// complete days"), but measured at a tenth that class is unchanged in
// every cell (the 3 days bind first); raising it leaves fewer bases at
// their rate. No share moves "one-off 20x": its bases hold one one-off,
// under the 3 days needed.
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
// center) × f(weekday of d), d and center day numbers. Its fields are the
// symbols of ForecastFromDays and of the forecasting guide, which names
// them beside the symbols.
type serviceModel struct {
	fit ServiceFit
	// level is L; growth is q.
	level, growth *big.Rat
	// center is b, the basis's last day.
	center int64
	// kept is n, the basis's values L is the mean of; dropped the
	// one-offs left out.
	kept, dropped int
	// sigma2 is σ², the variance of a day at the level; relative is ρ²,
	// σ² over level².
	sigma2, relative *big.Rat
	// slopeVar is T, the variance of the log growth a day over the
	// relative variance, 0 without a trend; slopeFrom is t̄, the middle
	// day of the trend's days, from which its error grows.
	slopeVar, slopeFrom *big.Rat
	// possible is L', the level of a possible shift (the basis's last two
	// days, both one-offs on the same side), nil for none.
	possible *big.Rat
}

// fitService models all (a service's complete days with a profile, P of
// ForecastFromDays, oldest first): a steady level, a shift or a trend,
// whichever explains the days best once penalised (chooseModel), its basis
// and growth (fitBasis), then its level L over the basis, its one-offs
// left out, and its noise; or a rate (rateModel) for a lumpy or bursty
// steady service.
func fitService(all []seriesPoint, from string) serviceModel {
	m := serviceModel{fit: ServiceFit{Kind: FitSteady}, growth: big.NewRat(1, 1), slopeVar: new(big.Rat), slopeFrom: new(big.Rat)}
	if len(all) == 0 {
		m.level, m.sigma2, m.relative = new(big.Rat), new(big.Rat), new(big.Rat)
		return m
	}
	var seg []seriesPoint
	var trend bool
	m.fit, seg, trend = chooseModel(all)
	basis := m.fitBasis(all, seg, trend, from)
	m.center = basis[len(basis)-1].t
	values := make([]*big.Rat, len(basis))
	for i, p := range basis {
		// v: y brought to the basis's last day b by the growth.
		values[i] = new(big.Rat).Mul(p.y, ratPow(m.growth, m.center-p.t))
	}
	// ρ², the noise: relative to each part's median, the days before a
	// shift apart from those after it.
	parts := [][]seriesPoint{all}
	if m.fit.ShiftFrom != "" {
		parts = [][]seriesPoint{all[:len(all)-len(seg)], seg}
	}
	m.relative = noiseVariance(parts, ratMedian)
	// One-offs are told by the noise at the basis's median M.
	median := ratMedian(values)
	clip := new(big.Rat).Mul(m.relative, new(big.Rat).Mul(median, median))
	if !trend && m.fit.Kind != FitShift && (isIntermittent(all) || isBursty(values, median, clip)) {
		return rateModel(m, all)
	}
	m.level, m.kept = clippedMean(values, clip)
	m.possible = possibleShift(values, median, clip, m.kept)
	m.sigma2 = new(big.Rat).Mul(m.relative, new(big.Rat).Mul(m.level, m.level))
	m.dropped = len(values) - m.kept
	m.fit.Days = m.kept
	m.fit.Growth = m.growth.FloatString(ForecastGrowthDecimals)
	return m
}

// chooseModel is the model choice of fitService, on the float64 values of
// pts: the fit (steady, shift or trend; Days and Growth left to the
// caller), seg, the days the level rests on (all of pts, or those since
// the latest shift), and whether seg is a trend. A shift is taken when its
// deviation + shiftPenalty × σ̂ is below S0, the steady level's; a trend
// over all of pts when its deviation + trendPenalty × σ̂ is below the best
// so far; else a trend within the days after a shift when it beats their
// own steady deviation by trendPenalty × σ̂.
func chooseModel(pts []seriesPoint) (ServiceFit, []seriesPoint, bool) {
	ys := make([]float64, len(pts))
	for i, p := range pts {
		ys[i] = p.yf
	}
	// The model choice weighs deviations against the noise of the days
	// as they are.
	sigma := floatNoise(ys)
	fit, seg := ServiceFit{Kind: FitSteady}, pts
	k, best := latestShift(ys, sigma, absDeviations(ys, floatMedian(ys)))
	if k > 0 {
		seg = pts[len(pts)-k:]
		fit = ServiceFit{Kind: FitShift, ShiftFrom: seg[0].day}
	}
	if dev, ok := trendDeviations(pts); ok && dev+trendPenalty*sigma < best {
		return ServiceFit{Kind: FitTrend}, pts, true
	}
	if k > 0 {
		// A trend after the shift.
		segYs := ys[len(ys)-k:]
		dev, ok := trendDeviations(seg)
		if ok && dev+trendPenalty*sigma < absDeviations(segYs, floatMedian(segYs)) {
			fit.Kind = FitTrend
			return fit, seg, true
		}
	}
	return fit, seg, false
}

// latestShift is the shift search of chooseModel over ys with noise sigma
// (σ̂) and steady deviation s0 (S0): how many of the last days are at the
// latest level (0 for no shift taken) and the deviation of the model
// taken, penalties included (s0 without a shift). A later shift within the
// days after one (a staircase: a step at each month's 1st) is taken while
// the parts' deviations plus shiftPenalty × σ̂ for each shift stay below
// the best.
func latestShift(ys []float64, sigma, s0 float64) (int, float64) {
	k, score := bestShift(ys)
	best := score + shiftPenalty*sigma
	if k == 0 || best >= s0 {
		return 0, s0
	}
	before := ys[:len(ys)-k]
	earlier := absDeviations(before, floatMedian(before))
	for shifts := 2; ; shifts++ {
		segYs := ys[len(ys)-k:]
		k2, s2 := bestShift(segYs)
		total := earlier + s2 + float64(shifts)*shiftPenalty*sigma
		if k2 == 0 || total >= best {
			return k, best
		}
		part := segYs[:len(segYs)-k2]
		earlier += absDeviations(part, floatMedian(part))
		best, k = total, k2
	}
}

// fitBasis is the basis of m's level (ForecastFromDays's basis): the last
// ForecastBasisDays of a trend's days seg, setting m's growth q, T
// (slopeVar) and t̄ (slopeFrom); the days since a shift, seg; else the
// days of all from from on when at least ForecastBasisDays, else the last
// ForecastBasisDays of all.
func (m *serviceModel) fitBasis(all, seg []seriesPoint, trend bool, from string) []seriesPoint {
	switch {
	case trend:
		m.growth = growthRate(seg)
		n := int64(len(seg))
		m.slopeVar = big.NewRat(12, n*(n*n-1))
		// The slope's error grows with the distance from the middle of
		// the days it was measured on.
		m.slopeFrom = new(big.Rat).SetFrac64(seg[0].t+seg[len(seg)-1].t, 2)
		return seg[max(0, len(seg)-ForecastBasisDays):]
	case m.fit.Kind == FitShift:
		return seg
	}
	var basis []seriesPoint
	for _, p := range all {
		if p.day >= from {
			basis = append(basis, p)
		}
	}
	if len(basis) < ForecastBasisDays {
		basis = all[max(0, len(all)-ForecastBasisDays):]
	}
	return basis
}

// possibleShift is L', the level of a possible shift: the mean of the
// basis's last two values when both are one-offs (of kept values kept),
// on the same side of their median; nil for none. Too young to take, but
// the interval holds their level.
func possibleShift(values []*big.Rat, median, clip *big.Rat, kept int) *big.Rat {
	n := len(values)
	if n < 2 || kept >= n {
		return nil
	}
	a, b := values[n-2], values[n-1]
	if !isOneOff(a, median, clip) || !isOneOff(b, median, clip) || a.Cmp(median) != b.Cmp(median) {
		return nil
	}
	l := new(big.Rat).Add(a, b)
	return l.Quo(l, big.NewRat(2, 1))
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
