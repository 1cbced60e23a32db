package billing

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/calendar"
)

// MaxRangeDays is the longest range one read may cover, in days: a leap
// year's year_to_date on 31 December.
const MaxRangeDays = 366

// The date range presets, resolved in the account's time zone at read time.
const (
	RangeToday       = "today"
	RangeYesterday   = "yesterday"
	RangeMonthToDate = "month_to_date" // the 1st of this month .. today
	RangeLastMonth   = "last_month"    // the whole previous calendar month
	RangeLast7Days   = "last_7_days"   // today and the 6 days before
	RangeLast30Days  = "last_30_days"  // today and the 29 days before
	RangeYearToDate  = "year_to_date"  // 1 January .. today
)

// RangePresets lists the preset names.
var RangePresets = []string{RangeToday, RangeYesterday, RangeMonthToDate, RangeLastMonth, RangeLast7Days, RangeLast30Days, RangeYearToDate}

// ParseDate reads a YYYY-MM-DD date strictly (two-digit month and day, a
// real calendar day). The result is midnight UTC of that date.
func ParseDate(s string) (time.Time, error) {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		if calendar.IsDay(s) {
			return time.Time{}, fmt.Errorf("%q is not a day of the calendar", s)
		}
		return time.Time{}, fmt.Errorf("%q is not a date in the form YYYY-MM-DD, such as 2024-09-01", s)
	}
	return d, nil
}

// RangeError is a date range that cannot be read. Field names the end at
// fault: "from" or "to".
type RangeError struct {
	Field   string
	Message string
}

func (e *RangeError) Error() string { return e.Field + ": " + e.Message }

// CheckRange validates the dates of an inclusive range: both dates, from
// not after to, and at most MaxRangeDays days.
func CheckRange(from, to string) error {
	f, err := ParseDate(from)
	if err != nil {
		return &RangeError{Field: "from", Message: err.Error()}
	}
	t, err := ParseDate(to)
	if err != nil {
		return &RangeError{Field: "to", Message: err.Error()}
	}
	if t.Before(f) {
		return &RangeError{Field: "to", Message: fmt.Sprintf(
			"from (%s) is after to (%s); swap them, or leave to out to read the single day from", from, to)}
	}
	if days := DaysInRange(f, t); days > MaxRangeDays {
		return &RangeError{Field: "to", Message: fmt.Sprintf(
			"%s..%s spans %d days, more than the %d one read may cover; split it into ranges of at most a year", from, to, days, MaxRangeDays)}
	}
	return nil
}

// DaysInRange counts the days from from to to, both included.
func DaysInRange(from, to time.Time) int {
	return int(to.Sub(from).Hours()/24) + 1
}

// ResolveRange turns a preset into from and to (YYYY-MM-DD), taking "today"
// as the date of now in loc.
func ResolveRange(preset string, now time.Time, loc *time.Location) (from, to string, err error) {
	l := now.In(loc)
	today := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, time.UTC)
	day := func(t time.Time) string { return t.Format(time.DateOnly) }
	switch preset {
	case RangeToday:
		return day(today), day(today), nil
	case RangeYesterday:
		y := today.AddDate(0, 0, -1)
		return day(y), day(y), nil
	case RangeMonthToDate:
		return day(time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC)), day(today), nil
	case RangeLastMonth:
		first := time.Date(today.Year(), today.Month()-1, 1, 0, 0, 0, 0, time.UTC)
		return day(first), day(first.AddDate(0, 1, -1)), nil
	case RangeLast7Days:
		return day(today.AddDate(0, 0, -6)), day(today), nil
	case RangeLast30Days:
		return day(today.AddDate(0, 0, -29)), day(today), nil
	case RangeYearToDate:
		return day(time.Date(today.Year(), 1, 1, 0, 0, 0, 0, time.UTC)), day(today), nil
	}
	if !slices.Contains(RangePresets, preset) {
		return "", "", fmt.Errorf("%q is not a range; use one of %s", preset, strings.Join(RangePresets, ", "))
	}
	return "", "", fmt.Errorf("range %q is not handled", preset)
}
