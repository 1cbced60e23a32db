package billing

import (
	"errors"
	"slices"
	"testing"
	"time"
)

// FuzzParseDate: an accepted date is a real calendar day written exactly
// as YYYY-MM-DD (it formats back to the same text), at midnight UTC, and a
// range of that one day is valid.
func FuzzParseDate(f *testing.F) {
	for _, seed := range []string{"2024-09-01", "2024-02-29", "2023-02-29", "2024-9-1", "2024-09-01T00:00:00Z", "0000-01-01", "9999-12-31", "+024-09-01", "2024-13-01", "२०२४-०९-०१", ""} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			return
		}
		if got := d.Format(time.DateOnly); got != s {
			t.Fatalf("ParseDate(%q) = %s, which formats as %q", s, d, got)
		}
		if d.Location() != time.UTC || d.Hour()+d.Minute()+d.Second()+d.Nanosecond() != 0 {
			t.Fatalf("ParseDate(%q) = %s, not midnight UTC", s, d)
		}
		if err := CheckRange(s, s); err != nil {
			t.Fatalf("CheckRange(%q, %q) = %v, want a valid one-day range", s, s, err)
		}
	})
}

// FuzzCheckRange: an accepted range has two dates, from not after to, and
// 1 to MaxRangeDays days; a refused one names the end at fault, and that end
// is the one that does not parse (or "to" when the dates are fine but the
// range is not).
func FuzzCheckRange(f *testing.F) {
	f.Add("2024-09-01", "2024-09-30")
	f.Add("2024-09-10", "2024-09-01")
	f.Add("2023-01-01", "2024-01-01")
	f.Add("2023-01-01", "2024-01-02")
	f.Add("2024-01-01", "2024-12-31")
	f.Add("0001-01-01", "9999-12-31")
	f.Add("2024-02-30", "2024-03-01")
	f.Add("2024-03-01", "x")
	f.Fuzz(func(t *testing.T, from, to string) {
		err := CheckRange(from, to)
		fd, ferr := ParseDate(from)
		td, terr := ParseDate(to)
		if err == nil {
			if ferr != nil || terr != nil {
				t.Fatalf("CheckRange(%q, %q) accepted a date that ParseDate refuses", from, to)
			}
			if td.Before(fd) || from > to {
				t.Fatalf("CheckRange(%q, %q) accepted from after to", from, to)
			}
			if days := DaysInRange(fd, td); days < 1 || days > MaxRangeDays {
				t.Fatalf("CheckRange(%q, %q) accepted %d days", from, to, days)
			}
			return
		}
		var rangeErr *RangeError
		if !errors.As(err, &rangeErr) {
			t.Fatalf("CheckRange(%q, %q) = %T %v, want a *RangeError", from, to, err, err)
		}
		want := "to"
		if ferr != nil {
			want = "from"
		}
		if rangeErr.Field != want {
			t.Fatalf("CheckRange(%q, %q) blames %q, want %q: %v", from, to, rangeErr.Field, want, err)
		}
		if ferr == nil && terr == nil && !td.Before(fd) && DaysInRange(fd, td) <= MaxRangeDays {
			t.Fatalf("CheckRange(%q, %q) refused a valid range: %v", from, to, err)
		}
	})
}

// FuzzResolveRange resolves a preset at an arbitrary instant in an
// arbitrary fixed offset (-14:00..+14:00). A known preset always resolves to
// a valid range that ends no later than that day's date there, and
// the presets that end today end exactly on it; an unknown name is an error.
func FuzzResolveRange(f *testing.F) {
	base := time.Date(2024, 9, 20, 3, 0, 0, 0, time.UTC).Unix()
	for _, preset := range RangePresets {
		f.Add(preset, base, int32(7*3600))
	}
	f.Add("month_to_date", time.Date(2024, 2, 29, 17, 0, 0, 0, time.UTC).Unix(), int32(7*3600))
	f.Add("last_month", time.Date(2024, 3, 31, 16, 59, 59, 0, time.UTC).Unix(), int32(7*3600))
	f.Add("year_to_date", time.Date(2024, 12, 31, 20, 0, 0, 0, time.UTC).Unix(), int32(14*3600))
	f.Add("yesterday", time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Unix(), int32(-14*3600))
	f.Add("last_week", base, int32(0))
	f.Add("", base, int32(0))
	f.Fuzz(func(t *testing.T, preset string, unix int64, offset int32) {
		// Bills exist from 1970 to 9999; keep "now" there and the offset real.
		const maxUnix = 253402214400 // 9999-12-31 00:00 UTC, so that any offset stays in year 9999
		unix = ((unix % maxUnix) + maxUnix) % maxUnix
		offset %= 14*3600 + 1
		now := time.Unix(unix, 0)
		loc := time.FixedZone("fuzz", int(offset))
		from, to, err := ResolveRange(preset, now, loc)
		if !slices.Contains(RangePresets, preset) {
			if err == nil {
				t.Fatalf("ResolveRange(%q) resolved an unknown preset to %s..%s", preset, from, to)
			}
			return
		}
		if err != nil {
			t.Fatalf("ResolveRange(%q, %s, %d) = %v", preset, now.UTC(), offset, err)
		}
		if err := CheckRange(from, to); err != nil {
			t.Fatalf("ResolveRange(%q, %s, %d) = %s..%s, an invalid range: %v", preset, now.UTC(), offset, from, to, err)
		}
		today := now.In(loc).Format(time.DateOnly)
		if to > today {
			t.Fatalf("ResolveRange(%q) at %s = %s..%s ends after today (%s)", preset, now.In(loc), from, to, today)
		}
		switch preset {
		case RangeToday, RangeMonthToDate, RangeLast7Days, RangeLast30Days, RangeYearToDate:
			if to != today {
				t.Fatalf("ResolveRange(%q) at %s ends on %s, want today %s", preset, now.In(loc), to, today)
			}
		case RangeYesterday, RangeLastMonth:
			if to >= today {
				t.Fatalf("ResolveRange(%q) at %s ends on %s, want before today %s", preset, now.In(loc), to, today)
			}
		}
		fd, _ := ParseDate(from)
		td, _ := ParseDate(to)
		days := DaysInRange(fd, td)
		switch preset {
		case RangeToday, RangeYesterday:
			if days != 1 {
				t.Fatalf("%s is %d days", preset, days)
			}
		case RangeLast7Days:
			if days != 7 {
				t.Fatalf("%s is %d days", preset, days)
			}
		case RangeLast30Days:
			if days != 30 {
				t.Fatalf("%s is %d days", preset, days)
			}
		case RangeMonthToDate, RangeLastMonth:
			if fd.Day() != 1 || fd.Month() != td.Month() || fd.Year() != td.Year() {
				t.Fatalf("%s = %s..%s is not within one month from its 1st", preset, from, to)
			}
			if preset == RangeLastMonth && td.AddDate(0, 0, 1).Day() != 1 {
				t.Fatalf("last_month = %s..%s does not end on the month's last day", from, to)
			}
		case RangeYearToDate:
			if fd.YearDay() != 1 || fd.Year() != td.Year() {
				t.Fatalf("year_to_date = %s..%s does not start on 1 January of its year", from, to)
			}
		}
	})
}
