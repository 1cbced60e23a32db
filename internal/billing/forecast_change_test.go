package billing

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/big"
	"testing"
)

// noisy is a day's spend of level with a deterministic ±4% wobble, so that
// the series has a spread.
func noisy(level float64, day string) string {
	h := fnv.New32a()
	h.Write([]byte(day))
	w := float64(h.Sum32()%1000)/1000*0.08 - 0.04
	return fmt.Sprintf("%.2f", level*(1+w))
}

// TestForecastFromDaysShift checks that a lasting step up a few days ago
// sets the level, where a one-off charge of the same size stays a one-off.
func TestForecastFromDaysShift(t *testing.T) {
	from, today := "2026-12-01", "2026-12-02"
	step := func(d string) string {
		if d >= "2026-11-27" {
			return noisy(2000, d)
		}
		return noisy(1000, d)
	}
	f := forecastAt(t, series(from, today, step), from, today, today, at(today, 12))
	fit := f.Fits[""]
	if fit.Kind != FitShift || fit.ShiftFrom != "2026-11-27" {
		t.Errorf("a step up from 27 November: %+v", fit)
	}
	// 31 days at about 2000.
	if total, _ := f.Total.Rat().Float64(); math.Abs(total/62000-1) > 0.03 || f.Low.Cmp(f.Total) >= 0 || f.High.Cmp(f.Total) <= 0 {
		t.Errorf("after a step up: %s [%s, %s]; want about 62000", f.Total, f.Low, f.High)
	}
	// The same excess, 4 × 1000, in one day: a one-off.
	oneOff := func(d string) string {
		if d == "2026-11-28" {
			return noisy(5000, d)
		}
		return noisy(1000, d)
	}
	g := forecastAt(t, series(from, today, oneOff), from, today, today, at(today, 12))
	if g.Fits[""].Kind != FitSteady || g.Dropped != 1 {
		t.Errorf("a one-off on 28 November: %+v, %d dropped", g.Fits[""], g.Dropped)
	}
	if total, _ := g.Total.Rat().Float64(); math.Abs(total/31000-1) > 0.03 {
		t.Errorf("after a one-off: %s; want about 31000", g.Total)
	}
	// The step's interval is wider: its level rests on 5 days.
	if f.High.Sub(f.Low).Cmp(g.High.Sub(g.Low).Add(g.High.Sub(g.Low))) <= 0 {
		t.Errorf("interval after the step %s, after the one-off %s", f.High.Sub(f.Low), g.High.Sub(g.Low))
	}
}

// TestForecastFromDaysTrend checks that steady compounding growth is
// followed, and widens the interval.
func TestForecastFromDaysTrend(t *testing.T) {
	from, today := "2026-06-01", "2026-06-02"
	start := dayNumber(from)
	grow := func(d string) string {
		return noisy(1000*math.Pow(1.01, float64(dayNumber(d)-start)), d)
	}
	f := forecastAt(t, series(from, today, grow), from, today, today, at(today, 12))
	if f.Fits[""].Kind != FitTrend {
		t.Fatalf("1%% a day: %+v", f.Fits[""])
	}
	// Σ 1000 × 1.01^k, k = 0..29.
	want := 1000 * (math.Pow(1.01, 30) - 1) / 0.01
	if total, _ := f.Total.Rat().Float64(); math.Abs(total/want-1) > 0.03 {
		t.Errorf("1%% a day: %s [%s, %s]; want about %.0f", f.Total, f.Low, f.High, want)
	}
	if f.Low.Cmp(f.Total) >= 0 || f.High.Cmp(f.Total) <= 0 {
		t.Errorf("1%% a day: no interval: %s [%s, %s]", f.Total, f.Low, f.High)
	}
}

// TestForecastFromDaysByService checks that each service is forecast on
// its own and that the shares add up to the total.
func TestForecastFromDaysByService(t *testing.T) {
	from, today := "2026-12-01", "2026-12-02"
	services := ServiceDays{
		"Instance": series(from, today, func(d string) string {
			if d >= "2026-11-27" {
				return noisy(3000, d)
			}
			return noisy(1000, d)
		}),
		"Storage": series(from, today, func(d string) string { return noisy(333.33, d) }),
	}
	f, err := ForecastFromDays(DayForecastInput{
		Services: services, HistoryFrom: addDays(from, -ForecastHistoryDays),
		From: from, To: today, DataThrough: today, Now: at(today, 12), Loc: plus7,
	})
	if err != nil {
		t.Fatal(err)
	}
	if f.Fits["Instance"].Kind != FitShift || f.Fits["Storage"].Kind != FitSteady {
		t.Errorf("fits %+v", f.Fits)
	}
	sum := Money{}
	for _, m := range f.ByService {
		sum = sum.Add(m)
	}
	if len(f.ByService) != 2 || sum.Cmp(f.Total) != 0 {
		t.Errorf("by service %v add up to %s; the total is %s", f.ByService, sum, f.Total)
	}
	if i, _ := f.ByService["Instance"].Rat().Float64(); math.Abs(i/93000-1) > 0.03 {
		t.Errorf("Instance %s; want about 93000", f.ByService["Instance"])
	}
}

func TestApportion(t *testing.T) {
	third := big.NewRat(1, 3)
	parts := map[string]*big.Rat{"a": third, "b": third, "c": third, "zero": new(big.Rat)}
	got := Apportion(parts, MustParseMoney("1"))
	if got["a"].String() != "0.34" || got["b"].String() != "0.33" || got["c"].String() != "0.33" || len(got) != 3 {
		t.Errorf("thirds of 1: %v", got)
	}
	// Remainders decide, not names: 0.016 gets the cent before 0.014.
	got = Apportion(map[string]*big.Rat{"a": big.NewRat(14, 1000), "b": big.NewRat(16, 1000)}, MustParseMoney("0.03"))
	if got["a"].String() != "0.01" || got["b"].String() != "0.02" {
		t.Errorf("0.014 and 0.016: %v", got)
	}
	// Credits round down too, and still add up.
	got = Apportion(map[string]*big.Rat{"a": big.NewRat(-5, 1000), "b": big.NewRat(1, 1)}, MustParseMoney("1"))
	if sum := got["a"].Add(got["b"]); sum.Cmp(MustParseMoney("1")) != 0 {
		t.Errorf("a credit: %v", got)
	}
}

// TestForecastByService checks the linear method's shares: the same factor
// for every service, adding up to the forecast; unchanged, to the last
// digit, where the range is over.
func TestForecastByService(t *testing.T) {
	by := map[string]Money{"a": MustParseMoney("100.0001"), "b": MustParseMoney("200"), "none": {}}
	total := MustParseMoney("300.0001")
	// Over: the totals as they are.
	got, err := ForecastByService(by, total, "2026-12-01", "2026-12-10", at("2026-12-11", 12), plus7)
	if err != nil || len(got) != 2 || got["a"].Cmp(by["a"]) != 0 || got["b"].Cmp(by["b"]) != 0 {
		t.Fatalf("a range that is over: %v, %v", got, err)
	}
	// Half of December's first day gone: ×62.
	now := at("2026-12-01", 12)
	f, err := Forecast(total, "2026-12-01", "2026-12-01", now, plus7)
	if err != nil {
		t.Fatal(err)
	}
	got, err = ForecastByService(by, f, "2026-12-01", "2026-12-01", now, plus7)
	if err != nil {
		t.Fatal(err)
	}
	if sum := got["a"].Add(got["b"]); sum.Cmp(f) != 0 || got["b"].String() != "12400" || f.String() != "18600.01" {
		t.Errorf("×62: %v add up to %s; forecast %s", got, sum, f)
	}
}

// TestForecastFromDaysPossibleShift checks that two days at a new level,
// too few to take as a shift, widen the interval on their side to the
// month at their level, where one such day does not.
func TestForecastFromDaysPossibleShift(t *testing.T) {
	from, today := "2026-12-01", "2026-12-02"
	since := func(first string) func(string) string {
		return func(d string) string {
			if d >= first && d < today {
				return noisy(2000, d)
			}
			return noisy(1000, d)
		}
	}
	two := forecastAt(t, series(from, today, since("2026-11-30")), from, today, today, at(today, 12))
	if two.Fits[""].Kind != FitSteady {
		t.Fatalf("two days at 2000: %+v", two.Fits[""])
	}
	// The month at 2000 a day is about 62000; the forecast stays near
	// 31000, the interval reaches up to the new level.
	if high, _ := two.High.Rat().Float64(); high < 58000 {
		t.Errorf("two days at 2000: %s [%s, %s]; want the high end near 62000", two.Total, two.Low, two.High)
	}
	one := forecastAt(t, series(from, today, since("2026-12-01")), from, today, today, at(today, 12))
	if high, _ := one.High.Rat().Float64(); high > 36000 {
		t.Errorf("one day at 2000: %s [%s, %s]; want no widening", one.Total, one.Low, one.High)
	}
}
