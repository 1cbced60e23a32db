package billing

import (
	"fmt"
	"math/big"
	"testing"
	"time"
)

// rhythmForecast forecasts December 2026 on the 10th at 12:00 from one
// service whose day d costs amount(d), from 24 September.
func rhythmForecast(t *testing.T, amount func(time.Time) int64) (DayForecast, Money) {
	t.Helper()
	in, month := map[string]Money{}, Money{}
	for d := time.Date(2026, time.September, 24, 0, 0, 0, 0, time.UTC); d.Month() != time.January; d = d.AddDate(0, 0, 1) {
		m := MustParseMoney(fmt.Sprint(amount(d)))
		if d.Month() == time.December {
			month = month.Add(m)
		}
		if d.Before(time.Date(2026, time.December, 10, 0, 0, 0, 0, time.UTC)) {
			in[d.Format(time.DateOnly)] = m
		}
	}
	got, err := ForecastFromDays(DayForecastInput{
		Services: ServiceDays{"S": in}, HistoryFrom: "2026-09-24", From: "2026-12-01", To: "2026-12-31",
		DataThrough: "2026-12-10", Now: time.Date(2026, time.December, 10, 12, 0, 0, 0, time.UTC), Loc: time.UTC,
	})
	if err != nil {
		t.Fatal(err)
	}
	return got, month
}

func offBy(f, month Money) float64 {
	r, _ := new(big.Rat).Quo(f.Sub(month).Rat(), month.Rat()).Float64()
	return r
}

// TestForecastLumpy: a service billed every few days is forecast at its
// rate (the median of its days is 0), within 10% of the month, and its own
// interval holds the month.
func TestForecastLumpy(t *testing.T) {
	for _, k := range []int64{3, 5} {
		got, month := rhythmForecast(t, func(d time.Time) int64 {
			if (d.Unix()/86400)%k == 0 {
				return 9_000_000 + 100_000*(d.Unix()/86400%7)
			}
			return 0
		})
		if got.Fits["S"].Kind != FitRate {
			t.Errorf("every %d days: modelled as %+v, want %s", k, got.Fits["S"], FitRate)
		}
		if off := offBy(got.Total, month); off < -0.1 || off > 0.1 {
			t.Errorf("every %d days: forecast %s, month %s (%.1f%% off)", k, got.Total, month, 100*off)
		}
		if got.LowByService["S"].Cmp(month) > 0 || got.HighByService["S"].Cmp(month) < 0 {
			t.Errorf("every %d days: the service's interval %s..%s misses %s", k, got.LowByService["S"], got.HighByService["S"], month)
		}
	}
	// Billed on two days only: one-offs, not a rate.
	got, _ := rhythmForecast(t, func(d time.Time) int64 {
		if d.Format(time.DateOnly) == "2026-11-20" || d.Format(time.DateOnly) == "2026-11-03" {
			return 9_000_000
		}
		return 0
	})
	if got.Fits["S"].Kind == FitRate || got.Total.Sign() != 0 {
		t.Errorf("two one-offs in November: %+v, forecast %s; want none", got.Fits["S"], got.Total)
	}
}

// TestForecastStaircase: a level that steps up 30% at each month's 1st is
// forecast at December's level, not extrapolated as a trend.
func TestForecastStaircase(t *testing.T) {
	got, month := rhythmForecast(t, func(d time.Time) int64 {
		level := map[time.Month]int64{time.September: 1_000_000, time.October: 1_300_000, time.November: 1_690_000, time.December: 2_197_000}[d.Month()]
		return level + level/100*(d.Unix()/86400*7%5-2)
	})
	if got.Fits["S"].Kind != FitShift || got.Fits["S"].ShiftFrom != "2026-12-01" {
		t.Errorf("modelled as %+v, want a shift from 2026-12-01", got.Fits["S"])
	}
	if off := offBy(got.Total, month); off < -0.02 || off > 0.02 {
		t.Errorf("forecast %s, month %s (%.1f%% off)", got.Total, month, 100*off)
	}
	if got.LowByService["S"].Cmp(got.ByService["S"]) > 0 || got.HighByService["S"].Cmp(got.ByService["S"]) < 0 {
		t.Errorf("the service's interval %s..%s does not hold its forecast %s", got.LowByService["S"], got.HighByService["S"], got.ByService["S"])
	}
}
