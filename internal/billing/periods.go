package billing

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Period is the length of the intervals that spend is grouped by.
type Period string

// The periods, as in the Virtuozzo billing history API (seed 002).
const (
	Hour  Period = "hour"
	Day   Period = "day"
	Week  Period = "week"  // ISO 8601 weeks: Monday to Sunday
	Month Period = "month" // calendar months
	Year  Period = "year"  // calendar years
)

// Periods lists every Period, shortest first.
var Periods = []string{string(Hour), string(Day), string(Week), string(Month), string(Year)}

// ParsePeriod reads a period name.
func ParsePeriod(s string) (Period, error) {
	if !slices.Contains(Periods, s) {
		return "", fmt.Errorf("%q is not a period; use one of %s", s, strings.Join(Periods, ", "))
	}
	return Period(s), nil
}

// startOf is the start of the period that holds t, on loc's wall clock.
func (p Period) startOf(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	switch p {
	case Hour:
		// Local hours, also where the offset is not whole hours (+05:30).
		_, offset := l.Zone()
		shift := time.Duration(offset) * time.Second
		return t.Add(shift).Truncate(time.Hour).Add(-shift).In(loc)
	case Week:
		monday := (int(l.Weekday()) + 6) % 7 // days since Monday
		return time.Date(l.Year(), l.Month(), l.Day()-monday, 0, 0, 0, 0, loc)
	case Month:
		return time.Date(l.Year(), l.Month(), 1, 0, 0, 0, 0, loc)
	case Year:
		return time.Date(l.Year(), 1, 1, 0, 0, 0, 0, loc)
	default:
		return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
	}
}

// next is the start of the period after the one that starts at start.
func (p Period) next(start time.Time, loc *time.Location) time.Time {
	l := start.In(loc)
	switch p {
	case Hour:
		return start.Add(time.Hour)
	case Week:
		return time.Date(l.Year(), l.Month(), l.Day()+7, 0, 0, 0, 0, loc)
	case Month:
		return time.Date(l.Year(), l.Month()+1, 1, 0, 0, 0, 0, loc)
	case Year:
		return time.Date(l.Year()+1, 1, 1, 0, 0, 0, 0, loc)
	default:
		return time.Date(l.Year(), l.Month(), l.Day()+1, 0, 0, 0, 0, loc)
	}
}

// PeriodTotal is the spend of one period: lines whose start time is in
// [Start, End).
type PeriodTotal struct {
	Start, End time.Time // in the aggregation's time zone
	Total      Money
	Count      int64
}

// periodTotals groups spend by period.
type periodTotals struct {
	period     Period
	loc        *time.Location
	start, end time.Time // the range: [start of from, start of the day after to)
	buckets    map[int64]*PeriodTotal
}

func newPeriodTotals(period Period, loc *time.Location, from, to string) (*periodTotals, error) {
	if _, err := ParsePeriod(string(period)); err != nil {
		return nil, err
	}
	start, end, err := rangeBounds(from, to, loc)
	if err != nil {
		return nil, err
	}
	return &periodTotals{period: period, loc: loc, start: start, end: end, buckets: map[int64]*PeriodTotal{}}, nil
}

// rangeBounds is the instant from starts and the instant after to ends, in loc.
func rangeBounds(from, to string, loc *time.Location) (time.Time, time.Time, error) {
	f, err := ParseDate(from)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	t, err := ParseDate(to)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	return time.Date(f.Year(), f.Month(), f.Day(), 0, 0, 0, 0, loc),
		time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, loc), nil
}

func (p *periodTotals) add(t time.Time, price Money) {
	start := p.period.startOf(t, p.loc)
	key := start.UnixNano()
	b, ok := p.buckets[key]
	if !ok {
		b = &PeriodTotal{Start: start, End: p.period.next(start, p.loc)}
		p.buckets[key] = b
	}
	b.Total = b.Total.Add(price)
	b.Count++
}

// result lists every period that overlaps the range, with 0 where no line
// fell, and any period outside the range that holds a line (a line billed
// on the range's last day whose start time is the next day in loc), so
// that the periods always add up to the total.
func (p *periodTotals) result() []PeriodTotal {
	var out []PeriodTotal
	seen := make(map[int64]bool, len(p.buckets))
	for s := p.period.startOf(p.start, p.loc); s.Before(p.end); s = p.period.next(s, p.loc) {
		key := s.UnixNano()
		seen[key] = true
		if b, ok := p.buckets[key]; ok {
			out = append(out, *b)
		} else {
			out = append(out, PeriodTotal{Start: s, End: p.period.next(s, p.loc)})
		}
	}
	for key, b := range p.buckets {
		if !seen[key] {
			out = append(out, *b)
		}
	}
	slices.SortFunc(out, func(a, b PeriodTotal) int { return a.Start.Compare(b.Start) })
	return out
}
