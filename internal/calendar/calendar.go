// Package calendar holds the days of the API and of the provider's
// arguments, written YYYY-MM-DD: the check of their shape and the list of
// the days of a range. It imports nothing of this module, so that the API
// client and the aggregation, which do not import each other, share it.
package calendar

import (
	"regexp"
	"time"
)

// DayPattern matches exactly the texts IsDay accepts, for the schema
// validators that take a regular expression.
var DayPattern = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// IsDay reports whether s has the shape YYYY-MM-DD (ASCII digits).
// Calendar validity is not checked: days of this shape sort as text.
func IsDay(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if i != 4 && i != 7 && (s[i] < '0' || s[i] > '9') {
			return false
		}
	}
	return true
}

// Days lists every day from from to to, inclusive, as YYYY-MM-DD; none
// when to is before from. Both are dates at midnight (time.Parse of
// time.DateOnly).
func Days(from, to time.Time) []string {
	var days []string
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		days = append(days, d.Format(time.DateOnly))
	}
	return days
}
