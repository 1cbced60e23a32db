package billing

import (
	"math/big"
	"strings"
	"testing"
	"time"
)

func TestPreviousRange(t *testing.T) {
	for _, tc := range []struct{ mode, from, to, want string }{
		{ComparePreviousPeriod, "2024-09-01", "2024-09-20", "2024-08-12..2024-08-31"},
		{ComparePreviousPeriod, "2024-09-20", "2024-09-20", "2024-09-19..2024-09-19"},
		{ComparePreviousPeriod, "2025-01-01", "2025-01-31", "2024-12-01..2024-12-31"}, // across a year end
		{ComparePreviousPeriod, "2024-03-01", "2024-03-31", "2024-01-30..2024-02-29"}, // over a leap day
		{ComparePreviousPeriod, "2023-03-01", "2023-03-31", "2023-01-29..2023-02-28"}, // no leap day
		{ComparePreviousPeriod, "2024-01-01", "2024-12-31", "2022-12-31..2023-12-31"}, // 366 days before
		{ComparePreviousMonth, "2026-11-01", "2026-11-26", "2026-10-01..2026-10-26"},  // month_to_date on the 26th
		{ComparePreviousMonth, "2024-03-31", "2024-03-31", "2024-02-29..2024-02-29"},  // cut to a leap February
		{ComparePreviousMonth, "2023-03-31", "2023-03-31", "2023-02-28..2023-02-28"},  // and a plain one
		{ComparePreviousMonth, "2024-03-01", "2024-03-31", "2024-02-01..2024-02-29"},  // last_month in March
		{ComparePreviousMonth, "2024-07-31", "2024-07-31", "2024-06-30..2024-06-30"},  // the 31st of a 31-day month
		{ComparePreviousMonth, "2025-01-01", "2025-01-20", "2024-12-01..2024-12-20"},  // into the year before
		{ComparePreviousMonth, "2024-12-29", "2025-01-04", "2024-11-29..2024-12-04"},  // last_7_days across a year end
		{ComparePreviousMonth, "2024-03-29", "2024-03-31", "2024-02-29..2024-02-29"},  // three days that cut to one
		{ComparePreviousMonth, "2024-05-01", "2024-05-31", "2024-04-01..2024-04-30"},  // a long month after a short one
		{ComparePreviousMonth, "2024-02-01", "2024-02-29", "2024-01-01..2024-01-31"},  // a whole leap February (29 days) against the whole of January
		{ComparePreviousMonth, "2024-09-21", "2024-10-20", "2024-08-21..2024-09-20"},  // last_30_days: a month, not overlapping
		{ComparePreviousPeriod, "2024-02-29", "2024-02-29", "2024-02-28..2024-02-28"}, // a leap day alone
		{ComparePreviousPeriod, "2024-03-01", "2024-03-01", "2024-02-29..2024-02-29"}, // the day after a leap day
		{ComparePreviousPeriod, "2024-02-27", "2024-03-02", "2024-02-22..2024-02-26"}, // five days around it
		{ComparePreviousMonth, "2024-01-31", "2024-01-31", "2023-12-31..2023-12-31"},  // December has 31
		{ComparePreviousMonth, "2024-10-31", "2024-10-31", "2024-09-30..2024-09-30"},  // September has 30
		{ComparePreviousMonth, "2024-12-31", "2024-12-31", "2024-11-30..2024-11-30"},  // November has 30
		{ComparePreviousMonth, "2021-03-29", "2021-03-30", "2021-02-28..2021-02-28"},  // both ends cut
		{ComparePreviousMonth, "2024-01-15", "2024-02-10", "2023-12-15..2024-01-10"},  // under a month: no overlap
		{ComparePreviousPeriod, "2023-03-01", "2024-02-29", "2022-02-28..2023-02-28"}, // 366 days ending on a leap day
		{ComparePreviousMonth, "2024-06-30", "2024-06-30", "2024-05-30..2024-05-30"},  // a 30th stays a 30th
		{ComparePreviousMonth, "2024-02-29", "2024-02-29", "2024-01-29..2024-01-29"},  // from a leap day
		{ComparePreviousPeriod, "2020-12-31", "2021-01-01", "2020-12-29..2020-12-30"}, // two days across a year end
		{ComparePreviousMonth, "2020-12-31", "2021-01-01", "2020-11-30..2020-12-01"},  // the same, a month earlier
		{ComparePreviousMonth, "2024-04-30", "2024-05-01", "2024-03-30..2024-04-01"},  // across a month end
		{ComparePreviousMonth, "2024-04-01", "2024-04-30", "2024-03-01..2024-03-31"},  // a whole April (30 days) against the whole of March
		{ComparePreviousMonth, "2024-03-02", "2024-03-31", "2024-02-02..2024-02-29"},  // ends cut on a leap day
		{ComparePreviousMonth, "2025-03-02", "2025-03-31", "2025-02-02..2025-02-28"},  // and on a plain one
		{ComparePreviousPeriod, "2024-09-01", "2024-09-30", "2024-08-02..2024-08-31"}, // 30 days, not the month
		{ComparePreviousMonth, "2024-09-01", "2024-09-30", "2024-08-01..2024-08-31"},  // the whole month before, not cut to 30 days
		{ComparePreviousPeriod, "0001-01-02", "0001-01-02", "0001-01-01..0001-01-01"}, // the first day there is
		{ComparePreviousMonth, "9999-12-31", "9999-12-31", "9999-11-30..9999-11-30"},  // the last one
		{ComparePreviousPeriod, "2024-12-01", "2024-12-31", "2024-10-31..2024-11-30"}, // 31 days before December
		{ComparePreviousMonth, "2024-12-01", "2024-12-31", "2024-11-01..2024-11-30"},  // November
		{ComparePreviousMonth, "2024-08-01", "2024-08-31", "2024-07-01..2024-07-31"},  // July has 31
		{ComparePreviousMonth, "2024-03-01", "2024-03-28", "2024-02-01..2024-02-28"},  // not cut
		{ComparePreviousMonth, "2024-03-01", "2024-03-29", "2024-02-01..2024-02-29"},  // not cut either
		{ComparePreviousMonth, "2024-03-01", "2024-03-30", "2024-02-01..2024-02-29"},  // cut
		{ComparePreviousPeriod, "2024-01-01", "2024-01-01", "2023-12-31..2023-12-31"}, // today on New Year's day
		{ComparePreviousMonth, "2024-01-01", "2024-01-01", "2023-12-01..2023-12-01"},  // the same, a month back
		{ComparePreviousPeriod, "2024-02-01", "2024-02-29", "2024-01-03..2024-01-31"}, // 29 days
		{ComparePreviousPeriod, "2023-02-01", "2023-02-28", "2023-01-04..2023-01-31"}, // 28 days
		{ComparePreviousMonth, "2023-02-01", "2023-02-28", "2023-01-01..2023-01-31"},  // a whole plain February (28 days) against the whole of January
		{ComparePreviousPeriod, "2024-02-28", "2024-03-01", "2024-02-25..2024-02-27"}, // three days over a leap day
		{ComparePreviousMonth, "2024-02-28", "2024-03-01", "2024-01-28..2024-02-01"},  // the month before
		{ComparePreviousMonth, "2023-02-28", "2023-03-01", "2023-01-28..2023-02-01"},  // without a leap day
		{ComparePreviousPeriod, "2023-02-28", "2023-03-01", "2023-02-26..2023-02-27"}, // two days
		{ComparePreviousMonth, "2024-01-30", "2024-02-01", "2023-12-30..2024-01-01"},  // across a year end
		{ComparePreviousMonth, "2024-02-15", "2024-03-14", "2024-01-15..2024-02-14"},  // 29 days in a leap February
		{ComparePreviousMonth, "2023-02-15", "2023-03-14", "2023-01-15..2023-02-14"},  // 28 days in a plain one
		{ComparePreviousMonth, "2024-11-26", "2024-11-26", "2024-10-26..2024-10-26"},  // today
		{ComparePreviousMonth, "2024-10-01", "2024-10-31", "2024-09-01..2024-09-30"},  // last_month in November
		{ComparePreviousMonth, "2024-06-01", "2024-06-30", "2024-05-01..2024-05-31"},  // June against the whole of May
		{ComparePreviousMonth, "2024-07-01", "2024-07-31", "2024-06-01..2024-06-30"},  // July against June
		{ComparePreviousMonth, "2026-11-01", "2026-11-30", "2026-10-01..2026-10-31"},  // last_month on 2026-12-07: 30 days against 31
		{ComparePreviousMonth, "2025-03-01", "2025-03-31", "2025-02-01..2025-02-28"},  // 31 days against a plain February
		{ComparePreviousMonth, "2023-03-01", "2023-03-31", "2023-02-01..2023-02-28"},  // and another
		{ComparePreviousMonth, "2024-02-02", "2024-02-29", "2024-01-02..2024-01-29"},  // ends on the month's last day, starts later: the same days
		{ComparePreviousMonth, "2024-09-02", "2024-09-30", "2024-08-02..2024-08-30"},  // the same: August's 31st is not compared
		{ComparePreviousMonth, "2024-09-01", "2024-09-29", "2024-08-01..2024-08-29"},  // starts on the 1st, ends before the last day: the same days
		{ComparePreviousMonth, "2025-01-01", "2025-01-31", "2024-12-01..2024-12-31"},  // a whole January against the whole December before
		{ComparePreviousWeeks, "2026-12-01", "2026-12-02", "2026-11-24..2026-11-25"},  // month_to_date on the 2nd: Tuesday against Tuesday
		{ComparePreviousWeeks, "2026-12-01", "2026-12-01", "2026-11-24..2026-11-24"},  // one day, a week back
		{ComparePreviousWeeks, "2026-12-01", "2026-12-07", "2026-11-24..2026-11-30"},  // seven days: the week before, like previous_period
		{ComparePreviousWeeks, "2026-12-01", "2026-12-08", "2026-11-17..2026-11-24"},  // eight days: two weeks back
		{ComparePreviousWeeks, "2024-09-01", "2024-09-20", "2024-08-11..2024-08-30"},  // twenty days: three weeks back
		{ComparePreviousWeeks, "2024-03-01", "2024-03-31", "2024-01-26..2024-02-25"},  // a month of 31 days: five weeks back
		{ComparePreviousWeeks, "2024-03-01", "2024-03-05", "2024-02-23..2024-02-27"},  // over a leap day: 03-01 and 02-23 are both Fridays
		{ComparePreviousWeeks, "2025-01-01", "2025-01-03", "2024-12-25..2024-12-27"},  // into the year before
		{ComparePreviousWeeks, "2024-01-01", "2024-12-31", "2022-12-26..2023-12-26"},  // 366 days: 53 weeks back
	} {
		got, err := PreviousRange(tc.mode, tc.from, tc.to)
		if err != nil {
			t.Errorf("%s of %s..%s: %v", tc.mode, tc.from, tc.to, err)
			continue
		}
		if got.String() != tc.want {
			t.Errorf("%s of %s..%s = %s, want %s", tc.mode, tc.from, tc.to, got, tc.want)
		}
	}
}

// TestPreviousPeriodProperties checks previous_period over every range of up
// to 40 days starting in 2023 and 2024: the same number of days, ending the
// day before from, counted with a day-by-day loop.
func TestPreviousPeriodProperties(t *testing.T) {
	for start := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC); start.Year() < 2025; start = start.AddDate(0, 0, 1) {
		for length := 1; length <= 40; length++ {
			from, to := start.Format(time.DateOnly), start.AddDate(0, 0, length-1).Format(time.DateOnly)
			prev, err := PreviousRange(ComparePreviousPeriod, from, to)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			d, _ := time.Parse(time.DateOnly, prev.From)
			for ; d.Format(time.DateOnly) <= prev.To; d = d.AddDate(0, 0, 1) {
				n++
			}
			if d.Format(time.DateOnly) != from {
				t.Fatalf("previous_period of %s..%s = %s does not end the day before from", from, to, prev)
			}
			if n != length {
				t.Fatalf("previous_period of %s..%s = %s: %d days to from, want %d", from, to, prev, n, length)
			}
		}
	}
}

// TestPreviousWeeksProperties checks previous_weeks over every range of up
// to 40 days starting in 2023 and 2024: as many days, each on the same
// weekday, all before from, and fewer than seven days between its end and
// from (no whole week could be left out).
func TestPreviousWeeksProperties(t *testing.T) {
	for start := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC); start.Year() < 2025; start = start.AddDate(0, 0, 1) {
		for length := 1; length <= 40; length++ {
			from, to := start.Format(time.DateOnly), start.AddDate(0, 0, length-1).Format(time.DateOnly)
			prev, err := PreviousRange(ComparePreviousWeeks, from, to)
			if err != nil {
				t.Fatal(err)
			}
			pf, _ := time.Parse(time.DateOnly, prev.From)
			pt, _ := time.Parse(time.DateOnly, prev.To)
			end := start.AddDate(0, 0, length-1)
			if pf.Weekday() != start.Weekday() || pt.Weekday() != end.Weekday() {
				t.Fatalf("previous_weeks of %s..%s = %s: not the same weekdays", from, to, prev)
			}
			if n := int(pt.Sub(pf).Hours()/24) + 1; n != length {
				t.Fatalf("previous_weeks of %s..%s = %s: %d days, want %d", from, to, prev, n, length)
			}
			if gap := int(start.Sub(pt).Hours() / 24); gap < 1 || gap > 7 {
				t.Fatalf("previous_weeks of %s..%s = %s ends %d days before from, want 1 to 7", from, to, prev, gap)
			}
		}
	}
}

// TestPreviousMonthWholeMonths checks previous_month over every month from
// 2020 to 2029 (28-, 29-, 30- and 31-day months, each length after each):
// a whole month is compared with the whole month before, counted with a
// day-by-day loop, and every other range that ends on a month's last day
// keeps the same days of the month before, cut to its length.
func TestPreviousMonthWholeMonths(t *testing.T) {
	lengths := map[[2]int]bool{} // {days of the month, days of the month before}
	for first := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC); first.Year() < 2030; first = first.AddDate(0, 1, 0) {
		last := first
		for last.AddDate(0, 0, 1).Month() == first.Month() {
			last = last.AddDate(0, 0, 1)
		}
		before := first.AddDate(0, 0, -1) // the last day of the month before
		beforeFirst := before
		for beforeFirst.AddDate(0, 0, -1).Month() == before.Month() {
			beforeFirst = beforeFirst.AddDate(0, 0, -1)
		}
		lengths[[2]int{last.Day(), before.Day()}] = true
		from, to := first.Format(time.DateOnly), last.Format(time.DateOnly)
		got, err := PreviousRange(ComparePreviousMonth, from, to)
		if err != nil {
			t.Fatal(err)
		}
		if want := beforeFirst.Format(time.DateOnly) + ".." + before.Format(time.DateOnly); got.String() != want {
			t.Errorf("previous_month of the whole month %s..%s = %s, want the whole month before, %s", from, to, got, want)
		}
		// Later starts: the same days of the month before, cut to its length.
		for start := first.AddDate(0, 0, 1); !start.After(last); start = start.AddDate(0, 0, 1) {
			got, err := PreviousRange(ComparePreviousMonth, start.Format(time.DateOnly), to)
			if err != nil {
				t.Fatal(err)
			}
			wantFrom := time.Date(before.Year(), before.Month(), min(start.Day(), before.Day()), 0, 0, 0, 0, time.UTC)
			wantTo := time.Date(before.Year(), before.Month(), min(last.Day(), before.Day()), 0, 0, 0, 0, time.UTC)
			if want := wantFrom.Format(time.DateOnly) + ".." + wantTo.Format(time.DateOnly); got.String() != want {
				t.Fatalf("previous_month of %s..%s = %s, want the same days of the month before, %s", start.Format(time.DateOnly), to, got, want)
			}
		}
	}
	// Every pair a calendar has: 31 after 30 and 31, 30 after 31, 28 and 29
	// after 31, 31 after 28 and 29.
	for _, pair := range [][2]int{{31, 30}, {31, 31}, {30, 31}, {28, 31}, {29, 31}, {31, 28}, {31, 29}} {
		if !lengths[pair] {
			t.Errorf("no month of %d days after one of %d was checked", pair[0], pair[1])
		}
	}
}

func TestPreviousRangeErrors(t *testing.T) {
	for _, tc := range []struct{ mode, from, to, want string }{
		{ComparePreviousMonth, "2024-01-01", "2024-03-10", `spans more than a month, so the same days of the month before (2023-12-01..2024-02-10) overlap it; use "previous_period"`},
		{ComparePreviousMonth, "2024-01-01", "2024-12-31", "overlap it"},
		{ComparePreviousMonth, "2024-03-01", "2024-04-01", "overlap it"}, // to's month before is March 1st
		{"last_year", "2024-01-01", "2024-01-02", `"last_year" is not a comparison; use one of previous_period, previous_month, previous_weeks`},
		{ComparePreviousPeriod, "2024-02-30", "2024-03-01", "not a day of the calendar"},
		{ComparePreviousPeriod, "2024-03-01", "2025-03-02", "more than the 366"},
		{ComparePreviousWeeks, "2024-03-01", "2025-03-02", "more than the 366"},
	} {
		_, err := PreviousRange(tc.mode, tc.from, tc.to)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s of %s..%s: error %v, want one with %q", tc.mode, tc.from, tc.to, err, tc.want)
		}
	}
}

func TestCompare(t *testing.T) {
	sum := func(lines [][3]string) *Summary { // service, VPC ("" for none), price
		agg, err := NewAggregator(Day, time.UTC, "2024-09-01", "2024-09-30")
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range lines {
			var vpc *string
			if l[1] != "" {
				vpc = str(l[1])
			}
			line := line("2024-09-02 10:00:00", l[0], vpc, nil, l[2])
			agg.Add(&line)
		}
		s := agg.Summary()
		return &s
	}
	cur := sum([][3]string{{"Instance", "prod", "100.5"}, {"Instance", "", "0.1"}, {"Storage", "prod", "0.2"}, {"Kubernetes", "k8s", "1000"}})
	prev := sum([][3]string{{"Instance", "prod", "50"}, {"Storage", "", "0.3"}, {"Backup", "old", "7"}})
	c := Compare(cur, prev, DayRange{"2024-08-01", "2024-08-30"})
	// 1100.8 - 57.3 = 1043.5; 1043.5 / 57.3 × 100 = 1821.116928…
	want := map[string]string{"total": "57.3", "change": "1043.5", "percent": "1821.12"}
	if c.PreviousTotal.String() != want["total"] || c.Change.String() != want["change"] || c.ChangePercent == nil ||
		c.ChangePercent.String() != want["percent"] || c.PreviousCount != 3 {
		t.Errorf("comparison %+v, want %v", c, want)
	}
	for _, check := range []struct {
		name string
		got  map[string]Money
		want map[string]string
	}{
		{"service", c.ChangeByService, map[string]string{"Instance": "50.6", "Storage": "-0.1", "Kubernetes": "1000", "Backup": "-7"}},
		{"vpc", c.ChangeByVPC, map[string]string{"prod": "50.7", NoneKey: "-0.2", "k8s": "1000", "old": "-7"}},
	} {
		if len(check.got) != len(check.want) {
			t.Errorf("change by %s: %v, want %v", check.name, check.got, check.want)
		}
		for k, v := range check.want {
			if check.got[k].String() != v {
				t.Errorf("change by %s[%q] = %s, want %s", check.name, k, check.got[k], v)
			}
		}
	}

	empty := Compare(cur, sum(nil), DayRange{"2024-08-01", "2024-08-30"})
	if empty.ChangePercent != nil || empty.Change.String() != "1100.8" || empty.ChangeByService["Kubernetes"].String() != "1000" {
		t.Errorf("against an empty range: %+v", empty)
	}
}

func TestChangePercent(t *testing.T) {
	for _, tc := range []struct{ current, previous, want string }{
		{"112.345", "100", "12.35"},             // exactly half: away from zero
		{"87.655", "100", "-12.35"},             // and below zero
		{"112.3449", "100", "12.34"},            // under half
		{"1", "3", "-66.67"},                    // a repeating fraction
		{"100", "100", "0"},                     // no change
		{"0", "100", "-100"},                    // all gone
		{"50", "-100", "150"},                   // from a credit: a rise is positive
		{"0.3", "0.1", "200"},                   // decimals that float64 gets wrong
		{"1e20", "1", "9999999999999999999900"}, // large
	} {
		got, ok := ChangePercent(MustParseMoney(tc.current), MustParseMoney(tc.previous))
		// Independently: the percentage as a big.Rat, rounded by hand.
		r := new(big.Rat).Sub(MustParseMoney(tc.current).Rat(), MustParseMoney(tc.previous).Rat())
		r.Quo(r, new(big.Rat).Abs(MustParseMoney(tc.previous).Rat()))
		r.Mul(r, big.NewRat(100, 1))
		if !ok || got.String() != tc.want {
			t.Errorf("ChangePercent(%s, %s) = %s, %v; want %s (exactly %s)", tc.current, tc.previous, got, ok, tc.want, r.FloatString(6))
		}
	}
	if _, ok := ChangePercent(MustParseMoney("5"), Money{}); ok {
		t.Error("a change from 0 has a percentage")
	}
}

func TestMissingRanges(t *testing.T) {
	for _, tc := range []struct {
		want DayRange
		have []DayRange
		out  string
	}{
		{DayRange{"2024-02-25", "2024-03-02"}, nil, "2024-02-25..2024-03-02"},
		{DayRange{"2024-02-25", "2024-03-02"}, []DayRange{{"2024-02-28", "2024-03-02"}}, "2024-02-25..2024-02-27"},
		{DayRange{"2024-02-25", "2024-03-02"}, []DayRange{{"2024-02-27", "2024-02-29"}}, "2024-02-25..2024-02-26 2024-03-01..2024-03-02"},
		{DayRange{"2024-02-25", "2024-03-02"}, []DayRange{{"2024-01-01", "2024-12-31"}}, ""},
		{DayRange{"2023-12-30", "2024-01-02"}, []DayRange{{"2023-12-31", "2023-12-31"}}, "2023-12-30..2023-12-30 2024-01-01..2024-01-02"},
	} {
		got, err := MissingRanges(tc.want, tc.have...)
		if err != nil {
			t.Fatal(err)
		}
		var parts []string
		for _, r := range got {
			parts = append(parts, r.String())
		}
		if strings.Join(parts, " ") != tc.out {
			t.Errorf("MissingRanges(%s, %v) = %v, want %s", tc.want, tc.have, parts, tc.out)
		}
	}
}

// TestReportChangeNamesDays checks that the report's change line names the
// days compared on both sides and how many: a whole 30-day month against
// the whole 31-day month before, and a comparison cut to the complete
// days.
func TestReportChangeNamesDays(t *testing.T) {
	for _, tc := range []struct {
		current, previous DayRange
		want              string
	}{
		{DayRange{"2026-11-01", "2026-11-30"}, DayRange{"2026-10-01", "2026-10-31"},
			"- **Change:** +12.4% (+358,201 VND) over 2026-11-01..2026-11-30 (30 days) vs 2026-10-01..2026-10-31 (31 days, 2,893,000 VND)\n"},
		{DayRange{"2024-03-01", "2024-03-31"}, DayRange{"2024-02-01", "2024-02-29"},
			"- **Change:** +12.4% (+358,201 VND) over 2024-03-01..2024-03-31 (31 days) vs 2024-02-01..2024-02-29 (29 days, 2,893,000 VND)\n"},
		{DayRange{"2026-12-01", "2026-12-01"}, DayRange{"2026-11-01", "2026-11-01"},
			"- **Change:** +12.4% (+358,201 VND) over 2026-12-01..2026-12-01 (1 day) vs 2026-11-01..2026-11-01 (1 day, 2,893,000 VND)\n"},
	} {
		c := Comparison{Current: tc.current, Previous: tc.previous, PreviousTotal: MustParseMoney("2893000"),
			Change: MustParseMoney("358200.8")}
		var b strings.Builder
		if err := (ReportHistory{Comparison: &c}).writeChange(&b, "VND"); err != nil {
			t.Fatal(err)
		}
		if b.String() != tc.want {
			t.Errorf("change line\n got %q\nwant %q", b.String(), tc.want)
		}
	}
}
