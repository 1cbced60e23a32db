package billing

import (
	"fmt"
	"time"
)

// NoneKey is the key under which lines without a VPC (or without a tag) are
// totalled, and the filter value that selects such lines. A null and an
// empty name both count as none.
const NoneKey = "(none)"

// Line is what aggregation needs of one bill line.
type Line struct {
	Day     string    // YYYY-MM-DD: the account day the API billed the line on
	Start   time.Time // start of the billed interval; periods are taken from it
	Service string
	VPC     *string // nil: the line has no VPC
	Tag     *string // nil: the line has no tag
	Name    string
	Price   Money
}

// groupKey is the map key of an optional name.
func groupKey(s *string) string {
	if s == nil || *s == "" {
		return NoneKey
	}
	return *s
}

// ParseLineTime reads a bill line's start_time: "YYYY-MM-DD HH:MM:SS" (or
// with a T) in the account's time zone loc, or RFC 3339 with an offset.
func ParseLineTime(s string, loc *time.Location) (time.Time, error) {
	if t, err := time.ParseInLocation(time.DateTime, s, loc); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation("2006-01-02T15:04:05", s, loc); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("start_time %q is neither \"YYYY-MM-DD HH:MM:SS\" nor RFC 3339", s)
}

// Filter keeps the lines of some services, VPCs and tags. An empty list
// keeps every line; NoneKey in VPCs or tags keeps the lines without one.
type Filter struct {
	services, vpcs, tags map[string]bool
}

// NewFilter builds a Filter from the wanted values.
func NewFilter(services, vpcs, tags []string) Filter {
	set := func(values []string) map[string]bool {
		if len(values) == 0 {
			return nil
		}
		m := make(map[string]bool, len(values))
		for _, v := range values {
			m[v] = true
		}
		return m
	}
	return Filter{services: set(services), vpcs: set(vpcs), tags: set(tags)}
}

// Match reports whether l passes every list of f.
func (f Filter) Match(l *Line) bool {
	return (f.services == nil || f.services[l.Service]) &&
		(f.vpcs == nil || f.vpcs[groupKey(l.VPC)]) &&
		(f.tags == nil || f.tags[groupKey(l.Tag)])
}

// Summary is the aggregate of the lines of a range.
type Summary struct {
	Count     int64
	Total     Money            // exact sum of every line's price
	ByService map[string]Money // by service name
	ByVPC     map[string]Money // by VPC name; NoneKey for lines without one
	ByTag     map[string]Money // by tag; NoneKey for lines without one
	ByName    map[string]Money // by resource name; NoneKey for lines without one
	Periods   []PeriodTotal    // by period, in time order, with no gaps inside the range
	// Days is the spend per day in the aggregation's time zone, whatever
	// the period: every day of the range, then any day outside it that
	// holds a line, in time order. With period Day it is Periods itself.
	Days []PeriodTotal
	// LatestDay is the latest Day (YYYY-MM-DD) of the lines, "" when there
	// are none: how far the data reaches.
	LatestDay string
	// Daily is the spend per service per line Day, for spikes.
	Daily ServiceDays
}

// Aggregator sums lines exactly as they come, in any order: the totals do
// not depend on it. It keeps one entry per service, VPC, tag and period, not
// the lines, so memory does not grow with their number.
type Aggregator struct {
	count                           int64
	total                           Money
	byService, byVPC, byTag, byName map[string]Money
	periods, days                   *periodTotals
	latestDay                       string
	daily                           ServiceDays
}

// NewAggregator sums lines of the range from..to (YYYY-MM-DD, inclusive),
// grouping them by period in loc.
func NewAggregator(period Period, loc *time.Location, from, to string) (*Aggregator, error) {
	periods, err := newPeriodTotals(period, loc, from, to)
	if err != nil {
		return nil, err
	}
	days := periods // grouped by day already: one set of sums serves both
	if period != Day {
		if days, err = newPeriodTotals(Day, loc, from, to); err != nil {
			return nil, err
		}
	}
	return &Aggregator{
		byService: map[string]Money{},
		byVPC:     map[string]Money{},
		byTag:     map[string]Money{},
		byName:    map[string]Money{},
		daily:     ServiceDays{},
		periods:   periods,
		days:      days,
	}, nil
}

// Add counts one line.
func (a *Aggregator) Add(l *Line) {
	a.count++
	a.total = a.total.Add(l.Price)
	a.byService[l.Service] = a.byService[l.Service].Add(l.Price)
	vpc, tag := groupKey(l.VPC), groupKey(l.Tag)
	a.byVPC[vpc] = a.byVPC[vpc].Add(l.Price)
	a.byTag[tag] = a.byTag[tag].Add(l.Price)
	name := groupKey(&l.Name)
	a.byName[name] = a.byName[name].Add(l.Price)
	a.periods.add(l.Start, l.Price)
	if a.days != a.periods {
		a.days.add(l.Start, l.Price)
	}
	a.latestDay = LatestDay(a.latestDay, l.Day)
	a.daily.add(l.Service, l.Day, l.Price)
}

// LatestDay is the latest of days (YYYY-MM-DD), ignoring empty ones; ""
// when none is given.
func LatestDay(days ...string) string {
	latest := ""
	for _, d := range days {
		if d > latest { // YYYY-MM-DD sorts as text in time order
			latest = d
		}
	}
	return latest
}

// LastClosedDay is the latest day (YYYY-MM-DD) that is closed at now in
// loc: the day before yesterday. A day is closed once it ended more than a
// day ago, since lines of a day keep arriving for a while after it ends;
// today and yesterday are never closed. It is the one rule of is_final and
// of the day cache.
func LastClosedDay(now time.Time, loc *time.Location) string {
	return now.In(loc).AddDate(0, 0, -2).Format(time.DateOnly)
}

// IsFinal reports whether the range that ends on to (YYYY-MM-DD, inclusive)
// is closed at now in loc: every day of it is closed (see LastClosedDay),
// so its figures no longer change. A range that ended yesterday is over
// but not yet final.
func IsFinal(to string, now time.Time, loc *time.Location) (bool, error) {
	if _, err := ParseDate(to); err != nil {
		return false, err
	}
	return to <= LastClosedDay(now, loc), nil
}

// Summary returns the totals so far. The maps are the aggregator's own.
func (a *Aggregator) Summary() Summary {
	periods := a.periods.result()
	days := periods
	if a.days != a.periods {
		days = a.days.result()
	}
	return Summary{
		Count:     a.count,
		Total:     a.total,
		ByService: a.byService,
		ByVPC:     a.byVPC,
		ByTag:     a.byTag,
		ByName:    a.byName,
		Periods:   periods,
		Days:      days,
		LatestDay: a.latestDay,
		Daily:     a.daily,
	}
}
