package billing

import (
	"math/big"
	"strings"
	"testing"
	"time"
)

func TestResolveRange(t *testing.T) {
	cases := []struct {
		now      time.Time
		loc      *time.Location
		preset   string
		from, to string
	}{
		// 2024-09-20 10:00 at +07:00.
		{time.Date(2024, 9, 20, 3, 0, 0, 0, time.UTC), plus7, RangeToday, "2024-09-20", "2024-09-20"},
		{time.Date(2024, 9, 20, 3, 0, 0, 0, time.UTC), plus7, RangeYesterday, "2024-09-19", "2024-09-19"},
		{time.Date(2024, 9, 20, 3, 0, 0, 0, time.UTC), plus7, RangeMonthToDate, "2024-09-01", "2024-09-20"},
		{time.Date(2024, 9, 20, 3, 0, 0, 0, time.UTC), plus7, RangeLastMonth, "2024-08-01", "2024-08-31"},
		{time.Date(2024, 9, 20, 3, 0, 0, 0, time.UTC), plus7, RangeLast7Days, "2024-09-14", "2024-09-20"},
		{time.Date(2024, 9, 20, 3, 0, 0, 0, time.UTC), plus7, RangeLast30Days, "2024-08-22", "2024-09-20"},
		{time.Date(2024, 9, 20, 3, 0, 0, 0, time.UTC), plus7, RangeYearToDate, "2024-01-01", "2024-09-20"},
		// 31 August 20:00 UTC is already 1 September at +07:00.
		{time.Date(2024, 8, 31, 20, 0, 0, 0, time.UTC), plus7, RangeMonthToDate, "2024-09-01", "2024-09-01"},
		{time.Date(2024, 8, 31, 20, 0, 0, 0, time.UTC), time.UTC, RangeMonthToDate, "2024-08-01", "2024-08-31"},
		{time.Date(2024, 8, 31, 20, 0, 0, 0, time.UTC), plus7, RangeLastMonth, "2024-08-01", "2024-08-31"},
		{time.Date(2024, 8, 31, 20, 0, 0, 0, time.UTC), time.UTC, RangeLastMonth, "2024-07-01", "2024-07-31"},
		// Month and year ends.
		{time.Date(2024, 3, 31, 12, 0, 0, 0, time.UTC), time.UTC, RangeLastMonth, "2024-02-01", "2024-02-29"},
		{time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC), time.UTC, RangeLastMonth, "2024-12-01", "2024-12-31"},
		{time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC), time.UTC, RangeYesterday, "2024-12-31", "2024-12-31"},
		{time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC), time.UTC, RangeLast7Days, "2024-02-24", "2024-03-01"},
		{time.Date(2024, 12, 31, 12, 0, 0, 0, time.UTC), time.UTC, RangeYearToDate, "2024-01-01", "2024-12-31"},
	}
	for _, tc := range cases {
		from, to, err := ResolveRange(tc.preset, tc.now, tc.loc)
		if err != nil || from != tc.from || to != tc.to {
			t.Errorf("%s at %s in %s: %s..%s (%v), want %s..%s", tc.preset, tc.now.Format(time.RFC3339), tc.loc, from, to, err, tc.from, tc.to)
		}
		if err := CheckRange(from, to); err != nil {
			t.Errorf("%s resolves to an invalid range: %v", tc.preset, err)
		}
	}
	if _, _, err := ResolveRange("last_week", time.Date(2024, 9, 20, 10, 0, 0, 0, time.UTC), time.UTC); err == nil || !strings.Contains(err.Error(), "month_to_date") {
		t.Errorf("an unknown preset: %v", err)
	}
}

func TestCheckRange(t *testing.T) {
	cases := []struct {
		from, to string
		field    string // "" for a valid range
		message  string
	}{
		{"2024-09-01", "2024-09-01", "", ""},
		{"2024-01-01", "2024-12-31", "", ""}, // 366 days
		{"2023-01-01", "2023-12-31", "", ""},
		{"2024-9-1", "2024-09-02", "from", "not a date in the form YYYY-MM-DD"},
		{"2024-09-01", "01/09/2024", "to", "not a date in the form YYYY-MM-DD"},
		{"2023-02-29", "2023-03-01", "from", "not a day of the calendar"},
		{"2024-09-02", "2024-09-01", "to", "from (2024-09-02) is after to (2024-09-01)"},
		{"2023-01-01", "2024-01-01", "", ""}, // 366 days
		{"2023-01-01", "2024-01-02", "to", "spans 367 days, more than the 366"},
	}
	for _, tc := range cases {
		err := CheckRange(tc.from, tc.to)
		if tc.field == "" {
			if err != nil {
				t.Errorf("%s..%s: %v", tc.from, tc.to, err)
			}
			continue
		}
		rangeErr, ok := err.(*RangeError)
		if !ok || rangeErr.Field != tc.field || !strings.Contains(rangeErr.Message, tc.message) {
			t.Errorf("%s..%s: %v, want an error on %s that says %q", tc.from, tc.to, err, tc.field, tc.message)
		}
	}
}

func TestForecast(t *testing.T) {
	now := time.Date(2024, 9, 20, 3, 0, 0, 0, time.UTC) // 10:00 at +07:00: 19 days 10 hours into September
	cases := []struct {
		name, total, from, to string
		loc                   *time.Location
		want                  string
	}{
		// 466 hours elapsed of the 720 in September.
		{"month_to_date", "466", "2024-09-01", "2024-09-20", plus7, "720"},
		{"whole_month_ahead", "466", "2024-09-01", "2024-09-30", plus7, "720"},
		{"rounded_half_away_from_zero", "1", "2024-09-01", "2024-09-20", plus7, "1.55"}, // 720/466 = 1.545…
		{"credit_rounds_away_from_zero", "-1", "2024-09-01", "2024-09-20", plus7, "-1.55"},
		{"rounds_down", "0.00233", "2024-09-01", "2024-09-20", plus7, "0"},  // 0.0036 → 0
		{"rounds_up", "0.01165", "2024-09-01", "2024-09-20", plus7, "0.02"}, // 0.018 → 0.02
		// From 22 August: 706 hours elapsed, 960 to 1 October.
		{"last_30_days_to_month_end", "706", "2024-08-22", "2024-09-20", plus7, "960"},
		// In UTC it is 03:00: 459 hours elapsed of 720.
		{"utc", "459", "2024-09-01", "2024-09-20", time.UTC, "720"},
		{"range_over", "1234.5678", "2024-08-01", "2024-08-31", plus7, "1234.5678"},
		{"ended_yesterday", "1234.5678", "2024-09-01", "2024-09-19", plus7, "1234.5678"},
		{"not_started", "0", "2024-09-21", "2024-09-30", plus7, "0"},
		{"zero", "0", "2024-09-01", "2024-09-20", plus7, "0"},
		{"exact_beyond_float", "0.3", "2024-09-01", "2024-09-20", plus7, "0.46"}, // 0.3×720/466 = 0.4635…
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Forecast(MustParseMoney(tc.total), tc.from, tc.to, now, tc.loc)
			if err != nil {
				t.Fatal(err)
			}
			if got.String() != tc.want {
				t.Errorf("forecast %s, want %s", got, tc.want)
			}
		})
	}
}

func TestMoneyFromRatRoundsHalfAwayFromZero(t *testing.T) {
	for in, want := range map[string]string{"1/8": "0.13", "-1/8": "-0.13", "27/200": "0.14", "1/3": "0.33", "-2/3": "-0.67", "5": "5"} {
		r, _ := new(big.Rat).SetString(in)
		if got := MoneyFromRat(r, 2).String(); got != want {
			t.Errorf("%s: %s, want %s", in, got, want)
		}
	}
	if got := MustParseMoney("-123.456").Rat().String(); got != "-15432/125" {
		t.Errorf("Rat: %s", got)
	}
}
