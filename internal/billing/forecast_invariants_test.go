package billing

import (
	"fmt"
	"math/big"
	"strings"
	"testing"
)

// Behaviour of the forecast that the forecasting guide promises whatever
// the model inside (docs/guides/forecasting.md): forecast_by_service adds
// up to forecast_total_price exactly, each share rounded down to the cent
// and the missing cents to the largest remainders (ties to the earlier
// name); forecast_low is never below the spend so far and never above the
// forecast, forecast_high never below it; all three are in cents.

func TestApportionAddsUpByLargestRemainder(t *testing.T) {
	cases := []struct {
		name  string
		parts map[string]string // exact fractions
		total string
		want  map[string]string
	}{
		{"exact", map[string]string{"a": "1.25", "b": "2.75"}, "4", map[string]string{"a": "1.25", "b": "2.75"}},
		// Thirds of a unit: 0.333…, each rounded down to 0.33, one cent missing,
		// every remainder the same: it goes to the earliest name.
		{"thirds", map[string]string{"c": "1/3", "a": "1/3", "b": "1/3"}, "1", map[string]string{"a": "0.34", "b": "0.33", "c": "0.33"}},
		// The largest remainder gets the cent, whatever its name.
		{"largest remainder", map[string]string{"a": "0.101", "b": "0.109", "c": "0.1"}, "0.31", map[string]string{"a": "0.1", "b": "0.11", "c": "0.1"}},
		{"two cents", map[string]string{"a": "0.005", "b": "0.006", "c": "0.007"}, "0.02", map[string]string{"a": "0", "b": "0.01", "c": "0.01"}},
		// A part of exactly 0 stays out; a credit is apportioned like the rest.
		{"zero and credit", map[string]string{"a": "0", "b": "-1/3", "c": "4/3"}, "1", map[string]string{"b": "-0.33", "c": "1.33"}},
		// Rounded down means toward minus infinity, so a credit can gain the cent.
		{"credits", map[string]string{"a": "-1/3", "b": "-1/3", "c": "-1/3"}, "-1", map[string]string{"a": "-0.33", "b": "-0.33", "c": "-0.34"}},
		// A total more than a cent a part off the sum: spread by the same rule, round and round.
		{"far total", map[string]string{"a": "1", "b": "1"}, "2.05", map[string]string{"a": "1.03", "b": "1.02"}},
		{"far total below", map[string]string{"a": "1", "b": "1"}, "1.95", map[string]string{"a": "0.98", "b": "0.97"}},
		{"none", map[string]string{}, "0", map[string]string{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			parts := map[string]*big.Rat{}
			for name, v := range tc.parts {
				r, ok := new(big.Rat).SetString(v)
				if !ok {
					t.Fatal(v)
				}
				parts[name] = r
			}
			got := Apportion(parts, MustParseMoney(tc.total))
			if len(got) != len(tc.want) {
				t.Errorf("%d shares %v, want %d", len(got), got, len(tc.want))
			}
			var sum Money
			for name, share := range got {
				sum = sum.Add(share)
				if want, ok := tc.want[name]; !ok || share.String() != want {
					t.Errorf("%s: %s, want %s", name, share, want)
				}
			}
			if sum.Cmp(MustParseMoney(tc.total)) != 0 {
				t.Errorf("the shares add up to %s, not %s", sum, tc.total)
			}
		})
	}
}

// TestForecastInvariants forecasts months of several shapes, on several
// days, and checks what the guide promises of every forecast.
func TestForecastInvariants(t *testing.T) {
	shapes := map[string]func(service string, i int) string{
		"steady": func(s string, i int) string { return fmt.Sprintf("%d.%02d", 1000+len(s)*100+i%7*13, i*37%100) },
		"step up": func(s string, i int) string {
			if s == "web" && i >= 60 {
				return "5000.01"
			}
			return fmt.Sprintf("%d.333", 900+i%5)
		},
		"one-off": func(s string, i int) string {
			if s == "db" && i == 62 {
				return "90000"
			}
			return fmt.Sprintf("%d", 700+i%3*50)
		},
		"growing": func(s string, i int) string { return fmt.Sprintf("%d.5", 500+i*12) },
		"credits": func(s string, i int) string {
			if s == "refund" {
				return "-12.34"
			}
			return fmt.Sprintf("%d", 2000+i%7*100)
		},
	}
	services := []string{"db", "web", "refund"}
	first := "2026-10-01"
	for name, shape := range shapes {
		for _, today := range []string{"2026-12-02", "2026-12-05", "2026-12-16", "2026-12-31"} {
			t.Run(name+"/"+today, func(t *testing.T) {
				byService := ServiceDays{}
				spentToday := MustParseMoney("0")
				for i := 0; addDays(first, i) <= today; i++ {
					day := addDays(first, i)
					for _, s := range services {
						if byService[s] == nil {
							byService[s] = map[string]Money{}
						}
						amount := MustParseMoney(shape(s, i))
						if day == today { // today is half billed
							amount = MoneyFromRat(new(big.Rat).Quo(amount.Rat(), big.NewRat(2, 1)), 4)
						}
						byService[s][day] = amount
						if day >= "2026-12-01" {
							spentToday = spentToday.Add(amount)
						}
					}
				}
				f, err := ForecastFromDays(DayForecastInput{
					Services: byService, HistoryFrom: first, From: "2026-12-01", To: "2026-12-31",
					DataThrough: today, Now: at(today, 15), Loc: plus7,
				})
				if err != nil {
					t.Fatal(err)
				}
				var shares Money
				for _, share := range f.ByService {
					shares = shares.Add(share)
				}
				if shares.Cmp(f.Total) != 0 {
					t.Errorf("forecast_by_service adds up to %s, forecast_total_price is %s", shares, f.Total)
				}
				if f.Low.Cmp(spentToday) < 0 {
					t.Errorf("forecast_low %s is below the spend so far, %s", f.Low, spentToday)
				}
				if f.Low.Cmp(f.Total) > 0 || f.High.Cmp(f.Total) < 0 {
					t.Errorf("the interval %s..%s does not hold the forecast %s", f.Low, f.High, f.Total)
				}
				for what, m := range map[string]Money{"total": f.Total, "low": f.Low, "high": f.High, "level": f.Level} {
					if _, frac, _ := strings.Cut(m.String(), "."); len(frac) > ForecastDecimals {
						t.Errorf("%s %s has more than %d decimals", what, m, ForecastDecimals)
					}
				}
				// The clock's hours never change a forecast.
				again, err := ForecastFromDays(DayForecastInput{
					Services: byService, HistoryFrom: first, From: "2026-12-01", To: "2026-12-31",
					DataThrough: today, Now: at(today, 3), Loc: plus7,
				})
				if err != nil || again.Total.Cmp(f.Total) != 0 || again.Low.Cmp(f.Low) != 0 || again.High.Cmp(f.High) != 0 {
					t.Errorf("at 03:00 the forecast is %s (%s..%s), at 15:00 %s (%s..%s)", again.Total, again.Low, again.High, f.Total, f.Low, f.High)
				}
			})
		}
	}
}
