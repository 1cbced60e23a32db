package billing

import (
	"math/big"
	"time"
)

// ForecastDecimals is how many decimal places a forecast is rounded to.
const ForecastDecimals = 2

// Forecast extrapolates the spend of the range from..to (YYYY-MM-DD,
// inclusive) to the end of the calendar month that holds to, linearly, at
// the spend per elapsed day so far:
//
//	start    = 00:00 of from in loc
//	horizon  = 00:00 of the first day of the month after to's month, in loc
//	elapsed  = now - start        (in days, with fractions)
//	forecast = total / elapsed × (horizon - start)
//
// rounded half away from zero to ForecastDecimals places. It applies only
// while the range runs past now (now is before the end of to); a range that
// is over, or that has not started, forecasts its total unchanged.
func Forecast(total Money, from, to string, now time.Time, loc *time.Location) (Money, error) {
	factor, err := linearFactor(from, to, now, loc)
	if err != nil || factor.Cmp(big.NewRat(1, 1)) == 0 {
		return total, err
	}
	r := total.Rat()
	return MoneyFromRat(r.Mul(r, factor), ForecastDecimals), nil
}

// linearFactor is Forecast's span / elapsed, 1 where it forecasts the total
// unchanged.
func linearFactor(from, to string, now time.Time, loc *time.Location) (*big.Rat, error) {
	start, end, err := rangeBounds(from, to, loc)
	if err != nil {
		return nil, err
	}
	if !now.Before(end) || !now.After(start) {
		return big.NewRat(1, 1), nil
	}
	last := end.Add(-time.Nanosecond).In(loc)
	horizon := time.Date(last.Year(), last.Month()+1, 1, 0, 0, 0, 0, loc)
	elapsed := now.Sub(start)
	span := horizon.Sub(start)
	return new(big.Rat).SetFrac(big.NewInt(int64(span)), big.NewInt(int64(elapsed))), nil
}

// ForecastByService is Forecast's total apportioned to the services of
// byService: each service's total times the same factor, the shares
// adding up to forecast (see Apportion); where Forecast keeps the total
// (the range is over or not begun), each service's total as it is.
func ForecastByService(byService map[string]Money, forecast Money, from, to string, now time.Time, loc *time.Location) (map[string]Money, error) {
	factor, err := linearFactor(from, to, now, loc)
	if err != nil {
		return nil, err
	}
	if factor.Cmp(big.NewRat(1, 1)) == 0 {
		// Forecast keeps the total as it is: each service keeps its own.
		out := make(map[string]Money, len(byService))
		for name, m := range byService {
			if m.Sign() != 0 {
				out[name] = m
			}
		}
		return out, nil
	}
	parts := make(map[string]*big.Rat, len(byService))
	for name, m := range byService {
		parts[name] = new(big.Rat).Mul(m.Rat(), factor)
	}
	return Apportion(parts, forecast), nil
}
