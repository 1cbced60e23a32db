package billing

import (
	"fmt"
	"testing"
)

// BenchmarkForecastFromDays forecasts a month on its 15th from the 56 days
// before it and its own 14 complete days, for 8 services (one of them with a
// step, one growing): the work of one fptcloud_bills read's forecast.
func BenchmarkForecastFromDays(b *testing.B) {
	from, today := "2026-12-01", "2026-12-15"
	services := ServiceDays{}
	for i := range 8 {
		services[fmt.Sprintf("service-%d", i)] = series(from, today, func(d string) string {
			level := 100_000 * float64(i+1)
			switch {
			case i == 0 && d >= "2026-12-09":
				level *= 3
			case i == 1:
				level *= 1 + float64(dayNumber(d)-dayNumber("2026-10-01"))/100
			}
			return noisy(level, d)
		})
	}
	in := DayForecastInput{
		Services: services, HistoryFrom: addDays(from, -ForecastHistoryDays),
		From: from, To: today, DataThrough: today, Now: at(today, 12), Loc: plus7,
	}
	for b.Loop() {
		if _, err := ForecastFromDays(in); err != nil {
			b.Fatal(err)
		}
	}
}
