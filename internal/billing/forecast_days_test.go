package billing

import (
	"fmt"
	"math/big"
	"testing"
	"time"
)

func at(day string, hour int) time.Time {
	d, err := ParseDate(day)
	if err != nil {
		panic(err)
	}
	return time.Date(d.Year(), d.Month(), d.Day(), hour, 0, 0, 0, plus7)
}

func addDays(day string, n int) string {
	d, err := ParseDate(day)
	if err != nil {
		panic(err)
	}
	return d.AddDate(0, 0, n).Format(time.DateOnly)
}

func TestLastCompleteDay(t *testing.T) {
	for _, tc := range []struct {
		now          time.Time
		through, out string
	}{
		{at("2026-12-02", 12), "2026-12-02", "2026-12-01"},
		{at("2026-12-02", 0), "2026-12-01", "2026-11-30"},  // no line today yet: yesterday may still be billing
		{at("2026-12-02", 23), "2026-12-01", "2026-11-30"}, // an API a day behind
		{at("2026-12-02", 12), "2026-12-05", "2026-12-01"}, // lines dated after today do not make today complete
		{at("2026-01-01", 1), "2026-01-01", "2025-12-31"},
		{at("2026-12-02", 12), "", ""},
		// 2026-12-01 23:30 in UTC is already the 2nd at +07:00.
		{time.Date(2026, 12, 1, 23, 30, 0, 0, time.UTC), "2026-12-02", "2026-12-01"},
	} {
		got, err := LastCompleteDay(tc.now, plus7, tc.through)
		if err != nil || got != tc.out {
			t.Errorf("LastCompleteDay(%s, %q) = %q, %v; want %q", tc.now, tc.through, got, err, tc.out)
		}
	}
	if _, err := LastCompleteDay(at("2026-12-02", 1), plus7, "2026-13-01"); err == nil {
		t.Error("a bad data_through is accepted")
	}
}

func TestCompleteDaysAndElapsedRanges(t *testing.T) {
	month := DayRange{From: "2026-12-01", To: "2026-12-02"}
	prev := DayRange{From: "2026-11-01", To: "2026-11-02"}
	got, ok, err := CompleteDays(month, at("2026-12-02", 9), plus7, "2026-12-02")
	if err != nil || !ok || got != (DayRange{From: "2026-12-01", To: "2026-12-01"}) {
		t.Fatalf("CompleteDays on the 2nd = %v %v %v", got, ok, err)
	}
	if _, ok, _ := CompleteDays(month, at("2026-12-01", 9), plus7, "2026-12-01"); ok {
		t.Error("the 1st has a complete day of its own month")
	}
	cur, p, ok, err := ElapsedRanges(month, prev, at("2026-12-02", 9), plus7, "2026-12-02")
	if err != nil || !ok || cur != (DayRange{From: "2026-12-01", To: "2026-12-01"}) || p != (DayRange{From: "2026-11-01", To: "2026-11-01"}) {
		t.Fatalf("ElapsedRanges on the 2nd = %v %v %v %v; want one day against one day", cur, p, ok, err)
	}
	// The API a day behind: on the 3rd only the 1st is complete.
	cur, p, ok, _ = ElapsedRanges(DayRange{"2026-12-01", "2026-12-03"}, DayRange{"2026-11-01", "2026-11-03"}, at("2026-12-03", 9), plus7, "2026-12-02")
	if !ok || cur.To != "2026-12-01" || p.To != "2026-11-01" {
		t.Errorf("lagging API: %v %v %v", cur, p, ok)
	}
	// A previous range shorter than the elapsed days is kept whole.
	cur, p, ok, _ = ElapsedRanges(DayRange{"2026-03-01", "2026-03-31"}, DayRange{"2026-02-01", "2026-02-28"}, at("2026-03-31", 9), plus7, "2026-03-31")
	if !ok || cur.To != "2026-03-30" || p.To != "2026-02-28" {
		t.Errorf("cut to previous: %v %v %v", cur, p, ok)
	}
	// A range that is over is compared whole.
	cur, p, ok, _ = ElapsedRanges(DayRange{"2026-11-01", "2026-11-30"}, DayRange{"2026-10-01", "2026-10-30"}, at("2026-12-02", 9), plus7, "2026-12-02")
	if !ok || cur.To != "2026-11-30" || p.To != "2026-10-30" {
		t.Errorf("past range: %v %v %v", cur, p, ok)
	}
	// On the 1st there is nothing of like length.
	if _, _, ok, _ := ElapsedRanges(month, prev, at("2026-12-01", 9), plus7, "2026-12-01"); ok {
		t.Error("ElapsedRanges on the 1st is comparable")
	}
}

// series fills history and month with amount(day) for from-60 .. through.
func series(from, through string, amount func(day string) string) map[string]Money {
	out := map[string]Money{}
	for d := addDays(from, -ForecastHistoryDays); d <= through; d = addDays(d, 1) {
		out[d] = MustParseMoney(amount(d))
	}
	return out
}

func forecastAt(t *testing.T, daily map[string]Money, from, to, through string, now time.Time) DayForecast {
	t.Helper()
	f, err := ForecastFromDays(DayForecastInput{
		Daily: daily, HistoryFrom: addDays(from, -ForecastHistoryDays),
		From: from, To: to, DataThrough: through, Now: now, Loc: plus7,
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestForecastFromDaysFlat(t *testing.T) {
	// 100 a day; today (the 10th) half billed; December has 31 days.
	daily := series("2026-12-01", "2026-12-10", func(d string) string {
		if d == "2026-12-10" {
			return "50"
		}
		return "100"
	})
	f := forecastAt(t, daily, "2026-12-01", "2026-12-10", "2026-12-10", at("2026-12-10", 12))
	want := MustParseMoney("3100")
	if f.Total.Cmp(want) != 0 || f.Low.Cmp(want) != 0 || f.High.Cmp(want) != 0 {
		t.Errorf("flat: %s [%s, %s]; want 3100 with no spread", f.Total, f.Low, f.High)
	}
	if f.Spent.Cmp(MustParseMoney("900")) != 0 || f.CompleteThrough != "2026-12-09" || f.RemainingDays != 22 || f.Weekly {
		t.Errorf("flat: %+v", f)
	}
	// The same data at another hour of the same day: the same figures.
	g := forecastAt(t, daily, "2026-12-01", "2026-12-10", "2026-12-10", at("2026-12-10", 23).Add(59*time.Minute+59*time.Second))
	if g.Total.Cmp(f.Total) != 0 || g.Low.Cmp(f.Low) != 0 || g.High.Cmp(f.High) != 0 {
		t.Errorf("the hour changes the forecast: %+v vs %+v", f, g)
	}
}

func TestForecastFromDaysOneOffCountedOnce(t *testing.T) {
	// A one-off 2000 on the 1st, seen on the 2nd: counted once, not per day.
	daily := series("2026-12-01", "2026-12-02", func(d string) string {
		if d == "2026-12-01" {
			return "2100"
		}
		return "100"
	})
	f := forecastAt(t, daily, "2026-12-01", "2026-12-02", "2026-12-02", at("2026-12-02", 1))
	if want := MustParseMoney("5100"); f.Total.Cmp(want) != 0 {
		t.Errorf("one-off on the 1st: %s; want %s", f.Total, want)
	}
	// A one-off today is counted as billed, once.
	daily["2026-12-02"] = MustParseMoney("2100")
	f = forecastAt(t, daily, "2026-12-01", "2026-12-02", "2026-12-02", at("2026-12-02", 1))
	if want := MustParseMoney("7100"); f.Total.Cmp(want) != 0 {
		t.Errorf("one-offs on the 1st and today: %s; want %s", f.Total, want)
	}
	// In the middle of the month, the one-off day is left out of the level.
	daily = series("2026-12-01", "2026-12-20", func(d string) string {
		if d == "2026-12-10" {
			return "2100"
		}
		return "100"
	})
	f = forecastAt(t, daily, "2026-12-01", "2026-12-20", "2026-12-20", at("2026-12-20", 12))
	if want := MustParseMoney("5100"); f.Total.Cmp(want) != 0 || f.Dropped != 1 {
		t.Errorf("one-off on the 10th: %s, %d dropped; want %s, 1", f.Total, f.Dropped, want)
	}
}

func TestForecastFromDaysWeekdays(t *testing.T) {
	// 100 on weekdays, 40 at weekends: the month's exact total.
	amount := func(d string) string {
		if w := weekdayOf(d); w == time.Saturday || w == time.Sunday {
			return "40"
		}
		return "100"
	}
	want := new(big.Rat)
	for d := "2026-02-01"; d <= "2026-02-28"; d = addDays(d, 1) {
		want.Add(want, MustParseMoney(amount(d)).Rat())
	}
	for _, today := range []string{"2026-02-01", "2026-02-03", "2026-02-14", "2026-02-28"} {
		daily := series("2026-02-01", addDays(today, -1), amount)
		f := forecastAt(t, daily, "2026-02-01", today, today, at(today, 12))
		if f.Total.Rat().Cmp(want) != 0 || !f.Weekly {
			t.Errorf("weekdays on %s: %s (weekly %v); want %s", today, f.Total, f.Weekly, want.FloatString(0))
		}
	}
}

func TestForecastFromDaysEdges(t *testing.T) {
	daily := map[string]Money{"2026-11-05": MustParseMoney("10"), "2026-11-20": MustParseMoney("5.5")}
	// Over: the total.
	f, err := ForecastFromDays(DayForecastInput{Daily: daily, From: "2026-11-01", To: "2026-11-30", DataThrough: "2026-11-20", Now: at("2026-12-02", 1), Loc: plus7})
	if err != nil || f.Total.Cmp(MustParseMoney("15.5")) != 0 || f.Low.Cmp(f.High) != 0 {
		t.Errorf("past range: %+v %v", f, err)
	}
	// Nothing complete: the linear forecast.
	f, err = ForecastFromDays(DayForecastInput{Daily: map[string]Money{"2026-12-01": MustParseMoney("12")}, From: "2026-12-01", To: "2026-12-01",
		DataThrough: "2026-12-01", Now: at("2026-12-01", 12), Loc: plus7})
	lin, _ := Forecast(MustParseMoney("12"), "2026-12-01", "2026-12-01", at("2026-12-01", 12), plus7)
	if err != nil || !f.Linear || f.Total.Cmp(lin) != 0 {
		t.Errorf("no complete day: %+v %v; want linear %s", f, err, lin)
	}
	for _, in := range []DayForecastInput{
		{From: "2026-12-01", To: "2026-12-01", Now: at("2026-12-01", 1)},
		{From: "2026-12-01", To: "2026-11-01", Now: at("2026-12-01", 1), Loc: plus7},
		{From: "2026-12-01", To: "2026-12-01", HistoryFrom: "2026-12-02", Now: at("2026-12-01", 1), Loc: plus7},
		{From: "2026-12-01", To: "2026-12-01", DataThrough: "x", Now: at("2026-12-01", 1), Loc: plus7},
	} {
		if _, err := ForecastFromDays(in); err == nil {
			t.Errorf("%+v is accepted", in)
		}
	}
}

// TestForecastFromDaysNoisy checks, on noisy data, that the interval holds
// the forecast and what is already billed, and that the figures repeat.
func TestForecastFromDaysNoisy(t *testing.T) {
	n := 0
	amount := func(string) string {
		n++
		return fmt.Sprintf("%d.%02d", 90+(n*37)%21, (n*53)%100)
	}
	daily := series("2025-12-01", "2025-12-15", amount)
	a := forecastAt(t, daily, "2025-12-01", "2025-12-15", "2025-12-15", at("2025-12-15", 12))
	b := forecastAt(t, daily, "2025-12-01", "2025-12-15", "2025-12-15", at("2025-12-15", 12))
	if a.Total.Cmp(b.Total) != 0 || a.Low.Cmp(b.Low) != 0 || a.High.Cmp(b.High) != 0 {
		t.Fatal("the forecast is not deterministic")
	}
	billed := Money{}
	for d := "2025-12-01"; d <= "2025-12-15"; d = addDays(d, 1) {
		billed = billed.Add(daily[d])
	}
	if a.Low.Cmp(a.Total) >= 0 || a.Total.Cmp(a.High) >= 0 || billed.Cmp(a.Low) > 0 {
		t.Errorf("interval %s [%s, %s], billed %s", a.Total, a.Low, a.High, billed)
	}
	// Across a year end: the range of 31 December forecasts December.
	daily = series("2025-12-01", "2025-12-31", amount)
	f := forecastAt(t, daily, "2025-12-01", "2025-12-31", "2025-12-31", at("2025-12-31", 23))
	if f.RemainingDays != 1 || f.CompleteThrough != "2025-12-30" {
		t.Errorf("31 December: %+v", f)
	}
}
