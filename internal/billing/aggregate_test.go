package billing

import (
	"fmt"
	"strconv"
	"testing"
	"time"
)

var plus7 = time.FixedZone("UTC+07:00", 7*3600)

func str(s string) *string { return &s }

func line(start string, service string, vpc, tag *string, price string) Line {
	t, err := ParseLineTime(start, plus7)
	if err != nil {
		panic(err)
	}
	return Line{Day: t.In(plus7).Format(time.DateOnly), Start: t, Service: service, VPC: vpc, Tag: tag, Name: "r", Price: MustParseMoney(price)}
}

// TestAggregateExact sums prices that float64 gets wrong; every total must
// equal the sum of its lines to the last digit.
func TestAggregateExact(t *testing.T) {
	many := make([]string, 100_000)
	for i := range many {
		many[i] = "0.0001"
	}
	cases := []struct {
		name   string
		prices []string
		want   string
	}{
		{"tenth_plus_fifth", []string{"0.1", "0.2"}, "0.3"},
		{"large_plus_cent", []string{"1e15", "0.01"}, "1000000000000000.01"},
		{"many_small", many, "10"},
		{"real_looking", []string{"2.5558", "0.5112", "5.6228", "1234567.8901", "0"}, "1234576.5799"},
		{"beyond_int64", []string{"9223372036854775807", "9223372036854775807", "0.5"}, "18446744073709551614.5"},
		{"credit", []string{"100.25", "-100.25", "0.01"}, "0.01"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			agg, err := NewAggregator(Day, plus7, "2024-09-01", "2024-09-01")
			if err != nil {
				t.Fatal(err)
			}
			var f float64
			for _, p := range tc.prices {
				l := line("2024-09-01 10:00:00", "Instance", nil, nil, p)
				agg.Add(&l)
				v, _ := strconv.ParseFloat(p, 64)
				f += v
			}
			s := agg.Summary()
			if got := s.Total.String(); got != tc.want {
				t.Errorf("total %s, want %s", got, tc.want)
			}
			if s.Count != int64(len(tc.prices)) || s.ByService["Instance"].String() != tc.want ||
				s.ByVPC[NoneKey].String() != tc.want || s.Periods[0].Total.String() != tc.want {
				t.Errorf("breakdowns disagree with the total: %+v", s)
			}
			if strconv.FormatFloat(f, 'f', -1, 64) != tc.want {
				t.Logf("float64 would say %v", f)
			}
		})
	}
}

func TestAggregateBreakdowns(t *testing.T) {
	agg, err := NewAggregator(Day, plus7, "2024-09-01", "2024-09-02")
	if err != nil {
		t.Fatal(err)
	}
	lines := []Line{
		line("2024-09-01 01:00:00", "Instance", str("prod-vpc"), str("env:prod"), "10.5"),
		line("2024-09-01 02:00:00", "Instance", str("vpc-dữ-liệu"), nil, "0.25"),
		line("2024-09-01 03:00:00", "Storage", nil, str(""), "3"),
		line("2024-09-02T04:00:00+07:00", "Storage", str(""), str("env:prod"), "0.0001"),
	}
	for i := range lines {
		agg.Add(&lines[i])
	}
	s := agg.Summary()
	want := map[string]map[string]string{
		"service": {"Instance": "10.75", "Storage": "3.0001"},
		"vpc":     {"prod-vpc": "10.5", "vpc-dữ-liệu": "0.25", NoneKey: "3.0001"},
		"tag":     {"env:prod": "10.5001", NoneKey: "3.25"},
	}
	for name, got := range map[string]map[string]Money{"service": s.ByService, "vpc": s.ByVPC, "tag": s.ByTag} {
		if len(got) != len(want[name]) {
			t.Errorf("%s: %d keys, want %d", name, len(got), len(want[name]))
		}
		for k, v := range want[name] {
			if got[k].String() != v {
				t.Errorf("%s %q = %s, want %s", name, k, got[k], v)
			}
		}
	}
	if s.Total.String() != "13.7501" || s.Count != 4 {
		t.Errorf("total %s over %d lines", s.Total, s.Count)
	}
}

func TestFilter(t *testing.T) {
	l1 := line("2024-09-01 01:00:00", "Instance", str("prod-vpc"), str("env:prod"), "1")
	l2 := line("2024-09-01 01:00:00", "Storage", nil, nil, "1")
	cases := []struct {
		f      Filter
		l1, l2 bool
	}{
		{NewFilter(nil, nil, nil), true, true},
		{NewFilter([]string{"Instance"}, nil, nil), true, false},
		{NewFilter(nil, []string{NoneKey}, nil), false, true},
		{NewFilter(nil, []string{"prod-vpc", NoneKey}, []string{"env:prod"}), true, false},
		{NewFilter([]string{"Storage"}, nil, []string{NoneKey}), false, true},
	}
	for i, tc := range cases {
		if tc.f.Match(&l1) != tc.l1 || tc.f.Match(&l2) != tc.l2 {
			t.Errorf("case %d: match %v %v, want %v %v", i, tc.f.Match(&l1), tc.f.Match(&l2), tc.l1, tc.l2)
		}
	}
}

func TestParseLineTime(t *testing.T) {
	want := time.Date(2024, 9, 1, 23, 30, 0, 0, time.UTC)
	for _, s := range []string{"2024-09-02 06:30:00", "2024-09-02T06:30:00", "2024-09-01T23:30:00Z", "2024-09-02T06:30:00+07:00", "2024-09-02T06:30:00.000+07:00"} {
		got, err := ParseLineTime(s, plus7)
		if err != nil || !got.Equal(want) {
			t.Errorf("%s: %v %v, want %v", s, got, err, want)
		}
	}
	for _, s := range []string{"", "2024-09-02", "02/09/2024 06:30", "2024-09-02 06:30"} {
		if _, err := ParseLineTime(s, plus7); err == nil {
			t.Errorf("%q parsed", s)
		}
	}
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := ParseTimeZone(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// periodsOf aggregates lines (RFC 3339 start, price) and renders the
// periods as "start..end=total/count".
func periodsOf(t *testing.T, period Period, loc *time.Location, from, to string, lines map[string]string) []string {
	t.Helper()
	agg, err := NewAggregator(period, loc, from, to)
	if err != nil {
		t.Fatal(err)
	}
	for start, price := range lines {
		l := line(start, "Instance", nil, nil, price)
		agg.Add(&l)
	}
	var out []string
	var sum Money
	for _, p := range agg.Summary().Periods {
		out = append(out, fmt.Sprintf("%s..%s=%s/%d", p.Start.Format(time.RFC3339), p.End.Format(time.RFC3339), p.Total, p.Count))
		sum = sum.Add(p.Total)
	}
	if sum.Cmp(agg.Summary().Total) != 0 {
		t.Errorf("the periods sum to %s, the total is %s", sum, agg.Summary().Total)
	}
	return out
}

func TestPeriods(t *testing.T) {
	utc := time.UTC
	hcm := mustZone(t, "Asia/Ho_Chi_Minh")
	ny := mustZone(t, "America/New_York")
	kolkata := mustZone(t, "+05:30")
	cases := []struct {
		name     string
		period   Period
		loc      *time.Location
		from, to string
		lines    map[string]string
		want     []string
	}{
		{"day_plus7_moves_2330z_to_next_day", Day, plus7, "2024-09-01", "2024-09-02",
			map[string]string{"2024-09-01T23:30:00Z": "5", "2024-09-01T10:00:00Z": "1"},
			[]string{"2024-09-01T00:00:00+07:00..2024-09-02T00:00:00+07:00=1/1", "2024-09-02T00:00:00+07:00..2024-09-03T00:00:00+07:00=5/1"}},
		{"day_utc_keeps_2330z", Day, utc, "2024-09-01", "2024-09-02",
			map[string]string{"2024-09-01T23:30:00Z": "5", "2024-09-01T10:00:00Z": "1"},
			[]string{"2024-09-01T00:00:00Z..2024-09-02T00:00:00Z=6/2", "2024-09-02T00:00:00Z..2024-09-03T00:00:00Z=0/0"}},
		{"day_iana_name", Day, hcm, "2024-09-01", "2024-09-01",
			map[string]string{"2024-08-31T17:00:00Z": "2"},
			[]string{"2024-09-01T00:00:00+07:00..2024-09-02T00:00:00+07:00=2/1"}},
		{"empty_days_are_zero", Day, plus7, "2024-09-01", "2024-09-04",
			map[string]string{"2024-09-03T12:00:00+07:00": "0.1"},
			[]string{"2024-09-01T00:00:00+07:00..2024-09-02T00:00:00+07:00=0/0", "2024-09-02T00:00:00+07:00..2024-09-03T00:00:00+07:00=0/0",
				"2024-09-03T00:00:00+07:00..2024-09-04T00:00:00+07:00=0.1/1", "2024-09-04T00:00:00+07:00..2024-09-05T00:00:00+07:00=0/0"}},
		{"iso_weeks_start_monday", Week, plus7, "2024-09-01", "2024-09-10", // a Sunday to a Tuesday
			map[string]string{"2024-09-01T12:00:00+07:00": "1", "2024-09-02T00:00:00+07:00": "2", "2024-09-08T23:59:59+07:00": "3"},
			[]string{"2024-08-26T00:00:00+07:00..2024-09-02T00:00:00+07:00=1/1", "2024-09-02T00:00:00+07:00..2024-09-09T00:00:00+07:00=5/2",
				"2024-09-09T00:00:00+07:00..2024-09-16T00:00:00+07:00=0/0"}},
		{"iso_week_across_new_year", Week, utc, "2024-12-30", "2025-01-05",
			map[string]string{"2025-01-01T00:00:00Z": "1"},
			[]string{"2024-12-30T00:00:00Z..2025-01-06T00:00:00Z=1/1"}},
		{"months_across_leap_february", Month, plus7, "2024-01-31", "2024-03-01",
			map[string]string{"2024-02-29T23:00:00+07:00": "1", "2024-02-29T17:30:00Z": "2"},
			[]string{"2024-01-01T00:00:00+07:00..2024-02-01T00:00:00+07:00=0/0", "2024-02-01T00:00:00+07:00..2024-03-01T00:00:00+07:00=1/1",
				"2024-03-01T00:00:00+07:00..2024-04-01T00:00:00+07:00=2/1"}},
		{"years", Year, plus7, "2023-12-31", "2024-01-01",
			map[string]string{"2023-12-31T16:59:59Z": "1", "2023-12-31T17:00:00Z": "2"},
			[]string{"2023-01-01T00:00:00+07:00..2024-01-01T00:00:00+07:00=1/1", "2024-01-01T00:00:00+07:00..2025-01-01T00:00:00+07:00=2/1"}},
		{"hours_half_hour_offset", Hour, kolkata, "2024-09-01", "2024-09-01",
			map[string]string{"2024-09-01T10:45:00+05:30": "1", "2024-09-01T05:29:59Z": "2"},
			nil},
		{"line_after_the_range_adds_its_period", Day, plus7, "2024-09-01", "2024-09-01",
			map[string]string{"2024-09-01T23:30:00Z": "7"},
			[]string{"2024-09-01T00:00:00+07:00..2024-09-02T00:00:00+07:00=0/0", "2024-09-02T00:00:00+07:00..2024-09-03T00:00:00+07:00=7/1"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := periodsOf(t, tc.period, tc.loc, tc.from, tc.to, tc.lines)
			if tc.want == nil {
				return
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("periods\n got %v\nwant %v", got, tc.want)
			}
		})
	}

	// Hours: 24 a day, local hours at +05:30, 25 and 23 on DST change days.
	hours := periodsOf(t, Hour, kolkata, "2024-09-01", "2024-09-01", map[string]string{"2024-09-01T10:45:00+05:30": "1", "2024-09-01T05:29:59Z": "2"})
	if len(hours) != 24 || hours[10] != "2024-09-01T10:00:00+05:30..2024-09-01T11:00:00+05:30=3/2" {
		t.Errorf("+05:30 hours: %d, the 11th is %s", len(hours), hours[10])
	}
	if got := periodsOf(t, Hour, ny, "2024-11-03", "2024-11-03", nil); len(got) != 25 {
		t.Errorf("New York's 3 November 2024 has %d hours, want 25", len(got))
	}
	if got := periodsOf(t, Hour, ny, "2024-03-10", "2024-03-10", nil); len(got) != 23 {
		t.Errorf("New York's 10 March 2024 has %d hours, want 23", len(got))
	}
	if got := periodsOf(t, Day, ny, "2024-11-03", "2024-11-03", nil); got[0] != "2024-11-03T00:00:00-04:00..2024-11-04T00:00:00-05:00=0/0" {
		t.Errorf("a DST day: %v", got)
	}
	if len(periodsOf(t, Hour, utc, "2024-01-01", "2024-12-31", nil)) != 366*24 {
		t.Error("a leap year has not 8784 hours")
	}
}

func TestParsePeriod(t *testing.T) {
	for _, p := range Periods {
		if _, err := ParsePeriod(p); err != nil {
			t.Error(err)
		}
	}
	if _, err := ParsePeriod("fortnight"); err == nil {
		t.Error("fortnight is a period")
	}
	if _, err := NewAggregator("fortnight", plus7, "2024-09-01", "2024-09-01"); err == nil {
		t.Error("an aggregator with an unknown period")
	}
}

func TestAggregateByName(t *testing.T) {
	named := func(name, start, price string) Line {
		l := line(start, "Instance", nil, nil, price)
		l.Name = name
		return l
	}
	cases := []struct {
		name  string
		lines []Line
		want  map[string]string
	}{
		{"none", nil, map[string]string{}},
		{"one_resource_many_lines", []Line{
			named("web-01", "2024-09-01 01:00:00", "0.1"),
			named("web-01", "2024-09-01 02:00:00", "0.2"),
			named("web-01", "2024-09-02 03:00:00", "1234567.8901"),
		}, map[string]string{"web-01": "1234568.1901"}},
		{"names_apart", []Line{
			named("web-01", "2024-09-01 01:00:00", "10"),
			named("web-02", "2024-09-01 01:00:00", "0.0001"),
			named("máy-chủ-api", "2024-09-01 01:00:00", "3.5"),
			named("web-02", "2024-09-02 01:00:00", "-0.0001"),
		}, map[string]string{"web-01": "10", "web-02": "0", "máy-chủ-api": "3.5"}},
		{"empty_name_is_none", []Line{
			named("", "2024-09-01 01:00:00", "2"),
			named(NoneKey, "2024-09-01 01:00:00", "3"),
		}, map[string]string{NoneKey: "5"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			agg, err := NewAggregator(Week, plus7, "2024-09-01", "2024-09-02")
			if err != nil {
				t.Fatal(err)
			}
			for i := range tc.lines {
				agg.Add(&tc.lines[i])
			}
			s := agg.Summary()
			if len(s.ByName) != len(tc.want) {
				t.Errorf("%d names, want %d: %v", len(s.ByName), len(tc.want), s.ByName)
			}
			var sum Money
			for k, v := range s.ByName {
				if want, ok := tc.want[k]; !ok || v.String() != want {
					t.Errorf("%q = %s, want %q", k, v, want)
				}
				sum = sum.Add(v)
			}
			if sum.Cmp(s.Total) != 0 {
				t.Errorf("the names sum to %s, the total is %s", sum, s.Total)
			}
		})
	}
}

// TestAggregateDays checks the daily totals, kept whatever the period.
func TestAggregateDays(t *testing.T) {
	agg, err := NewAggregator(Month, plus7, "2024-09-01", "2024-09-03")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range []Line{
		line("2024-09-01 10:00:00", "Instance", nil, nil, "1.5"),
		line("2024-09-01T20:00:00Z", "Instance", nil, nil, "2"), // 03:00 on the 2nd at +07:00
		line("2024-09-03 23:59:59", "Storage", nil, nil, "0.25"),
	} {
		agg.Add(&l)
	}
	s := agg.Summary()
	var got []string
	for _, d := range s.Days {
		got = append(got, fmt.Sprintf("%s=%s/%d", d.Start.Format(time.DateOnly), d.Total, d.Count))
	}
	want := []string{"2024-09-01=1.5/1", "2024-09-02=2/1", "2024-09-03=0.25/1"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("days %v, want %v", got, want)
	}
	if len(s.Periods) != 1 || s.Periods[0].Total.String() != "3.75" {
		t.Errorf("the month period is %+v", s.Periods)
	}
}

func TestLatestDay(t *testing.T) {
	cases := []struct {
		days []string
		want string
	}{
		{nil, ""},
		{[]string{""}, ""},
		{[]string{"2024-09-01"}, "2024-09-01"},
		{[]string{"2024-09-03", "2024-09-01", "2024-09-02"}, "2024-09-03"},
		{[]string{"2024-12-31", "2025-01-01", ""}, "2025-01-01"},
	}
	for _, tc := range cases {
		if got := LatestDay(tc.days...); got != tc.want {
			t.Errorf("LatestDay(%q) = %q, want %q", tc.days, got, tc.want)
		}
	}

	agg, err := NewAggregator(Day, plus7, "2024-09-01", "2024-09-05")
	if err != nil {
		t.Fatal(err)
	}
	if got := agg.Summary().LatestDay; got != "" {
		t.Errorf("no lines: latest day %q", got)
	}
	for _, start := range []string{"2024-09-02 10:00:00", "2024-09-04 10:00:00", "2024-09-03 10:00:00"} {
		l := line(start, "Instance", nil, nil, "1")
		agg.Add(&l)
	}
	if got := agg.Summary().LatestDay; got != "2024-09-04" {
		t.Errorf("latest day %q, want 2024-09-04", got)
	}
}

// TestIsFinal checks that a range becomes final when its last day is
// closed, at midnight two days after it in the account's time zone (not in
// UTC): a range that ended yesterday is over but may still get lines, as
// the day cache counts it.
func TestIsFinal(t *testing.T) {
	cases := []struct {
		name string
		to   string
		now  time.Time
		loc  *time.Location
		want bool
	}{
		{"today_is_not_final", "2024-09-20", time.Date(2024, 9, 20, 3, 0, 0, 0, time.UTC), plus7, false},
		{"yesterday_is_not_final", "2024-09-19", time.Date(2024, 9, 20, 3, 0, 0, 0, time.UTC), plus7, false},
		{"the_day_before_yesterday_is_final", "2024-09-18", time.Date(2024, 9, 20, 3, 0, 0, 0, time.UTC), plus7, true},
		{"future_is_not_final", "2024-09-30", time.Date(2024, 9, 20, 3, 0, 0, 0, time.UTC), plus7, false},
		{"the_day_after_is_not_final", "2024-09-20", time.Date(2024, 9, 21, 16, 59, 59, 999999999, time.UTC), plus7, false},
		{"local_midnight_two_days_after", "2024-09-20", time.Date(2024, 9, 21, 17, 0, 0, 0, time.UTC), plus7, true},
		{"utc_midnight_is_later", "2024-09-20", time.Date(2024, 9, 21, 17, 0, 0, 0, time.UTC), time.UTC, false},
		{"utc_midnight", "2024-09-20", time.Date(2024, 9, 22, 0, 0, 0, 0, time.UTC), time.UTC, true},
		{"last_month_on_the_1st", "2024-11-30", time.Date(2024, 12, 1, 5, 0, 0, 0, time.UTC), plus7, false},
		{"last_month_on_the_2nd", "2024-11-30", time.Date(2024, 12, 1, 17, 0, 0, 0, time.UTC), plus7, true},
		{"year_end", "2024-12-31", time.Date(2025, 1, 1, 17, 0, 0, 0, time.UTC), plus7, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := IsFinal(tc.to, tc.now, tc.loc)
			if err != nil || got != tc.want {
				t.Errorf("IsFinal(%s, %s) = %v, %v; want %v", tc.to, tc.now.In(tc.loc).Format(time.RFC3339), got, err, tc.want)
			}
		})
	}
	if _, err := IsFinal("2024-9-20", time.Date(2024, 9, 20, 3, 0, 0, 0, time.UTC), plus7); err == nil {
		t.Error("a malformed date is final or not")
	}
}
