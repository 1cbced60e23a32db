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

// The windows of ForecastFromDays, in days. Like the change tests' (see
// ForecastShiftMinDays), each says why it has its value and which figure of
// the forecasting guide's backtest tables it moves.
const (
	// ForecastHistoryDays is how many days before from ForecastFromDays
	// can use: the caller reads them (like the spike baselines) and passes
	// them in Services with HistoryFrom set to their first day. It is also
	// the window W the weekday profile and the model are fitted on: eight
	// weeks, eight days of each weekday for the profile's medians, and
	// enough days for a slow trend's Theil–Sen slope to stand out of the
	// noise. A shorter window hides a slow trend: measured at 42 days,
	// "compounding decline"'s "MAPE complete days" 2.7% → 6.9% in days
	// 4–7 and 2.6% → 4.1% in days 8–14, its "coverage" 50% → 17% and
	// 50% → 33% (12 points each); it also widens Pf. A longer
	// one bends "a linear ramp" more (its "MAPE complete days" in days
	// 1–3, the cell that misses the goal) and reaches further back than
	// the 70 days the backtest bills.
	ForecastHistoryDays = 56
	// ForecastWeekdayMinDays is how many complete days (three weeks, so
	// at least three of each weekday, the fewest a median stands on) the
	// weekday profile needs. Every backtest scenario has 70 days of
	// history, so W always holds 56 days and this moves no figure of the
	// tables; it matters for an account read without history.
	ForecastWeekdayMinDays = 21
	// ForecastBasisDays is how many complete days the range needs for
	// its daily level to come from its own days alone; a younger range
	// takes it from this many of the latest complete days, days before
	// from included. Two weeks: two of each weekday, and n = 14 in the
	// level's error (Σ w)² / n. Lowering it follows a recent level sooner
	// and widens the interval in the first two weeks of a month; it moves
	// the "steady" class's "coverage" and "MAPE complete days" in days
	// 1–3, 4–7 and 8–14, and the trend's basis ("compounding growth").
	ForecastBasisDays = 14
)

// The constants of ForecastFromDays, as exact fractions. forecastZ,
// madToSigma and medianVariance are the normal distribution's, not tuned;
// outlierSigmas, profileSigmas and outlierFloor are tuning constants.
var (
	// forecastZ is the standard normal's 90th percentile: ±z holds 80%.
	// It scales every interval: the "coverage" column of every class.
	forecastZ = big.NewRat(12816, 10000)
	// madToSigma turns a median absolute deviation into a standard
	// deviation (1 / the normal's 75th percentile).
	madToSigma = big.NewRat(14826, 10000)
	// outlierSigmas is how many standard deviations from the median a day
	// may be before it counts as a one-off: 4, which a normal day passes
	// once in about 16,000, while the backtest's one-off (20 times a day
	// of 8% noise) is far beyond it. Raising it towards the one-off's
	// size would count "one-off 20x" across the month (its "MAPE complete
	// days" and "false alarms complete days"). Measured at 3: "heavy-tailed
	// days" improves in days 4–7 ("MAPE complete days" 5.1% → 3.8%,
	// "coverage" 75% → 92%, 12 points; the cause not traced, likely more
	// bases reaching the rate rule's 3 one-offs) and is within 0.2 points
	// of MAPE elsewhere; "one-off 20x" not measured.
	outlierSigmas = big.NewRat(4, 1)
	// profileSigmas is 3 standard errors of a median (√(π/2) = 1.2533 of
	// the deviation over √k) per robust deviation (1.4826 × MAD): a
	// weekday profile must stand 3 standard errors out of the noise, so
	// that a service without a weekly rhythm is not given one by chance.
	// It moves the "steady" class (its weekly and flat scenarios):
	// raising it leaves a weekly rhythm out, which moves its "MAPE
	// complete days" in days 1–14.
	profileSigmas = big.NewRat(3*12533*14826, 10000*10000)
	// medianVariance is a median's variance per variance over the number
	// of values, π/2.
	medianVariance = big.NewRat(15708, 10000)
	// outlierFloor is the least distance from the median, as a share of
	// it, that counts as a one-off, for series too even to have a spread
	// (a tenth: a day 10% off an even series is not a charge of its own);
	// also the least standard deviation of a recurring charge still to
	// come, so that a fee billed twice at the same amount widens the
	// interval. It moves the fee classes' "coverage" (the fees on the
	// 28th or the last day are above the goal from day 15 on).
	outlierFloor = big.NewRat(1, 10)
)

// DayForecastInput is what ForecastFromDays reads.
type DayForecastInput struct {
	// Daily is the spend per day (YYYY-MM-DD, in the account's time zone,
	// over every service the data source keeps) of HistoryFrom..To. A day
	// of it without an entry spent 0.
	// Used when Services is nil, as one service.
	Daily map[string]Money
	// Services is the spend per service per day, like Daily: each service
	// is forecast on its own and the forecasts are summed.
	Services ServiceDays
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
	// Level is the services' levels L added up (the expected spend of
	// an average day at the levels' last days), rounded to
	// ForecastDecimals.
	Level Money
	// Weekly says whether some service's weekday profile was used.
	Weekly bool
	// BasisDays is the fewest days a service's L is the mean of; Dropped
	// how many days of the services' bases were left out as one-offs.
	BasisDays, Dropped int
	// RemainingDays counts the days of the range's month after
	// CompleteThrough, today included.
	RemainingDays int
	// Linear says the forecast fell back to Forecast: no complete day was
	// known.
	Linear bool
	// ByService is each service's share of Total: the shares add up to
	// Total exactly (see Apportion).
	ByService map[string]Money
	// Fits is how each service's level was modelled.
	Fits map[string]ServiceFit
	// LowByService and HighByService are each service's own 80% interval
	// (its F(s) ± 1.2816 × √V(s), widened by its possible shift, the low
	// end never under what it billed from From to today), for the
	// services of ByService; they do not add up to Low and High (the
	// services' variances add, not their half-widths). Equal to ByService
	// where the forecast has no interval.
	LowByService, HighByService map[string]Money
	// Recurring are the recurring charges found in the complete days,
	// by service; those due after the last complete day are in Total.
	Recurring []RecurringCharge
}

// ForecastFromDays forecasts the spend of the range From..To extended to
// the last day of To's month, the same span as Forecast, from complete days
// only, service by service, with an 80% prediction interval. It follows a
// lasting level shift or a steady trend of each service, and keeps a
// one-off charge a one-off. It is a function of the daily amounts and of
// today's date: the clock's hours and seconds never change it. The
// forecasting guide states the same formula for users.
//
// While the range has not started (today before From) or is over (today
// after To), the forecast is the range's total and the interval has no
// width. Otherwise, with c the last complete day (LastCompleteDay: before
// today and before DataThrough), the days up to c are complete; every later
// day up to the month's end is a remaining day R, today included. Each
// service s of Services is forecast on its own:
//
//	F(s) = Σ x(s, d), d from From to c                (complete days)
//	     + Σ max(x(s, d), E(s, d)), d in R up to today (days still billing)
//	     + Σ E(s, d), d in R after today
//	E(s, d) = max(0, L × q^(d − b) × f(weekday of d))
//
// and the forecast is Σ F(s). L, q, b and f are the service's own, from the
// last 56 complete days W (of HistoryFrom..c):
//
//   - f, the weekday profile: over W, when it has at least 21 days, f(w)
//     is the median of the service's days of weekday w over the mean of
//     the seven medians (0 where negative), kept only when some |f(w) − 1|
//     exceeds 3 × 1.2533 × 1.4826 × MAD / (M × √k), M and MAD those of
//     the days each divided by its f, k the fewest days of a weekday;
//     else (and when the medians add up to 0 or less) f = 1. P is the days
//     of W whose f is not 0, y(d) = x(s, d) / f(weekday of d).
//   - The model (chooseModel), chosen on float64 values of y: with σ̂ =
//     1.4826 × MAD of the day-to-day differences / √2 and S0 the sum of
//     absolute deviations of y from its median, a shift (the last k ≥ 3
//     days apart from at least 7 before them, at most ⌊k/5⌋ of them on the
//     before side of the two medians' midpoint, least deviation from the
//     two medians) is taken when its deviation + 6σ̂ < S0; a trend (at
//     least 14 days above 0, the Theil–Sen slope g of ln y, deviation from
//     A e^(g t)) over all of P when its deviation + 6σ̂ is below the best
//     so far; or, after a shift of at least 14 days, over those days when
//     its deviation + 6σ̂ is below theirs from their median.
//   - q is 1, or e^g of the trend's days rounded to 6 decimal places.
//   - The basis: the last 14 of a trend's days; the days since a shift;
//     else the range's complete days of P when at least 14, else the last
//     14 of P. b is its last day; its values are v = y × q^(b − d).
//   - ρ² = (1.4826 × MAD(r))² / 2, r the day-to-day differences of y
//     within each part (before and after a shift, or all of P) over the
//     part's median (a part with median 0 left out; 0 with fewer than two).
//   - L is the mean of the n values v within max(4 × ρ × |M|, |M| / 10) of
//     their median M (the others are one-offs); M and all of them when
//     none is.
//
// Recurring charges (FindRecurring, over HistoryFrom..c): their amounts are
// taken out of x before f and the model are fitted, and E(s, d) adds the
// latest amount of each whose day this month is d; each still to come adds
// max(Spread, Amount / 10)² to V(s).
//
// A later shift within the days after a shift (a staircase) is taken while
// the parts' deviations plus 6σ̂ a shift stay below the best. A steady
// service whose P has a median of 0 and at least 3 days above 0, or whose
// basis has at least 3 days and a fifth of it one-offs above M, is bursty
// (FitRate): L is the mean of all of P and σ² their sample variance.
//
// A day still billing counts what it has billed already when that is more
// than expected (its lines only add up; a one-off charge today is counted
// once), else what is expected (a day half billed is not a cheap day).
//
// Interval. With w(d) = f(weekday of d) × q^(d − b) over R, each service
// adds the variance
//
//	V(s) = ρ² L² × (Σ w² + Pf + (Σ w)² / n + T × (Σ w × (d − t̄))²)
//
// where Pf = 1.5708 × Σ c(w)² × f(w)² / k(w) with the weekday profile (c(w)
// remaining and k(w) history days of weekday w; π/2, a median's variance
// over a mean's), else 0, and T = 12 / (m (m² − 1)) with a trend over m
// days, t̄ their middle day (a slope's error grows from there), else 0.
// Then
//
//	half-width = 1.2816 × √(Σ V(s))
//	low  = max(forecast − half-width − Σ D⁻(s), Σ x(d) for d from From to today)
//	high = forecast + half-width + Σ D⁺(s)
//
// where, for a possible shift of s (the basis's last two values both
// one-offs, on the same side of M), F'(s) is F(s) with L' = their mean in
// place of L, and D⁺(s) = F'(s) − F(s) when that is positive, else D⁻(s) =
// F(s) − F'(s); both 0 otherwise. Too young to move the forecast, a shift
// of two days still widens the interval to the month at its level.
//
// (1.2816 is the normal distribution's 90th percentile, so 80% falls within
// ±half-width.) Forecast, low and high are rounded half away from zero to
// ForecastDecimals places; ByService apportions the exact F(s) to the
// rounded forecast (see Apportion). Everything but the model choice, q and
// the square root (taken to 256 bits) is exact (big.Rat).
//
// When no day is complete (no data, or none of it finished), the forecast is
// Forecast's linear one of the range's total, each service's share the same
// factor of its own, and the interval has no width.
func ForecastFromDays(in DayForecastInput) (DayForecast, error) {
	r, err := newForecastRun(in)
	if err != nil {
		return DayForecast{}, err
	}
	if r.today < in.From || r.today > in.To {
		return r.closed(), nil
	}
	if r.last, err = LastCompleteDay(in.Now, in.Loc, in.DataThrough); err != nil {
		return DayForecast{}, err
	}
	// The complete days read, oldest first.
	var complete []string
	if r.last >= r.historyFrom {
		complete, _ = DaysOf(DayRange{From: r.historyFrom, To: r.last})
	}
	if len(complete) == 0 {
		return r.linear()
	}
	r.window = complete[max(0, len(complete)-ForecastHistoryDays):]
	r.planRemaining()
	out := DayForecast{CompleteThrough: r.last, Fits: map[string]ServiceFit{}, RemainingDays: len(r.remaining),
		LowByService: map[string]Money{}, HighByService: map[string]Money{}}
	out.Spent, _ = r.sumOver(r.rangeDays, r.last)
	forecast, known := new(big.Rat), out.Spent.Rat()
	variance, level := new(big.Rat), new(big.Rat)
	wideHigh, wideLow := new(big.Rat), new(big.Rat)
	parts := map[string]*big.Rat{}
	minBasis := -1
	for _, name := range r.names {
		s := r.service(name)
		out.Recurring = append(out.Recurring, s.charges...)
		out.Weekly = out.Weekly || s.weekly
		out.Fits[name] = s.model.fit
		out.Dropped += s.model.dropped
		if minBasis < 0 || s.model.kept < minBasis {
			minBasis = s.model.kept
		}
		parts[name] = s.forecast
		forecast.Add(forecast, s.forecast)
		known.Add(known, s.billedToday)
		wideHigh.Add(wideHigh, s.wideHigh)
		wideLow.Add(wideLow, s.wideLow)
		level.Add(level, s.model.level)
		variance.Add(variance, s.variance)
		// The service's own interval, the same formula over its V(s).
		out.LowByService[name], out.HighByService[name] = serviceInterval(s.forecast, s.variance, s.wideLow, s.wideHigh,
			serviceKnown(r.services[name], r.rangeDays, r.today))
	}
	out.BasisDays = max(0, minBasis)
	out.Level = MoneyFromRat(level, ForecastDecimals)
	out.Total, out.Low, out.High = forecastInterval(forecast, variance, wideLow, wideHigh, known)
	out.ByService = Apportion(parts, out.Total)
	out.dropEmptyIntervals()
	return out, nil
}

// dropEmptyIntervals leaves out of LowByService and HighByService the
// services without a share in ByService whose high end is 0.
func (out *DayForecast) dropEmptyIntervals() {
	for name := range out.HighByService {
		if _, ok := out.ByService[name]; !ok && out.HighByService[name].Sign() == 0 {
			delete(out.LowByService, name)
			delete(out.HighByService, name)
		}
	}
}

// forecastRun is one call of ForecastFromDays: its input checked, and
// what its steps share.
type forecastRun struct {
	in          DayForecastInput
	services    ServiceDays
	names       []string // sorted
	historyFrom string
	rangeDays   []string
	today       string
	// last is the last complete day (c); window the last
	// ForecastHistoryDays complete days (W).
	last   string
	window []string
	// remaining are the days R, first their first, to monthEnd;
	// perWeekday counts them by weekday.
	remaining       []string
	first, monthEnd string
	perWeekday      [7]int
}

// newForecastRun checks in and sets up the run.
func newForecastRun(in DayForecastInput) (*forecastRun, error) {
	if in.Loc == nil {
		return nil, fmt.Errorf("the forecast needs a time zone")
	}
	if err := CheckRange(in.From, in.To); err != nil {
		return nil, err
	}
	r := &forecastRun{in: in, historyFrom: in.HistoryFrom, services: in.Services, today: Today(in.Now, in.Loc)}
	if r.historyFrom == "" {
		r.historyFrom = in.From
	}
	if _, err := ParseDate(r.historyFrom); err != nil || r.historyFrom > in.From {
		return nil, fmt.Errorf("the history starts on %q, not a day on or before %s", in.HistoryFrom, in.From)
	}
	if r.services == nil {
		r.services = ServiceDays{"": in.Daily}
	}
	for name := range r.services {
		r.names = append(r.names, name)
	}
	slices.Sort(r.names)
	r.rangeDays, _ = DaysOf(DayRange{From: in.From, To: in.To}) // checked above
	return r, nil
}

// sumOver is the spend of days up to through, in all and by service.
func (r *forecastRun) sumOver(days []string, through string) (Money, map[string]*big.Rat) {
	total, by := Money{}, map[string]*big.Rat{}
	for _, name := range r.names {
		by[name] = new(big.Rat)
	}
	for _, d := range days {
		if d > through {
			break
		}
		for _, name := range r.names {
			x := r.services[name][d]
			total = total.Add(x)
			by[name].Add(by[name], x.Rat())
		}
	}
	return total, by
}

// closed is the forecast of a range that is over or not begun: its total,
// each service's its own, no interval.
func (r *forecastRun) closed() DayForecast {
	total, _ := r.sumOver(r.rangeDays, r.in.To)
	out := DayForecast{Total: total, Low: total, High: total, Spent: total, ByService: map[string]Money{}}
	for _, name := range r.names {
		spent := Money{}
		for _, d := range r.rangeDays {
			spent = spent.Add(r.services[name][d])
		}
		if spent.Sign() != 0 {
			out.ByService[name] = spent
		}
	}
	if r.today > r.in.To {
		out.CompleteThrough = r.in.To
	}
	out.LowByService, out.HighByService = out.ByService, out.ByService
	return out
}

// linear is the forecast while no day is complete: Forecast's linear one of
// the range's total, each service's share the same factor of its own.
func (r *forecastRun) linear() (DayForecast, error) {
	total, by := r.sumOver(r.rangeDays, r.in.To)
	factor, err := linearFactor(r.in.From, r.in.To, r.in.Now, r.in.Loc)
	if err != nil {
		return DayForecast{}, err
	}
	for _, v := range by {
		v.Mul(v, factor)
	}
	f := MoneyFromRat(new(big.Rat).Mul(total.Rat(), factor), ForecastDecimals)
	out := DayForecast{CompleteThrough: r.last, Total: f, Low: f, High: f, Linear: true, ByService: Apportion(by, f)}
	out.LowByService, out.HighByService = out.ByService, out.ByService
	return out, nil
}

// planRemaining sets the remaining days R: after the last complete day
// (and not before From) to the month's end.
func (r *forecastRun) planRemaining() {
	t, _ := ParseDate(r.in.To)
	r.monthEnd = time.Date(t.Year(), t.Month()+1, 0, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
	r.first = r.in.From
	if n := nextDay(r.last); n > r.first {
		r.first = n
	}
	r.remaining, _ = DaysOf(DayRange{From: r.first, To: r.monthEnd})
	for _, d := range r.remaining {
		r.perWeekday[weekdayOf(d)]++
	}
}

// serviceForecast is one service's part of the forecast.
type serviceForecast struct {
	model   serviceModel
	charges []RecurringCharge
	weekly  bool
	// forecast is F(s); variance V(s); wideHigh and wideLow D⁺(s) and
	// D⁻(s); billedToday what the remaining days up to today billed.
	forecast, variance, wideHigh, wideLow, billedToday *big.Rat
}

// service forecasts one service: its recurring charges, its weekday
// profile f, its model (fitService), then its remaining days.
func (r *forecastRun) service(name string) serviceForecast {
	amount := func(day string) Money { return r.services[name][day] }
	// The service's recurring charges: taken out of its days before its
	// level is fitted, and added on their days still to come.
	charges := FindRecurring(name, r.services[name], r.historyFrom, r.last)
	taken, due, chargeVar := chargesOf(charges, r.last, r.first, r.monthEnd)
	usage := func(day string) Money { return amount(day).Sub(taken[day]) }
	factors, weekly, counts := weekdayProfile(r.window, usage)
	var pts []seriesPoint
	for _, d := range r.window {
		f := factors[weekdayOf(d)]
		if f.Sign() == 0 {
			continue
		}
		y := new(big.Rat).Quo(usage(d).Rat(), f)
		yf, _ := y.Float64()
		pts = append(pts, seriesPoint{day: d, t: dayNumber(d), y: y, yf: yf})
	}
	s := serviceForecast{model: fitService(pts, r.in.From), charges: charges, weekly: weekly}
	s.forecast = new(big.Rat)
	for _, d := range r.rangeDays {
		if d > r.last {
			break
		}
		s.forecast.Add(s.forecast, amount(d).Rat())
	}
	v := r.remainingDays(&s, factors, due, amount)
	if weekly {
		v.Add(v, r.profileVariance(factors, counts))
	}
	s.variance = v.Mul(v, s.model.sigma2).Add(v, chargeVar)
	return s
}

// remainingDays adds to s.forecast each remaining day's E(s, d) (or what
// the day billed, when more), sets the possible shift's D⁺ or D⁻ and what
// the days up to today billed, and returns V(s) / σ² but the profile's
// term: Σ w² + (Σ w)² / n + T × lever², lever = Σ w × (d − t̄).
func (r *forecastRun) remainingDays(s *serviceForecast, factors [7]*big.Rat, due map[string]*big.Rat, amount func(string) Money) *big.Rat {
	m := s.model
	// w(d) = f(d) × q^(d − b): Σ w, Σ w², and the lever Σ w × (d − t̄)
	// (t̄ is m.slopeFrom, the middle of the trend's days, not b).
	sumW, sumW2, lever := new(big.Rat), new(big.Rat), new(big.Rat)
	alternative := new(big.Rat).Set(s.forecast)
	s.billedToday = new(big.Rat)
	var step *big.Rat
	for _, d := range r.remaining {
		n := dayNumber(d)
		if step == nil {
			step = ratPow(m.growth, n-m.center)
		} else {
			step = new(big.Rat).Mul(step, m.growth)
		}
		w := new(big.Rat).Mul(factors[weekdayOf(d)], step)
		sumW.Add(sumW, w)
		sumW2.Add(sumW2, new(big.Rat).Mul(w, w))
		lever.Add(lever, new(big.Rat).Mul(w, new(big.Rat).Sub(big.NewRat(n, 1), m.slopeFrom)))
		// The day at the level, and at a possible shift's level.
		var x *big.Rat
		if d <= r.today {
			x = amount(d).Rat()
			s.billedToday.Add(s.billedToday, x)
		}
		s.forecast.Add(s.forecast, expectedDay(m.level, w, due[d], x))
		if m.possible != nil {
			alternative.Add(alternative, expectedDay(m.possible, w, due[d], x))
		}
	}
	s.wideHigh, s.wideLow = new(big.Rat), new(big.Rat)
	if m.possible != nil {
		// The interval holds the forecast at the possible shift's level.
		alternative.Sub(alternative, s.forecast)
		if alternative.Sign() > 0 {
			s.wideHigh.Set(alternative)
		} else {
			s.wideLow.Neg(alternative)
		}
	}
	v := new(big.Rat).Set(sumW2)
	if m.kept > 0 {
		sumW.Mul(sumW, sumW)
		v.Add(v, sumW.Quo(sumW, big.NewRat(int64(m.kept), 1)))
	}
	return v.Add(v, lever.Mul(lever, lever).Mul(lever, m.slopeVar))
}

// profileVariance is the weekday profile's own error per σ², Pf: π/2 ×
// Σ c(w)² × f(w)² / k(w).
func (r *forecastRun) profileVariance(factors [7]*big.Rat, counts [7]int) *big.Rat {
	v := new(big.Rat)
	for w, c := range r.perWeekday {
		if c > 0 && counts[w] > 0 {
			t := new(big.Rat).Mul(factors[w], big.NewRat(int64(c), 1))
			t.Mul(t, t)
			t.Quo(t, big.NewRat(int64(counts[w]), 1))
			v.Add(v, t.Mul(t, medianVariance))
		}
	}
	return v
}

// forecastInterval rounds the forecast and its 80% interval: forecast ±
// 1.2816 × √variance, widened by wideLow and wideHigh, the low end never
// under known.
func forecastInterval(forecast, variance, wideLow, wideHigh, known *big.Rat) (Money, Money, Money) {
	half := new(big.Rat).Mul(forecastZ, ratSqrt(variance))
	low := new(big.Rat).Sub(forecast, half)
	low.Sub(low, wideLow)
	high := new(big.Rat).Add(forecast, half)
	high.Add(high, wideHigh)
	if low.Cmp(known) < 0 {
		low = known
	}
	return MoneyFromRat(forecast, ForecastDecimals), MoneyFromRat(low, ForecastDecimals), MoneyFromRat(high, ForecastDecimals)
}

// expectedDay is a remaining day's forecast: max(0, level × w) plus the
// recurring charges due that day (nil for none), or x, what the day has
// billed already (nil for a day after today), when that is more.
func expectedDay(level, w, due, x *big.Rat) *big.Rat {
	e := new(big.Rat).Mul(level, w)
	if e.Sign() < 0 {
		e = new(big.Rat)
	}
	if due != nil {
		e.Add(e, due)
	}
	if x != nil && x.Cmp(e) > 0 {
		return new(big.Rat).Set(x)
	}
	return e
}

// chargesOf is what a service's recurring charges do to its forecast: the
// amount each took on its days so far (taken out of the days its level is
// fitted on), the amount due on each remaining day (first to monthEnd)
// after last, and the variance of those amounts: each charge's Spread²,
// at least (Amount / 10)².
func chargesOf(charges []RecurringCharge, last, first, monthEnd string) (map[string]Money, map[string]*big.Rat, *big.Rat) {
	taken, due, variance := map[string]Money{}, map[string]*big.Rat{}, new(big.Rat)
	end, _ := ParseDate(monthEnd) // a day
	for _, c := range charges {
		for i, d := range c.Days {
			taken[d] = taken[d].Add(c.Amounts[i])
		}
		day := c.DayIn(end)
		if day <= last || day < first || day > monthEnd {
			continue
		}
		if due[day] == nil {
			due[day] = new(big.Rat)
		}
		due[day].Add(due[day], c.Amount().Rat())
		// Its standard deviation: how far its occurrences were apart, at
		// least a tenth of it (outlierFloor), so that a fee billed twice
		// at the same amount still widens the interval.
		s := c.Spread().Rat()
		if floor := new(big.Rat).Mul(outlierFloor, c.Amount().Rat()); floor.Cmp(s) > 0 {
			s = floor
		}
		variance.Add(variance, s.Mul(s, s))
	}
	return taken, due, variance
}

// serviceKnown is what a service billed from the range's first day to
// today: its interval's least low end.
func serviceKnown(days map[string]Money, rangeDays []string, today string) *big.Rat {
	known := new(big.Rat)
	for _, d := range rangeDays {
		if d > today {
			break
		}
		known.Add(known, days[d].Rat())
	}
	return known
}

// serviceInterval is one service's 80% interval: F(s) ± 1.2816 × √V(s),
// widened by its possible shift (wideLow, wideHigh), the low end never
// under known; both rounded to ForecastDecimals.
func serviceInterval(f, v, wideLow, wideHigh, known *big.Rat) (Money, Money) {
	_, low, high := forecastInterval(f, v, wideLow, wideHigh, known)
	return low, high
}
