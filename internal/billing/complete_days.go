package billing

import (
	"fmt"
	"time"
)

// LastCompleteDay is the last day (YYYY-MM-DD) whose bill is complete at
// now in loc, "" when none is known to be. A day is complete when it is
// before today's date in loc and before dataThrough, the latest day that
// holds a line in what was read: the API may still be billing the latest
// day it has lines for (an API a day behind bills yesterday during today),
// so that day never counts as complete, nor any day after it. An empty
// dataThrough (no line at all) makes no day complete.
//
// Every figure that needs complete days (the complete_days forecast, a
// comparison of the elapsed part of two ranges) takes them from here, so
// that they all follow one rule.
func LastCompleteDay(now time.Time, loc *time.Location, dataThrough string) (string, error) {
	if dataThrough == "" {
		return "", nil
	}
	through, err := ParseDate(dataThrough)
	if err != nil {
		return "", fmt.Errorf("data_through: %w", err)
	}
	l := now.In(loc)
	today := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, time.UTC)
	last := today
	if through.Before(last) {
		last = through
	}
	return last.AddDate(0, 0, -1).Format(time.DateOnly), nil
}

// Today is now's date in loc, YYYY-MM-DD.
func Today(now time.Time, loc *time.Location) string {
	return now.In(loc).Format(time.DateOnly)
}

// CompleteDays is the part of r whose days are complete at now (see
// LastCompleteDay): r itself when all are, a shorter range that starts on
// r.From when some are, and false when none is.
func CompleteDays(r DayRange, now time.Time, loc *time.Location, dataThrough string) (DayRange, bool, error) {
	if err := CheckRange(r.From, r.To); err != nil {
		return DayRange{}, false, err
	}
	last, err := LastCompleteDay(now, loc, dataThrough)
	if err != nil {
		return DayRange{}, false, err
	}
	if last < r.From {
		return DayRange{}, false, nil
	}
	if last < r.To {
		return DayRange{From: r.From, To: last}, true, nil
	}
	return r, true, nil
}

// ElapsedRanges is what a comparison of current with previous compares,
// like with like, at now: while current includes today (its From is not
// after today and its To not before it), the complete days of current (see
// CompleteDays) and as many days of previous from its start, cut to
// previous itself; otherwise both unchanged. Today's partial day, and any
// day the API has not finished billing, is left out of both. False when
// current includes today but has no complete day yet: there is nothing of
// like length to compare.
//
// On the 2nd of a month, with the API up to date, month_to_date compared
// with previous_month is the 1st against the 1st of the month before.
func ElapsedRanges(current, previous DayRange, now time.Time, loc *time.Location, dataThrough string) (DayRange, DayRange, bool, error) {
	if err := CheckRange(current.From, current.To); err != nil {
		return DayRange{}, DayRange{}, false, err
	}
	if err := CheckRange(previous.From, previous.To); err != nil {
		return DayRange{}, DayRange{}, false, err
	}
	today := Today(now, loc)
	if today < current.From || today > current.To {
		return current, previous, true, nil
	}
	cur, ok, err := CompleteDays(current, now, loc, dataThrough)
	if err != nil || !ok {
		return DayRange{}, DayRange{}, false, err
	}
	f, _ := ParseDate(cur.From) // checked above
	t, _ := ParseDate(cur.To)
	p, _ := ParseDate(previous.From)
	prevTo := p.AddDate(0, 0, DaysInRange(f, t)-1).Format(time.DateOnly)
	prev := DayRange{From: previous.From, To: min(prevTo, previous.To)}
	return cur, prev, true, nil
}
