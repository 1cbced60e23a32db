// Package backtest replays scenario months through the billing package's
// forecasts, with an injected clock, and measures how well each method
// forecasts the month's total: the mean absolute percentage error, the
// bias, the interval's coverage and the false alarms of a budget check.
// Everything is deterministic: the same options print the same table.
package backtest

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing"
)

// HistoryDays is how many days before its month a scenario bills.
const HistoryDays = 60

// The services of every scenario and their usual spend a day, in VND: about
// 10 million a day, like the emulator's account.
var services = []struct {
	name  string
	daily float64
}{
	{"Instance", 6_000_000},
	{"Object Storage", 2_500_000},
	{"Network", 1_500_000},
}

// Scenario is a month to forecast and the 60 days before it.
type Scenario struct {
	Name string
	// Month is the first day of the month forecast.
	Month time.Time
	// Noise is the standard deviation of each service's day, as a share
	// of it (multiplicative, normal, cut at ±3 standard deviations).
	Noise float64
	// Weekend is the share of a weekday's spend spent on a Saturday or
	// a Sunday (1: no weekly rhythm).
	Weekend float64
	// Growth is the month's growth: spend is multiplied by (1+Growth) over
	// each month, steadily, in the history too.
	Growth float64
	// OneOffDay is the day of the month (0: none) on which Object Storage
	// bills a one-off charge of 20 times its median day, in one line at
	// 09:00.
	OneOffDay int
	// NewServiceDay is the day of the month (0: none) from which a new
	// service, Database, adds 3 million VND a day (30%).
	NewServiceDay int
	// HalfBilled: at the time of the plan, only half of today's elapsed
	// hours are billed yet.
	HalfBilled bool
	// LagDays: the API shows what it showed LagDays × 24 hours earlier.
	LagDays int
}

// Scenarios are the months of the backtest.
func Scenarios() []Scenario {
	month := func(y int, m time.Month) time.Time { return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC) }
	base := Scenario{Month: month(2026, time.July), Noise: 0.08, Weekend: 1}
	with := func(name string, f func(*Scenario)) Scenario {
		s := base
		s.Name = name
		f(&s)
		return s
	}
	return []Scenario{
		with("flat with noise", func(*Scenario) {}),
		with("weekdays 100, weekends 40", func(s *Scenario) { s.Weekend = 0.4 }),
		with("growth +30% a month", func(s *Scenario) { s.Growth = 0.3 }),
		with("one-off 20x on day 1", func(s *Scenario) { s.OneOffDay = 1 }),
		with("one-off 20x on day 2", func(s *Scenario) { s.OneOffDay = 2 }),
		with("one-off 20x on day 10", func(s *Scenario) { s.OneOffDay = 10 }),
		with("new service from day 12", func(s *Scenario) { s.NewServiceDay = 12 }),
		with("today half billed", func(s *Scenario) { s.HalfBilled = true }),
		with("API one day behind", func(s *Scenario) { s.LagDays = 1 }),
		with("28 days (Feb 2026), weekly", func(s *Scenario) { s.Month, s.Weekend = month(2026, time.February), 0.4 }),
		with("29 days (Feb 2028), weekly", func(s *Scenario) { s.Month, s.Weekend = month(2028, time.February), 0.4 }),
		with("30 days (Apr 2026), weekly", func(s *Scenario) { s.Month, s.Weekend = month(2026, time.April), 0.4 }),
		with("31 days (Jan 2027), weekly", func(s *Scenario) { s.Month, s.Weekend = month(2027, time.January), 0.4 }),
	}
}

// DaysInMonth is the length of the scenario's month.
func (s Scenario) DaysInMonth() int {
	return s.Month.AddDate(0, 1, -1).Day()
}

// line is a bill line and when the API starts to show it.
type line struct {
	billing.Line
	billedAt time.Time // the end of the hour it bills
}

// lines bills the scenario: every service, every hour, from HistoryDays
// before the month to its end, in time order, in loc.
// seed picks one of the scenario's months of noise.
func (s Scenario) lines(loc *time.Location, seed uint64) []line {
	h := fnv.New64a()
	h.Write([]byte(s.Name))
	rng := rand.New(rand.NewPCG(h.Sum64(), seed))
	first := time.Date(s.Month.Year(), s.Month.Month(), 1-HistoryDays, 0, 0, 0, 0, loc)
	end := time.Date(s.Month.Year(), s.Month.Month()+1, 1, 0, 0, 0, 0, loc)
	n := float64(s.DaysInMonth())
	var out []line
	for day, i := first, -HistoryDays; day.Before(end); day, i = day.AddDate(0, 0, 1), i+1 {
		scale := math.Pow(1+s.Growth, float64(i)/n)
		if w := day.Weekday(); w == time.Saturday || w == time.Sunday {
			scale *= s.Weekend
		}
		amounts := make([]float64, 0, len(services)+1)
		names := make([]string, 0, len(services)+1)
		for _, svc := range services {
			noise := max(-3, min(3, rng.NormFloat64())) * s.Noise
			amounts = append(amounts, svc.daily*scale*(1+noise))
			names = append(names, svc.name)
		}
		if s.NewServiceDay > 0 && i+1 >= s.NewServiceDay {
			noise := max(-3, min(3, rng.NormFloat64())) * s.Noise
			amounts = append(amounts, 3_000_000*scale*(1+noise))
			names = append(names, "Database")
		}
		for k, amount := range amounts {
			// 24 hourly lines of whole VND, the remainder on the last.
			whole := int64(math.Round(amount))
			hourly := whole / 24
			for hour := range 24 {
				price := hourly
				if hour == 23 {
					price = whole - 23*hourly
				}
				out = append(out, s.line(day, hour, names[k], price))
			}
		}
		if s.OneOffDay > 0 && i+1 == s.OneOffDay {
			// 20 times Object Storage's median day: its usual day at this
			// point of the trend, with weekends at their own level.
			out = append(out, s.line(day, 9, "Object Storage", int64(math.Round(20*services[1].daily*scale))))
		}
	}
	return out
}

func (s Scenario) line(day time.Time, hour int, service string, price int64) line {
	start := day.Add(time.Duration(hour) * time.Hour)
	return line{
		Line: billing.Line{
			Day:     day.Format(time.DateOnly),
			Start:   start,
			Service: service,
			Name:    service + "-" + strconv.Itoa(hour),
			Price:   billing.MustParseMoney(strconv.FormatInt(price, 10)),
		},
		billedAt: start.Add(time.Hour),
	}
}

// visible reports whether the API shows l at now.
func (s Scenario) visible(l *line, now time.Time, loc *time.Location) bool {
	now = now.Add(-time.Duration(s.LagDays) * 24 * time.Hour)
	if l.billedAt.After(now) {
		return false
	}
	if !s.HalfBilled {
		return true
	}
	l0 := now.In(loc)
	today := time.Date(l0.Year(), l0.Month(), l0.Day(), 0, 0, 0, 0, loc)
	if l.Start.Before(today) {
		return true
	}
	// Half of today's elapsed hours are billed.
	return !l.billedAt.After(today.Add(now.Sub(today) / 2))
}
