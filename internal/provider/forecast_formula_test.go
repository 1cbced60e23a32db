package provider

import (
	"math"
	"slices"
	"testing"
	"time"

	"math/big"
)

// The forecasting guide's complete_days formula, written out again from
// the guide with plain loops over the emulator's lines: it shares no code
// with the provider's forecast. Decisions (which model a service follows)
// are taken on float64 values as the guide says; amounts are exact.

// expectedForecast is what the guide's formula gives.
type expectedForecast struct {
	total, low, high *big.Rat
	// lowBy and highBy are each service's own interval; nil for linear.
	lowBy, highBy map[string]*big.Rat
}

// fMedian is the median of float values.
func fMedian(values []float64) float64 {
	s := slices.Clone(values)
	slices.Sort(s)
	n := len(s)
	if n == 0 {
		return 0
	}
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// fAbsDev is Σ |v − m|.
func fAbsDev(values []float64, m float64) float64 {
	out := 0.0
	for _, v := range values {
		out += math.Abs(v - m)
	}
	return out
}

// formulaDay is one complete day of a service with a profile.
type formulaDay struct {
	t  int64    // day number
	y  *big.Rat // spend / f(weekday)
	yf float64
}

// growthFit is the guide's growth curve of days: the Theil–Sen slope of
// ln y and the sum of absolute deviations from A × e^(g (t − t0)); false
// with fewer than 14 days or a day not above 0.
func growthFit(days []formulaDay) (float64, float64, bool) {
	if len(days) < 14 {
		return 0, 0, false
	}
	for _, d := range days {
		if d.yf <= 0 {
			return 0, 0, false
		}
	}
	var slopes []float64
	for i := range days {
		for j := i + 1; j < len(days); j++ {
			slopes = append(slopes, (math.Log(days[j].yf)-math.Log(days[i].yf))/float64(days[j].t-days[i].t))
		}
	}
	g := fMedian(slopes)
	var detrended []float64
	for _, d := range days {
		detrended = append(detrended, d.yf*math.Exp(-g*float64(d.t-days[0].t)))
	}
	a := fMedian(detrended)
	dev := 0.0
	for _, d := range days {
		dev += math.Abs(d.yf - a*math.Exp(g*float64(d.t-days[0].t)))
	}
	return g, dev, true
}

// ratPower is r^n, n ≥ 0 or r ≠ 0.
func ratPower(r *big.Rat, n int64) *big.Rat {
	out := big.NewRat(1, 1)
	base := new(big.Rat).Set(r)
	if n < 0 {
		base.Inv(base)
		n = -n
	}
	for range n {
		out.Mul(out, base)
	}
	return out
}

// serviceForecast is one service's part of the guide's forecast: its
// forecast F, its variance, and what it billed from the 1st to today.
type serviceForecast struct {
	forecast, variance *big.Rat
	// wideHigh and wideLow widen the interval for a possible shift.
	wideHigh, wideLow *big.Rat
	// expected is each remaining day's max(0, L × w), without charges.
	expected map[string]*big.Rat
	kind     string
}

// completeDaysForecast applies the guide's complete_days formula to the
// daily spend per service of the demo account at now, for month_to_date in
// +07:00: history from the 56 days before the 1st, data_through today (the
// emulator bills today's first line at 00:00).
func completeDaysForecast(t *testing.T, services map[string]map[string]*big.Rat, now time.Time) expectedForecast {
	t.Helper()
	l := now.In(testPlus7)
	today := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, time.UTC)
	from := time.Date(l.Year(), l.Month(), 1, 0, 0, 0, 0, time.UTC)
	monthEnd := from.AddDate(0, 1, -1)
	c := today.AddDate(0, 0, -1) // data_through is today
	historyFrom := from.AddDate(0, 0, -56)
	// Recurring charges are recognised from 7 days before the 1st of the
	// month two months before.
	chargesFrom := from.AddDate(0, -2, -7)
	start := c.AddDate(0, 0, -55)
	if start.Before(historyFrom) {
		start = historyFrom
	}
	var window []time.Time // the last 56 complete days
	for d := start; !d.After(c); d = d.AddDate(0, 0, 1) {
		window = append(window, d)
	}
	var remaining []time.Time // after c to the month's end
	for d := c.AddDate(0, 0, 1); !d.After(monthEnd); d = d.AddDate(0, 0, 1) {
		if !d.Before(from) {
			remaining = append(remaining, d)
		}
	}
	total, variance, known := new(big.Rat), new(big.Rat), new(big.Rat)
	lowBy, highBy := map[string]*big.Rat{}, map[string]*big.Rat{}
	wideHigh, wideLow := new(big.Rat), new(big.Rat)
	for name, daily := range services {
		x := func(d time.Time) *big.Rat {
			if v := daily[d.Format(time.DateOnly)]; v != nil {
				return v
			}
			return new(big.Rat)
		}
		for d := from; !d.After(today); d = d.AddDate(0, 0, 1) {
			known.Add(known, x(d))
		}
		charges := guideCharges(x, chargesFrom, c)
		// The level is fitted on the days without the charges.
		usage := func(d time.Time) *big.Rat {
			v := new(big.Rat).Set(x(d))
			for _, ch := range charges {
				if a := ch.amounts[d.Format(time.DateOnly)]; a != nil {
					v.Sub(v, a)
				}
			}
			return v
		}
		p := oneService(x, usage, window, remaining, from, today, c)
		// The charges due after c this month, each with its variance.
		for _, ch := range charges {
			due := ch.dayIn(from)
			if !due.After(c) || due.After(monthEnd) {
				continue
			}
			if due.After(today) {
				p.forecast.Add(p.forecast, ch.next)
			} else {
				// Today, still billing: max(billed, expected + the charge)
				// in place of max(billed, expected).
				e := p.expected[due.Format(time.DateOnly)]
				with := new(big.Rat).Add(e, ch.next)
				p.forecast.Add(p.forecast, ratMax(x(due), with)).Sub(p.forecast, ratMax(x(due), e))
			}
			sd := new(big.Rat).Quo(ch.next, big.NewRat(10, 1))
			if ch.spread.Cmp(sd) > 0 {
				sd = ch.spread
			}
			p.variance.Add(p.variance, sd.Mul(sd, sd))
		}
		t.Logf("%s: %s, forecast %s", name, p.kind, p.forecast.FloatString(2))
		total.Add(total, p.forecast)
		variance.Add(variance, p.variance)
		// The service's own interval: the same formula over its own
		// variance, its low end never under what it billed to today.
		ownKnown := new(big.Rat)
		for d := from; !d.After(today); d = d.AddDate(0, 0, 1) {
			ownKnown.Add(ownKnown, x(d))
		}
		ownHalf := new(big.Rat).Mul(dec("1.2816"), ratSqrt(p.variance))
		ownLow := new(big.Rat).Sub(p.forecast, ownHalf)
		ownLow.Sub(ownLow, p.wideLow)
		lowBy[name] = roundHalfAway(ratMax(ownLow, ownKnown))
		highBy[name] = roundHalfAway(new(big.Rat).Add(new(big.Rat).Add(p.forecast, ownHalf), p.wideHigh))
		wideHigh.Add(wideHigh, p.wideHigh)
		wideLow.Add(wideLow, p.wideLow)
	}
	half := new(big.Rat).Mul(dec("1.2816"), ratSqrt(variance))
	low := new(big.Rat).Sub(total, half)
	low.Sub(low, wideLow)
	if low.Cmp(known) < 0 {
		low.Set(known)
	}
	high := new(big.Rat).Add(total, half)
	high.Add(high, wideHigh)
	return expectedForecast{roundHalfAway(total), roundHalfAway(low), roundHalfAway(high), lowBy, highBy}
}

// oneService is the guide's forecast of one service whose spend a day is x.
func oneService(x, usage func(time.Time) *big.Rat, window, remaining []time.Time, from, today, c time.Time) serviceForecast {
	billed := x
	x = usage
	// Weekday profile, the service's own.
	f := map[time.Weekday]*big.Rat{}
	k := map[time.Weekday]int{}
	for w := range time.Weekday(7) {
		f[w] = big.NewRat(1, 1)
	}
	for _, d := range window {
		k[d.Weekday()]++
	}
	weekly := false
	if len(window) >= 21 {
		byDay := map[time.Weekday][]*big.Rat{}
		for _, d := range window {
			byDay[d.Weekday()] = append(byDay[d.Weekday()], x(d))
		}
		m := map[time.Weekday]*big.Rat{}
		sum := new(big.Rat)
		for w := range time.Weekday(7) {
			m[w] = ratMedian(byDay[w])
			sum.Add(sum, m[w])
		}
		if sum.Sign() > 0 {
			profile := map[time.Weekday]*big.Rat{}
			for w := range time.Weekday(7) {
				profile[w] = new(big.Rat).Quo(new(big.Rat).Mul(m[w], big.NewRat(7, 1)), sum)
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
			kMin := len(window)
			for _, n := range k {
				kMin = min(kMin, n)
			}
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
	var days []formulaDay
	var dates []time.Time
	for _, d := range window {
		if p := f[d.Weekday()]; p.Sign() != 0 {
			y := new(big.Rat).Quo(x(d), p)
			yf, _ := y.Float64()
			days = append(days, formulaDay{dayNumber(d), y, yf})
			dates = append(dates, d)
		}
	}
	out := serviceForecast{forecast: new(big.Rat), variance: new(big.Rat), wideHigh: new(big.Rat), wideLow: new(big.Rat), kind: "steady",
		expected: map[string]*big.Rat{}}
	for d := from; !d.After(c); d = d.AddDate(0, 0, 1) {
		out.forecast.Add(out.forecast, billed(d))
	}
	if len(days) == 0 {
		return out
	}
	yf := make([]float64, len(days))
	for i, d := range days {
		yf[i] = d.yf
	}
	// The model: steady, shift, or trend.
	var diffs []float64
	for i := 1; i < len(yf); i++ {
		diffs = append(diffs, yf[i]-yf[i-1])
	}
	sigma := 0.0
	if len(yf) >= 3 {
		md := fMedian(diffs)
		var dev []float64
		for _, v := range diffs {
			dev = append(dev, math.Abs(v-md))
		}
		sigma = 1.4826 * fMedian(dev) / math.Sqrt2
	}
	best := fAbsDev(yf, fMedian(yf))
	shiftK, shiftBest := fBestShift(yf)
	seg := days
	shifted := false
	if shiftK > 0 && shiftBest+6*sigma < best {
		best, seg, shifted = shiftBest+6*sigma, days[len(days)-shiftK:], true
		// Later shifts within the days after it, while the deviations of
		// every part plus 6σ a shift stay below the best.
		fixed := fAbsDev(yf[:len(yf)-shiftK], fMedian(yf[:len(yf)-shiftK]))
		for count := 2; ; count++ {
			segY := yf[len(yf)-len(seg):]
			k2, best2 := fBestShift(segY)
			if k2 == 0 || fixed+best2+float64(count)*6*sigma >= best {
				break
			}
			fixed += fAbsDev(segY[:len(segY)-k2], fMedian(segY[:len(segY)-k2]))
			best, seg = fixed-fAbsDev(segY[:len(segY)-k2], fMedian(segY[:len(segY)-k2]))+best2+float64(count)*6*sigma, seg[len(seg)-k2:]
		}
		out.kind = "shift from " + dates[len(dates)-len(seg)].Format(time.DateOnly)
	}
	trend := false
	if _, dev, ok := growthFit(days); ok && dev+6*sigma < best {
		trend, seg, shifted = true, days, false
		out.kind = "trend"
	} else if shifted {
		segY := yf[len(yf)-len(seg):]
		if _, dev, ok := growthFit(seg); ok && dev+6*sigma < fAbsDev(segY, fMedian(segY)) {
			trend = true
			out.kind += ", then a trend"
		}
	}
	q := big.NewRat(1, 1)
	var basis []formulaDay
	switch {
	case trend:
		g, _, _ := growthFit(seg)
		q = roundTo(new(big.Rat).SetFloat64(math.Exp(g)), 6)
		basis = seg[max(0, len(seg)-14):]
	case shifted:
		basis = seg
	default:
		for i, d := range days {
			if !dates[i].Before(from) {
				basis = append(basis, d)
			}
		}
		if len(basis) < 14 {
			basis = days[max(0, len(days)-14):]
		}
	}
	b := basis[len(basis)-1].t
	// Relative noise: the differences within each part over its median.
	parts := [][]formulaDay{days}
	if shifted {
		parts = [][]formulaDay{days[:len(days)-len(seg)], seg}
	}
	var rel []*big.Rat
	for _, part := range parts {
		ys := make([]*big.Rat, len(part))
		for i, d := range part {
			ys[i] = d.y
		}
		if len(ys) == 0 {
			continue
		}
		med := ratMedian(ys)
		if med.Sign() == 0 {
			continue
		}
		for i := 1; i < len(part); i++ {
			d := new(big.Rat).Sub(part[i].y, part[i-1].y)
			rel = append(rel, d.Quo(d, med))
		}
	}
	rho2 := new(big.Rat)
	if len(rel) >= 2 {
		rho2.Mul(dec("1.4826"), ratMAD(rel))
		rho2.Mul(rho2, rho2).Quo(rho2, big.NewRat(2, 1))
	}
	// Level: the basis brought to its last day, one-offs left out.
	values := make([]*big.Rat, len(basis))
	for i, d := range basis {
		values[i] = new(big.Rat).Mul(d.y, ratPower(q, b-d.t))
	}
	med := ratMedian(values)
	limit := new(big.Rat).Mul(big.NewRat(16, 1), rho2)
	limit.Mul(limit, new(big.Rat).Mul(med, med))
	if tenth := new(big.Rat).Quo(med, big.NewRat(10, 1)); tenth.Mul(tenth, tenth).Cmp(limit) > 0 {
		limit = tenth
	}
	// Bursty (steady only): P's median 0 with at least 3 days above 0, or
	// the basis's median above 0 with at least 3 days, and a fifth of it,
	// farther above it than the limit: the level is the mean of every day
	// of P and σ² their sample variance.
	bursty := false
	if !trend && !shifted {
		all := make([]*big.Rat, len(days))
		billed := 0
		for i, d := range days {
			all[i] = d.y
			if d.y.Sign() > 0 {
				billed++
			}
		}
		above := 0
		for _, v := range values {
			d := new(big.Rat).Sub(v, med)
			if d.Sign() > 0 && d.Mul(d, d).Cmp(limit) > 0 {
				above++
			}
		}
		bursty = (billed >= 3 && ratMedian(all).Sign() == 0) || (med.Sign() > 0 && above >= 3 && 5*above >= len(values))
	}
	level, n := new(big.Rat), int64(0)
	dropped := make([]bool, len(values))
	for i, v := range values {
		d := new(big.Rat).Sub(v, med)
		if d.Mul(d, d).Cmp(limit) <= 0 {
			level.Add(level, v)
			n++
		} else {
			dropped[i] = true
		}
	}
	// A possible shift: the basis's last two values both left out, on the
	// same side of the median.
	var possible *big.Rat
	if k := len(values); k >= 2 && n > 0 && dropped[k-1] && dropped[k-2] && values[k-1].Cmp(med) == values[k-2].Cmp(med) {
		possible = new(big.Rat).Add(values[k-1], values[k-2])
		possible.Quo(possible, big.NewRat(2, 1))
	}
	if n == 0 {
		level, n = med, int64(len(values))
	} else {
		level.Quo(level, big.NewRat(n, 1))
	}
	sigma2 := new(big.Rat).Mul(rho2, new(big.Rat).Mul(level, level))
	if bursty {
		out.kind, possible = "rate", nil
		level, n = new(big.Rat), int64(len(days))
		for _, d := range days {
			level.Add(level, d.y)
		}
		level.Quo(level, big.NewRat(n, 1))
		sigma2 = new(big.Rat)
		for _, d := range days {
			e := new(big.Rat).Sub(d.y, level)
			sigma2.Add(sigma2, e.Mul(e, e))
		}
		if n > 1 {
			sigma2.Quo(sigma2, big.NewRat(n-1, 1))
		}
		b = days[len(days)-1].t
	}
	// The remaining days.
	sumW, sumW2, lever := new(big.Rat), new(big.Rat), new(big.Rat)
	count := map[time.Weekday]int64{}
	day := func(l, w *big.Rat, d time.Time) *big.Rat {
		e := new(big.Rat).Mul(l, w)
		if e.Sign() < 0 {
			e = new(big.Rat)
		}
		if !d.After(today) && billed(d).Cmp(e) > 0 {
			e = billed(d)
		}
		return e
	}
	alternative := new(big.Rat).Set(out.forecast)
	for _, d := range remaining {
		w := new(big.Rat).Mul(f[d.Weekday()], ratPower(q, dayNumber(d)-b))
		out.forecast.Add(out.forecast, day(level, w, d))
		e := new(big.Rat).Mul(level, w)
		out.expected[d.Format(time.DateOnly)] = ratMax(e, new(big.Rat))
		if possible != nil {
			alternative.Add(alternative, day(possible, w, d))
		}
		sumW.Add(sumW, w)
		sumW2.Add(sumW2, new(big.Rat).Mul(w, w))
		if trend {
			// From the middle of the trend's days.
			mid := new(big.Rat).SetFrac64(seg[0].t+seg[len(seg)-1].t, 2)
			lever.Add(lever, new(big.Rat).Mul(w, mid.Sub(big.NewRat(dayNumber(d), 1), mid)))
		}
		count[d.Weekday()]++
	}
	v := new(big.Rat).Set(sumW2)
	if weekly {
		profileVar := new(big.Rat)
		for w, cw := range count {
			term := new(big.Rat).Mul(f[w], f[w])
			term.Mul(term, big.NewRat(cw*cw, int64(k[w])))
			profileVar.Add(profileVar, term)
		}
		v.Add(v, profileVar.Mul(profileVar, dec("1.5708")))
	}
	v.Add(v, new(big.Rat).Quo(new(big.Rat).Mul(sumW, sumW), big.NewRat(n, 1)))
	if trend {
		m := int64(len(seg))
		slope := new(big.Rat).Mul(lever, lever)
		v.Add(v, slope.Mul(slope, big.NewRat(12, m*(m*m-1))))
	}
	out.variance = v.Mul(v, sigma2)
	out.wideHigh, out.wideLow = new(big.Rat), new(big.Rat)
	if possible != nil {
		out.kind += ", a possible shift"
		if alternative.Sub(alternative, out.forecast); alternative.Sign() > 0 {
			out.wideHigh = alternative
		} else {
			out.wideLow = alternative.Neg(alternative)
		}
	}
	return out
}

// roundTo rounds r half away from zero to places decimals.
func roundTo(r *big.Rat, places int64) *big.Rat {
	scale := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(places), nil))
	scaled := new(big.Rat).Mul(r, scale)
	half := big.NewRat(1, 2)
	if scaled.Sign() < 0 {
		scaled.Sub(scaled, half)
	} else {
		scaled.Add(scaled, half)
	}
	q := new(big.Int).Quo(scaled.Num(), scaled.Denom())
	return new(big.Rat).Quo(new(big.Rat).SetInt(q), scale)
}

// guideCharge is a recurring charge as the guide recognises it.
type guideCharge struct {
	anchor       int                 // day of the month, 0 for the last day
	amounts      map[string]*big.Rat // its excess on each day of its run
	next, spread *big.Rat            // the latest excess; the largest gap to it
}

// dayIn is the charge's day in m's month.
func (g guideCharge) dayIn(m time.Time) time.Time {
	last := time.Date(m.Year(), m.Month()+1, 0, 0, 0, 0, 0, time.UTC)
	if g.anchor == 0 || g.anchor > last.Day() {
		return last
	}
	return time.Date(m.Year(), m.Month(), g.anchor, 0, 0, 0, 0, time.UTC)
}

// guideCharges are the recurring charges of a service's days x, read from
// first, as of c: per anchor (the last day first, then the 1st to the
// 31st), the run back from its latest day up to c of months whose day
// stands out of its 7 days before (excess over their median above 4 ×
// 1.4826 × their MAD and above half their median, and none of them half
// the excess above the median) within a factor 2 of the latest; at least
// two; one charge per latest day.
func guideCharges(x func(time.Time) *big.Rat, first, c time.Time) []guideCharge {
	excess := func(d time.Time) (*big.Rat, bool) {
		if d.AddDate(0, 0, -7).Before(first) {
			return nil, false
		}
		var week []*big.Rat
		for i := 1; i <= 7; i++ {
			week = append(week, x(d.AddDate(0, 0, -i)))
		}
		m := ratMedian(week)
		e := new(big.Rat).Sub(x(d), m)
		bar := new(big.Rat).Mul(dec("5.9304"), ratMAD(week)) // 4 × 1.4826
		if half := new(big.Rat).Quo(m, big.NewRat(2, 1)); half.Cmp(bar) > 0 {
			bar = half
		}
		if e.Sign() <= 0 || e.Cmp(bar) <= 0 {
			return nil, false
		}
		for _, v := range week {
			if new(big.Rat).Mul(new(big.Rat).Sub(v, m), big.NewRat(2, 1)).Cmp(e) >= 0 {
				return nil, false
			}
		}
		return e, true
	}
	var out []guideCharge
	seen := map[time.Time]bool{}
	for anchor := 0; anchor <= 31; anchor++ {
		g := guideCharge{anchor: anchor, amounts: map[string]*big.Rat{}}
		day := g.dayIn(c)
		if day.After(c) {
			day = g.dayIn(time.Date(c.Year(), c.Month()-1, 1, 0, 0, 0, 0, time.UTC))
		}
		latest := day
		var all []*big.Rat
		for {
			e, ok := excess(day)
			if !ok {
				break
			}
			if len(all) > 0 {
				lo, hi := new(big.Rat).Mul(e, big.NewRat(2, 1)), new(big.Rat).Quo(e, big.NewRat(2, 1))
				if lo.Cmp(all[0]) < 0 || hi.Cmp(all[0]) > 0 {
					break
				}
			}
			all = append(all, e)
			g.amounts[day.Format(time.DateOnly)] = e
			day = g.dayIn(time.Date(day.Year(), day.Month()-1, 1, 0, 0, 0, 0, time.UTC))
		}
		if len(all) < 2 || seen[latest] {
			continue
		}
		seen[latest] = true
		g.next, g.spread = all[0], new(big.Rat)
		for _, a := range all {
			if d := new(big.Rat).Abs(new(big.Rat).Sub(a, all[0])); d.Cmp(g.spread) > 0 {
				g.spread = d
			}
		}
		out = append(out, g)
	}
	return out
}

func ratMax(a, b *big.Rat) *big.Rat {
	if a.Cmp(b) >= 0 {
		return new(big.Rat).Set(a)
	}
	return new(big.Rat).Set(b)
}

// fBestShift is the shift of ys with the least absolute deviations: the
// last k days (3 <= k <= len(ys)-7) against the days before, each about its
// median, with at most k/5 of the last k days on the old side of the
// midpoint; k is 0 when none qualifies.
func fBestShift(ys []float64) (int, float64) {
	k, best := 0, math.Inf(1)
	for kk := 3; kk <= len(ys)-7; kk++ {
		before, after := ys[:len(ys)-kk], ys[len(ys)-kk:]
		a, b := fMedian(before), fMedian(after)
		if a == b {
			continue
		}
		wrong := 0
		for _, v := range after {
			if (v-(a+b)/2)*(b-a) <= 0 {
				wrong++
			}
		}
		if s := fAbsDev(before, a) + fAbsDev(after, b); wrong <= kk/5 && s < best {
			k, best = kk, s
		}
	}
	return k, best
}
