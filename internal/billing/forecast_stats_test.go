package billing

import (
	"math/big"
	"slices"
	"testing"
	"time"
)

// The forecast's robust statistics (forecast_stats.go), at the boundaries
// docs/guides/forecasting.md and their doc comments state: the weekday
// profile needs three weeks of days and must stand out of the noise, a day
// is a one-off when it is farther from the median than max(4σ, |median| /
// 10), medians of an even count are the mean of the middle two.

func rats(values ...string) []*big.Rat {
	out := make([]*big.Rat, len(values))
	for i, v := range values {
		r, ok := new(big.Rat).SetString(v)
		if !ok {
			panic(v)
		}
		out[i] = r
	}
	return out
}

func ratIs(t *testing.T, what string, got *big.Rat, want string) {
	t.Helper()
	w, _ := new(big.Rat).SetString(want)
	if got.Cmp(w) != 0 {
		t.Errorf("%s = %s, want %s", what, got.RatString(), w.RatString())
	}
}

// days lists n consecutive days from 2026-11-02, a Monday.
func statsDays(n int) []string {
	start := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	out := make([]string, n)
	for i := range out {
		out[i] = start.AddDate(0, 0, i).Format(time.DateOnly)
	}
	return out
}

// weekly spends weekday on Monday to Friday and weekend on Saturday and Sunday.
func weekly(weekday, weekend string) func(string) Money {
	return func(day string) Money {
		switch weekdayOf(day) {
		case time.Saturday, time.Sunday:
			return MustParseMoney(weekend)
		}
		return MustParseMoney(weekday)
	}
}

func TestWeekdayProfileNeedsThreeWeeks(t *testing.T) {
	amount := weekly("100", "10")
	_, weeklyShort, counts := weekdayProfile(statsDays(ForecastWeekdayMinDays-1), amount)
	if weeklyShort {
		t.Errorf("a profile from %d days, fewer than %d", ForecastWeekdayMinDays-1, ForecastWeekdayMinDays)
	}
	if counts[time.Monday] != 3 || counts[time.Sunday] != 2 {
		t.Errorf("20 days from a Monday hold %d Mondays and %d Sundays, want 3 and 2", counts[time.Monday], counts[time.Sunday])
	}
	factors, isWeekly, counts := weekdayProfile(statsDays(ForecastWeekdayMinDays), amount)
	if !isWeekly {
		t.Fatalf("no profile from %d days of a weekend at a tenth of the week", ForecastWeekdayMinDays)
	}
	for w, n := range counts {
		if n != 3 {
			t.Errorf("%d days of %s, want 3", n, time.Weekday(w))
		}
	}
	// f(w) = median of w / mean of the seven medians: 100 × 7 / 520 and 10 × 7 / 520.
	sum := new(big.Rat)
	for w, f := range factors {
		want := "35/26"
		if time.Weekday(w) == time.Saturday || time.Weekday(w) == time.Sunday {
			want = "7/52"
		}
		ratIs(t, "f("+time.Weekday(w).String()+")", f, want)
		sum.Add(sum, f)
	}
	ratIs(t, "the factors' sum", sum, "7")
}

func TestWeekdayProfileStaysFlatWithoutAPattern(t *testing.T) {
	for name, amount := range map[string]func(string) Money{
		"flat":    weekly("100", "100"),
		"nothing": weekly("0", "0"), // no spend: no medians to divide by
		"credits": weekly("-5", "-5"),
	} {
		factors, isWeekly, _ := weekdayProfile(statsDays(28), amount)
		if isWeekly {
			t.Errorf("%s: a weekly profile %v", name, factors)
		}
		for w, f := range factors {
			ratIs(t, name+": f("+time.Weekday(w).String()+")", f, "1")
		}
	}
}

// TestWeekdayProfileNeverExpectsACredit: a weekday whose median is a credit
// expects nothing, not a negative spend.
func TestWeekdayProfileNeverExpectsACredit(t *testing.T) {
	amount := func(day string) Money {
		if weekdayOf(day) == time.Sunday {
			return MustParseMoney("-50")
		}
		return MustParseMoney("100")
	}
	factors, isWeekly, _ := weekdayProfile(statsDays(28), amount)
	if !isWeekly {
		t.Fatal("no profile although Sundays are credits")
	}
	ratIs(t, "f(Sunday)", factors[time.Sunday], "0")
	// The other six: 100 × 7 / (6 × 100 − 50).
	ratIs(t, "f(Monday)", factors[time.Monday], "14/11")
}

// TestWeekdayProfileMustStandOutOfTheNoise: the same weekly swing is taken
// when the days are even, and not when the days vary by far more than it.
func TestWeekdayProfileMustStandOutOfTheNoise(t *testing.T) {
	days := statsDays(28)
	small := func(day string) Money { // Saturdays 2% below the rest, no noise
		if weekdayOf(day) == time.Saturday {
			return MustParseMoney("98")
		}
		return MustParseMoney("100")
	}
	if _, isWeekly, _ := weekdayProfile(days, small); !isWeekly {
		t.Error("an exact 2% weekly swing without noise was not taken")
	}
	noisy := func(day string) Money { // the same swing, days ±40% around it
		base := int64(100)
		if weekdayOf(day) == time.Saturday {
			base = 98
		}
		// An offset that moves from week to week on each weekday.
		n := dayNumber(day)
		offsets := []int64{-40, 40, -35, 35, 0, -20, 20}
		return Money{small: base + offsets[(n+n/7*3)%7]}
	}
	if factors, isWeekly, _ := weekdayProfile(days, noisy); isWeekly {
		t.Errorf("a 2%% swing in ±40%% noise was taken: %v", factors)
	}
}

func TestClippedMeanLeavesOutOneOffs(t *testing.T) {
	cases := []struct {
		name   string
		values []string
		sigma2 string
		mean   string
		kept   int
	}{
		{"none", nil, "0", "0", 0},
		{"one", []string{"7"}, "0", "7", 1},
		{"a spike", []string{"10", "10", "10", "10", "100"}, "1", "10", 4},
		// |median| / 10 when that is more than 4σ: 110 is exactly as far, 110.01 farther.
		{"at the floor", []string{"100", "100", "110"}, "0", "310/3", 3},
		{"past the floor", []string{"100", "100", "11001/100"}, "0", "100", 2},
		{"below a negative median", []string{"-100", "-100", "-110"}, "0", "-310/3", 3},
		{"past, negative", []string{"-100", "-100", "-11001/100"}, "0", "-100", 2},
		// 4σ when that is more: σ = 5, 20 from the median is kept, more is not.
		{"at 4 sigma", []string{"100", "100", "120"}, "25", "320/3", 3},
		{"past 4 sigma", []string{"100", "100", "12001/100"}, "25", "100", 2},
		{"under 4 sigma", []string{"100", "100", "80"}, "25", "280/3", 3},
		// Every value far from the median: the median stands for them all.
		{"two far apart", []string{"0", "100"}, "0", "50", 2},
	}
	for _, tc := range cases {
		sigma2, _ := new(big.Rat).SetString(tc.sigma2)
		mean, kept := clippedMean(rats(tc.values...), sigma2)
		ratIs(t, tc.name+": mean", mean, tc.mean)
		if kept != tc.kept {
			t.Errorf("%s: kept %d, want %d", tc.name, kept, tc.kept)
		}
	}
}

func TestRatMedian(t *testing.T) {
	cases := []struct {
		values []string
		want   string
	}{
		{nil, "0"},
		{[]string{"5"}, "5"},
		{[]string{"3", "1", "2"}, "2"},
		{[]string{"4", "1", "3", "2"}, "5/2"},
		{[]string{"-1", "-3"}, "-2"},
		{[]string{"1", "1", "100", "100"}, "101/2"},
		// Equal as float64, different as fractions: ordered exactly.
		{[]string{"1/3", "1/3", "100000000000000000000000001/300000000000000000000000000"}, "1/3"},
		{[]string{"100000000000000000000000001/300000000000000000000000000", "1/3", "100000000000000000000000001/300000000000000000000000000"},
			"100000000000000000000000001/300000000000000000000000000"},
	}
	for _, tc := range cases {
		values := rats(tc.values...)
		before := slices.Clone(tc.values)
		ratIs(t, "median of "+joinStrings(tc.values), ratMedian(values), tc.want)
		for i, v := range values {
			if w, _ := new(big.Rat).SetString(before[i]); v.Cmp(w) != 0 {
				t.Errorf("the median changed its values: %v", values)
			}
		}
	}
	// The median is a value of its own: changing it changes no input.
	values := rats("1", "2", "3")
	m := ratMedian(values)
	m.Add(m, big.NewRat(10, 1))
	ratIs(t, "the middle value after its median was changed", values[1], "2")
}

func joinStrings(s []string) string {
	out := ""
	for i, v := range s {
		if i > 0 {
			out += ", "
		}
		out += v
	}
	return "[" + out + "]"
}

func TestMedianAbsDeviation(t *testing.T) {
	ratIs(t, "MAD", medianAbsDeviation(rats("1", "2", "3", "4", "100"), big.NewRat(3, 1)), "1")
	ratIs(t, "MAD about another centre", medianAbsDeviation(rats("1", "2", "3"), big.NewRat(10, 1)), "8")
	ratIs(t, "MAD of none", medianAbsDeviation(nil, big.NewRat(3, 1)), "0")
}

func TestRatSqrt(t *testing.T) {
	ratIs(t, "√0", ratSqrt(new(big.Rat)), "0")
	ratIs(t, "√-4", ratSqrt(big.NewRat(-4, 1)), "0")
	ratIs(t, "√4", ratSqrt(big.NewRat(4, 1)), "2")
	ratIs(t, "√(1/4)", ratSqrt(big.NewRat(1, 4)), "1/2")
	got, _ := ratSqrt(big.NewRat(2, 1)).Float64()
	if got < 1.41421356237 || got > 1.41421356238 {
		t.Errorf("√2 = %v", got)
	}
}

func TestDayNumberAndWeekday(t *testing.T) {
	if got := dayNumber("1970-01-01"); got != 0 {
		t.Errorf("dayNumber(1970-01-01) = %d", got)
	}
	if got := dayNumber("2026-12-07") - dayNumber("2026-11-30"); got != 7 {
		t.Errorf("a week is %d days", got)
	}
	if got := weekdayOf("2026-12-07"); got != time.Monday {
		t.Errorf("2026-12-07 is a %s", got)
	}
}
