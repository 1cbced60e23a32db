package calendar

import (
	"slices"
	"testing"
	"time"
)

func TestIsDayIsDayPattern(t *testing.T) {
	for _, s := range []string{"2024-09-01", "0000-00-00", "2024-9-01", "2024-09-1", "2024/09/01", "2024-09-01 ",
		"2024-09-01\n", "２０２４-09-01", "20240901", "", "2024-0a-01", "-2024-09-01", "2024-09-011"} {
		if IsDay(s) != DayPattern.MatchString(s) {
			t.Errorf("%q: IsDay says %v, DayPattern %v", s, IsDay(s), DayPattern.MatchString(s))
		}
	}
}

func FuzzIsDayIsDayPattern(f *testing.F) {
	f.Add("2024-09-01")
	f.Add("2024-09-01\n")
	f.Fuzz(func(t *testing.T, s string) {
		if IsDay(s) != DayPattern.MatchString(s) {
			t.Errorf("%q: IsDay says %v, DayPattern %v", s, IsDay(s), DayPattern.MatchString(s))
		}
	})
}

func TestDays(t *testing.T) {
	day := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	if got := Days(day("2024-02-28"), day("2024-03-01")); !slices.Equal(got, []string{"2024-02-28", "2024-02-29", "2024-03-01"}) {
		t.Errorf("Days over a leap day: %v", got)
	}
	if got := Days(day("2024-03-02"), day("2024-03-01")); got != nil {
		t.Errorf("Days of an empty range: %v", got)
	}
}
