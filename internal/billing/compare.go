package billing

import (
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/calendar"
)

// The ranges a range can be compared with.
const (
	// ComparePreviousPeriod is the range of the same length that ends the
	// day before from.
	ComparePreviousPeriod = "previous_period"
	// ComparePreviousMonth is the whole month before when the range is a
	// whole calendar month (its 1st to its last day); otherwise the same
	// days one calendar month earlier, each cut to the length of its month
	// (the 31st becomes the 30th, or the 28th or 29th in February).
	ComparePreviousMonth = "previous_month"
	// ComparePreviousWeeks is the range of the same length a whole number
	// of weeks earlier: the fewest whole weeks that put it before from, so
	// that every day is compared with the same weekday.
	ComparePreviousWeeks = "previous_weeks"
)

// CompareModes lists the comparison names.
var CompareModes = []string{ComparePreviousPeriod, ComparePreviousMonth, ComparePreviousWeeks}

// ChangePercentDecimals is how many digits after the point a change in
// percent keeps, rounded half away from zero.
const ChangePercentDecimals = 2

// DayRange is an inclusive range of days, YYYY-MM-DD.
type DayRange struct{ From, To string }

func (r DayRange) String() string { return r.From + ".." + r.To }

// PreviousRange is the range that from..to (YYYY-MM-DD, inclusive) is
// compared with under mode. It always ends before from: a previous_month
// of a range longer than its previous month would overlap the range itself,
// and is refused with the remedy.
func PreviousRange(mode, from, to string) (DayRange, error) {
	if err := CheckRange(from, to); err != nil {
		return DayRange{}, err
	}
	f, _ := ParseDate(from) // checked above
	t, _ := ParseDate(to)
	var prev DayRange
	switch mode {
	case ComparePreviousPeriod:
		days := DaysInRange(f, t)
		prev = DayRange{From: f.AddDate(0, 0, -days).Format(time.DateOnly), To: f.AddDate(0, 0, -1).Format(time.DateOnly)}
	case ComparePreviousMonth:
		prev = DayRange{From: monthBefore(f).Format(time.DateOnly), To: monthBefore(t).Format(time.DateOnly)}
		if IsWholeMonth(f, t) {
			// 1-30 November against 1-31 October: month for month, not
			// the same days cut to the shorter month.
			prev.To = f.AddDate(0, 0, -1).Format(time.DateOnly)
		}
		if prev.To >= from {
			return DayRange{}, fmt.Errorf("compare_to = %q: %s..%s spans more than a month, so the same days of the "+
				"month before (%s) overlap it; use %q, or a range of at most a month", mode, from, to, prev, ComparePreviousPeriod)
		}
	case ComparePreviousWeeks:
		back := -7 * WeeksBack(DaysInRange(f, t))
		prev = DayRange{From: f.AddDate(0, 0, back).Format(time.DateOnly), To: t.AddDate(0, 0, back).Format(time.DateOnly)}
	default:
		return DayRange{}, fmt.Errorf("%q is not a comparison; use one of %s", mode, strings.Join(CompareModes, ", "))
	}
	if err := CheckRange(prev.From, prev.To); err != nil {
		return DayRange{}, fmt.Errorf("the range before %s..%s, %s, cannot be read: %w", from, to, prev, err)
	}
	return prev, nil
}

// IsWholeMonth reports whether from..to is one whole calendar month: from
// is its 1st and to its last day. A range that ends on a month's last day
// but starts later (2024-03-02..2024-03-31) is not.
func IsWholeMonth(from, to time.Time) bool {
	return from.Day() == 1 && from.Year() == to.Year() && from.Month() == to.Month() &&
		to.AddDate(0, 0, 1).Day() == 1
}

// WeeksBack is how many whole weeks previous_weeks moves a range of days
// days back: the fewest that put all of it before its first day.
func WeeksBack(days int) int { return (days + 6) / 7 }

// monthBefore is the same day of the month before d, cut to that month's
// last day.
func monthBefore(d time.Time) time.Time {
	first := time.Date(d.Year(), d.Month()-1, 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(d.Day(), last), 0, 0, 0, 0, time.UTC)
}

// Comparison is a range's spend against a previous range's.
type Comparison struct {
	// Current is the range's days compared (its complete days while it
	// includes today); the report names them when set.
	Current       DayRange
	Previous      DayRange
	PreviousTotal Money
	PreviousCount int64
	Change        Money // total - previous total
	// ChangePercent is Change / |previous total| × 100, rounded half away
	// from zero to ChangePercentDecimals; nil when the previous total is 0.
	ChangePercent   *Money
	ChangeByService map[string]Money // a key of only one range counts 0 in the other
	ChangeByVPC     map[string]Money
}

// Compare compares current with previous, the summary of the range prev.
func Compare(current, previous *Summary, prev DayRange) Comparison {
	c := Comparison{
		Previous:        prev,
		PreviousTotal:   previous.Total,
		PreviousCount:   previous.Count,
		Change:          current.Total.Sub(previous.Total),
		ChangeByService: changes(current.ByService, previous.ByService),
		ChangeByVPC:     changes(current.ByVPC, previous.ByVPC),
	}
	if p, ok := ChangePercent(current.Total, previous.Total); ok {
		c.ChangePercent = &p
	}
	return c
}

// ChangePercent is (current - previous) / |previous| × 100 rounded half
// away from zero to ChangePercentDecimals places, so that a rise is
// positive even from a credit; false when previous is 0.
func ChangePercent(current, previous Money) (Money, bool) {
	if previous.Sign() == 0 {
		return Money{}, false
	}
	r := new(big.Rat).Quo(current.Sub(previous).Rat(), new(big.Rat).Abs(previous.Rat()))
	r.Mul(r, big.NewRat(100, 1))
	return MoneyFromRat(r, ChangePercentDecimals), true
}

// changes is current - previous per key, over the keys of both.
func changes(current, previous map[string]Money) map[string]Money {
	out := make(map[string]Money, len(current))
	for k, v := range current {
		out[k] = v.Sub(previous[k])
	}
	for k, v := range previous {
		if _, ok := current[k]; !ok {
			out[k] = v.Neg()
		}
	}
	return out
}

// Sub returns m - o, exactly.
func (m Money) Sub(o Money) Money { return m.Add(o.Neg()) }

// DaysOf lists the days of r, in order.
func DaysOf(r DayRange) ([]string, error) {
	f, err := ParseDate(r.From)
	if err != nil {
		return nil, err
	}
	t, err := ParseDate(r.To)
	if err != nil {
		return nil, err
	}
	return calendar.Days(f, t), nil
}

// MissingRanges is the days of want that no range of have covers, as
// ranges of consecutive days, in order: what is left to read.
func MissingRanges(want DayRange, have ...DayRange) ([]DayRange, error) {
	days, err := DaysOf(want)
	if err != nil {
		return nil, err
	}
	var out []DayRange
	for _, day := range days {
		if slices.ContainsFunc(have, func(r DayRange) bool { return day >= r.From && day <= r.To }) {
			continue
		}
		if n := len(out); n > 0 && nextDay(out[n-1].To) == day {
			out[n-1].To = day
			continue
		}
		out = append(out, DayRange{From: day, To: day})
	}
	return out, nil
}

func nextDay(day string) string {
	d, err := ParseDate(day)
	if err != nil {
		return ""
	}
	return d.AddDate(0, 0, 1).Format(time.DateOnly)
}
