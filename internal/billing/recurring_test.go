package billing

import (
	"fmt"
	"math/big"
	"testing"
	"time"
)

// feeDays is a service's days from first to last: usage of 1,000,000 a day
// (±4%, the same every run, weekends at 40%) and, on each day that fee
// names, that amount more.
func feeDays(first, last string, fee func(time.Time) int64) map[string]Money {
	f, _ := ParseDate(first)
	l, _ := ParseDate(last)
	out := map[string]Money{}
	for d := f; !d.After(l); d = d.AddDate(0, 0, 1) {
		usage := int64(1_000_000) + 10_000*(d.Unix()/86400*7%9-4)
		if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
			usage = usage * 4 / 10
		}
		out[d.Format(time.DateOnly)] = MustParseMoney(fmt.Sprint(usage + fee(d)))
	}
	return out
}

// onDay bills amount on the day-th of each month (the last day for 0).
func onDay(day int, amount int64) func(time.Time) int64 {
	return func(d time.Time) int64 {
		last := d.AddDate(0, 0, 1).Day() == 1
		if (day == AnchorLast && last) || d.Day() == day {
			return amount
		}
		return 0
	}
}

func TestFindRecurring(t *testing.T) {
	for _, tc := range []struct {
		name   string
		fee    func(time.Time) int64
		anchor int
		days   []string
	}{
		{"the 1st", onDay(1, 50_000_000), 1, []string{"2026-10-01", "2026-11-01", "2026-12-01"}},
		{"mid-month", onDay(15, 8_000_000), 15, []string{"2026-10-15", "2026-11-15"}},
		{"last day", onDay(AnchorLast, 20_000_000), AnchorLast, []string{"2026-10-31", "2026-11-30"}},
		// Growing 30% a month, as the emulated account's fee does: similar.
		{"growing", func(d time.Time) int64 {
			if d.Day() != 1 {
				return 0
			}
			return map[time.Month]int64{time.October: 100_000_000, time.November: 130_000_000, time.December: 169_000_000}[d.Month()]
		}, 1, []string{"2026-10-01", "2026-11-01", "2026-12-01"}},
		// Tripled in December: the run is November alone, too short.
		{"tripled", func(d time.Time) int64 {
			if d.Day() != 1 {
				return 0
			}
			return map[time.Month]int64{time.October: 0, time.November: 10_000_000, time.December: 30_000_000}[d.Month()]
		}, 0, nil},
		// Billed every third day: no single charge day.
		{"every 3 days", func(d time.Time) int64 {
			if d.Unix()/86400%3 == 0 {
				return 5_000_000
			}
			return 0
		}, 0, nil},
		{"none", func(time.Time) int64 { return 0 }, 0, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			series := feeDays("2026-09-24", "2026-12-09", tc.fee)
			got := FindRecurring("S", series, "2026-09-24", "2026-12-09")
			if tc.days == nil {
				if len(got) != 0 {
					t.Fatalf("found %+v, want none", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("found %d charges (%+v), want 1", len(got), got)
			}
			c := got[0]
			if c.Anchor != tc.anchor || fmt.Sprint(c.Days) != fmt.Sprint(tc.days) {
				t.Errorf("anchor %d on %v, want %d on %v", c.Anchor, c.Days, tc.anchor, tc.days)
			}
			// Each amount is the day less the median of its 7 days before.
			for i, d := range c.Days {
				p, _ := ParseDate(d)
				var before []Money
				for k := 1; k <= 7; k++ {
					before = append(before, series[p.AddDate(0, 0, -k).Format(time.DateOnly)])
				}
				if want := series[d].Sub(Median(before)); c.Amounts[i].Cmp(want) != 0 {
					t.Errorf("%s: amount %s, want %s", d, c.Amounts[i], want)
				}
			}
		})
	}
}

func TestRecurringDayIn(t *testing.T) {
	for _, tc := range []struct {
		anchor int
		month  string
		want   string
	}{
		{AnchorLast, "2027-02-10", "2027-02-28"}, {AnchorLast, "2028-02-10", "2028-02-29"},
		{AnchorLast, "2026-04-01", "2026-04-30"}, {31, "2026-04-01", "2026-04-30"}, {30, "2027-02-03", "2027-02-28"},
		{15, "2026-12-31", "2026-12-15"},
	} {
		m, _ := ParseDate(tc.month)
		if got := (RecurringCharge{Anchor: tc.anchor}).DayIn(m); got != tc.want {
			t.Errorf("anchor %d in %s: %s, want %s", tc.anchor, tc.month, got, tc.want)
		}
	}
}

// TestDetectSpikesRecurring: a fee on its day at its usual size is no
// spike; three times it is, judged against the usual day plus the fee.
func TestDetectSpikesRecurring(t *testing.T) {
	rule := SpikeRule{BaselineDays: 7, Factor: MustParseMoney("3"), MinAmount: MustParseMoney("1000000")}
	for _, tc := range []struct {
		name     string
		december int64
		spike    bool
	}{
		{"usual", 50_000_000, false},
		{"30% more", 65_000_000, false},
		{"three times", 150_000_000, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			series := feeDays("2026-09-24", "2026-12-09", func(d time.Time) int64 {
				if d.Day() != 1 || d.Month() < time.October {
					return 0
				}
				if d.Month() == time.December {
					return tc.december
				}
				return 50_000_000
			})
			spikes, err := DetectSpikes(ServiceDays{"S": series}, DayRange{"2026-12-01", "2026-12-09"}, rule)
			if err != nil {
				t.Fatal(err)
			}
			if !tc.spike {
				if len(spikes) != 0 {
					t.Fatalf("spikes %+v, want none", spikes)
				}
				return
			}
			if len(spikes) != 1 || spikes[0].Day != "2026-12-01" {
				t.Fatalf("spikes %+v, want the 1st", spikes)
			}
			nov, _ := ExpectedCharge(series, "2026-12-01", "2026-09-24")
			var before []Money
			for k := 1; k <= 7; k++ {
				before = append(before, series[fmt.Sprintf("2026-11-%02d", 31-k)])
			}
			if want := Median(before).Add(nov); spikes[0].Baseline.Cmp(want) != 0 {
				t.Errorf("baseline %s, want the usual day plus the fee, %s", spikes[0].Baseline, want)
			}
		})
	}
	// Without the month before, the same usual fee is a spike: nothing
	// was expected.
	series := feeDays("2026-11-20", "2026-12-09", onDay(1, 50_000_000))
	spikes, err := DetectSpikes(ServiceDays{"S": series}, DayRange{"2026-12-01", "2026-12-09"}, rule)
	if err != nil || len(spikes) != 1 {
		t.Fatalf("spikes %+v (%v), want the 1st", spikes, err)
	}
}

// TestForecastCountsRecurring: a fee due later in the month is in the
// forecast, one billed already counts once, and the interval allows for
// the fee's size.
func TestForecastCountsRecurring(t *testing.T) {
	const fee = 30_000_000
	for _, tc := range []struct {
		name string
		day  int
		now  string
	}{
		{"due on the 20th", 20, "2026-12-10"},
		{"due on the last day", AnchorLast, "2026-12-26"},
		{"billed on the 1st", 1, "2026-12-10"},
		{"billed on the 15th", 15, "2026-12-20"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			series := feeDays("2026-09-24", "2026-12-31", onDay(tc.day, fee))
			now, _ := ParseDate(tc.now)
			now = now.Add(12 * time.Hour)
			through := now.AddDate(0, 0, -1).Format(time.DateOnly)
			in := map[string]Money{}
			for d, m := range series {
				if d <= through {
					in[d] = m
				}
			}
			got, err := ForecastFromDays(DayForecastInput{
				Services: ServiceDays{"S": in}, HistoryFrom: "2026-09-24", From: "2026-12-01", To: "2026-12-31",
				DataThrough: tc.now, Now: now, Loc: time.UTC,
			})
			if err != nil {
				t.Fatal(err)
			}
			month := Money{}
			for d, m := range series {
				if d >= "2026-12-01" {
					month = month.Add(m)
				}
			}
			// Within 1% of the month (the fee is 35–55% of it).
			off := new(big.Rat).Quo(got.Total.Sub(month).Rat(), month.Rat())
			if f, _ := off.Float64(); f > 0.01 || f < -0.01 {
				t.Errorf("forecast %s, month %s: %.1f%% off", got.Total, month, 100*f)
			}
			if len(got.Recurring) != 1 {
				t.Fatalf("recurring %+v, want the fee", got.Recurring)
			}
			// The interval allows for a fee still due: it holds the month
			// and is at least a tenth of the fee wide each side.
			if got.Recurring[0].DayIn(now) <= through {
				return
			}
			if got.Low.Cmp(month) > 0 || got.High.Cmp(month) < 0 {
				t.Errorf("interval %s..%s misses the month %s", got.Low, got.High, month)
			}
			if got.High.Sub(got.Low).Cmp(MustParseMoney(fmt.Sprint(2*fee/10))) < 0 {
				t.Errorf("interval %s..%s is narrower than the fee's own ±10%%", got.Low, got.High)
			}
		})
	}
}

func TestRecurringInAndUsageChange(t *testing.T) {
	series := feeDays("2026-09-24", "2026-12-26", onDay(1, 200_000_000))
	days := ServiceDays{"S": series}
	cur, err := RecurringIn(days, DayRange{"2026-12-01", "2026-12-25"})
	if err != nil {
		t.Fatal(err)
	}
	prev, err := RecurringIn(days, DayRange{"2026-11-03", "2026-11-27"})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := ExpectedCharge(series, "2027-01-01", "2026-09-24") // December's
	if cur.Cmp(want) != 0 || prev.Sign() != 0 {
		t.Fatalf("recurring %s and %s, want %s and 0", cur, prev, want)
	}
	sum := func(from, to string) Money {
		s := Money{}
		for d, m := range series {
			if d >= from && d <= to {
				s = s.Add(m)
			}
		}
		return s
	}
	c := Compare(&Summary{Total: sum("2026-12-01", "2026-12-25")}, &Summary{Total: sum("2026-11-03", "2026-11-27")}, DayRange{"2026-11-03", "2026-11-27"})
	if p := c.ChangePercent; p == nil || p.Cmp(MustParseMoney("100")) < 0 {
		t.Fatalf("the totals' change %v: the fee should double it", p)
	}
	change, p, ok := RecurringSplit{Current: cur, Previous: prev}.UsageChange(c)
	if !ok || p.Cmp(MustParseMoney("-10")) < 0 || p.Cmp(MustParseMoney("10")) > 0 {
		t.Errorf("usage change %s (%s%%): the usage is the same", change, p)
	}
}

// TestRecurringByDay names the day of each recurring charge of a range
// with its amount, and no other day; RecurringIn is their sum.
func TestRecurringByDay(t *testing.T) {
	series := feeDays("2026-09-24", "2026-12-26", onDay(1, 200_000_000))
	days := ServiceDays{"S": series, "T": feeDays("2026-09-24", "2026-12-26", onDay(15, 3_000_000))}
	got, err := RecurringByDay(days, DayRange{"2026-12-01", "2026-12-25"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("recurring charges on %v, want the 1st and the 15th", got)
	}
	for day, service := range map[string]string{"2026-12-01": "S", "2026-12-15": "T"} {
		if want, _ := RecurringOn(days[service], day, "2026-09-24"); got[day].Cmp(want) != 0 || want.Sign() == 0 {
			t.Errorf("%s: %s, want %s's charge %s", day, got[day], service, want)
		}
	}
	sum, err := RecurringIn(days, DayRange{"2026-12-01", "2026-12-25"})
	if err != nil {
		t.Fatal(err)
	}
	if want := got["2026-12-01"].Add(got["2026-12-15"]); sum.Cmp(want) != 0 {
		t.Errorf("RecurringIn %s, want the days' sum %s", sum, want)
	}
	if _, err := RecurringByDay(days, DayRange{"2026-12-01", "2026-12-32"}); err == nil {
		t.Error("a range ending on 2026-12-32 was accepted")
	}
}
