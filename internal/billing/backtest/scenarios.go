// Package backtest replays scenario months through the billing package's
// forecasts, with an injected clock, and measures how well each method
// forecasts the month's total: the mean absolute percentage error, the
// bias, the interval's coverage and the false and missed alarms of a
// budget check. Everything is deterministic: the same options print the
// same table.
package backtest

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing"
)

// HistoryDays is how many days before its month a scenario bills: enough
// for the forecast's history (billing.RecurringHistoryFrom, at most 69
// days before the 1st).
const HistoryDays = 70

// LastDay is Scenario.FeeDay for a fee on the month's last day.
const LastDay = -1

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

// Step is a lasting change of level: from Day on, Service (every service
// when "") spends Factor times what it spent.
type Step struct {
	Service string
	// Day is the day of the month it starts on, 00:00; 0 and below are
	// days of the history (0 the month's last day before, -1 the one
	// before it, and so on).
	Day    int
	Factor float64
}

// Scenario is a month to forecast and the 60 days before it.
type Scenario struct {
	Name string
	// Class groups scenarios in the table: the same kind of month at
	// several sizes and timings.
	Class string
	// Month is the first day of the month forecast.
	Month time.Time
	// Noise is the standard deviation of each service's day, as a share
	// of it (multiplicative, normal, cut at ±3 standard deviations).
	Noise float64
	// Weekend is the share of a weekday's spend spent on a Saturday or
	// a Sunday (1: no weekly rhythm).
	Weekend float64
	// Growth is the month's growth: spend is multiplied by (1+Growth) over
	// each month, steadily, in the history too (negative: a decline).
	Growth float64
	// OneOffDay is the day of the month (0: none) on which OneOffService
	// (Object Storage when "") bills a one-off charge of 20 times its
	// median day, in one line at 09:00.
	OneOffDay     int
	OneOffService string
	// NewServiceDay is the day of the month (0: none) from which a new
	// service, Database, adds 3 million VND a day (30%).
	NewServiceDay int
	// Steps are lasting changes of level.
	Steps []Step
	// Monthly is what a Support service bills on the 1st of every month,
	// in one line at 00:00 (0: none).
	Monthly float64
	// Read keeps only these services, as a filtered read of one team's
	// spend does (nil: every service); the actual total is theirs too.
	Read []string
	// FeeDay is the day of the month (LastDay: the month's last day; 0:
	// none) on which a License service bills FeeAmount at 00:00, every
	// month: a recurring charge.
	FeeDay    int
	FeeAmount float64
	// EveryDays bills a Batch service EveryAmount (with the noise) in one
	// line at 02:00 every EveryDays days, nothing in between (0: none).
	EveryDays   int
	EveryAmount float64
	// MonthlyStep multiplies every service's spend by it at each month's
	// 1st, the history too: a staircase (0: none).
	MonthlyStep float64
	// Ramp adds Ramp × the usual day to each service's day per month,
	// linearly, the history too (storage filling up; 0: none).
	Ramp float64
	// HeavyTail makes Network's days lognormal with this σ, their mean
	// unchanged (bursty egress; 0: the normal noise).
	HeavyTail float64
	// HalfBilled: at the time of the plan, only half of today's elapsed
	// hours are billed yet.
	HalfBilled bool
	// LagDays: the API shows what it showed LagDays × 24 hours earlier.
	LagDays int
}

// ChangeDay is the day of the month of the scenario's latest lasting
// change in what is read (a step or a new service), and whether it has
// one: a point on day D sees D − ChangeDay complete days after it.
func (s Scenario) ChangeDay() (int, bool) {
	day, ok := 0, false
	note := func(d int) {
		if !ok || d > day {
			day, ok = d, true
		}
	}
	for _, st := range s.Steps {
		if st.Service == "" || s.reads(st.Service) {
			note(st.Day)
		}
	}
	if s.NewServiceDay > 0 && s.reads("Database") {
		note(s.NewServiceDay)
	}
	if s.MonthlyStep != 0 {
		note(1)
	}
	return day, ok
}

// feeOn reports whether the scenario's fee falls on day.
func (s Scenario) feeOn(day time.Time) bool {
	if s.FeeDay == LastDay {
		return day.AddDate(0, 0, 1).Day() == 1
	}
	return s.FeeDay > 0 && day.Day() == s.FeeDay
}

func (s Scenario) reads(service string) bool {
	return s.Read == nil || slices.Contains(s.Read, service)
}

func (s Scenario) oneOffService() string {
	if s.OneOffService == "" {
		return "Object Storage"
	}
	return s.OneOffService
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

// lines bills the scenario: every service read, every hour, from
// HistoryDays before the month to its end, in time order, in loc. seed
// picks one of the scenario's months of noise.
func (s Scenario) lines(loc *time.Location, seed uint64) []line {
	h := fnv.New64a()
	h.Write([]byte(s.Name))
	rng := rand.New(rand.NewPCG(h.Sum64(), seed))
	first := time.Date(s.Month.Year(), s.Month.Month(), 1-HistoryDays, 0, 0, 0, 0, loc)
	end := time.Date(s.Month.Year(), s.Month.Month()+1, 1, 0, 0, 0, 0, loc)
	n := float64(s.DaysInMonth())
	var out []line
	for day, i := first, -HistoryDays; day.Before(end); day, i = day.AddDate(0, 0, 1), i+1 {
		scale := math.Pow(1+s.Growth, float64(i)/n) * (1 + s.Ramp*float64(i)/n)
		if s.MonthlyStep != 0 {
			months := (day.Year()-s.Month.Year())*12 + int(day.Month()) - int(s.Month.Month())
			scale *= math.Pow(s.MonthlyStep, float64(months))
		}
		if w := day.Weekday(); w == time.Saturday || w == time.Sunday {
			scale *= s.Weekend
		}
		amounts := make([]float64, 0, len(services)+1)
		names := make([]string, 0, len(services)+1)
		for _, svc := range services {
			noise := max(-3, min(3, rng.NormFloat64())) * s.Noise
			factor := 1.0
			for _, st := range s.Steps {
				if (st.Service == "" || st.Service == svc.name) && i+1 >= st.Day {
					factor *= st.Factor
				}
			}
			mult := 1 + noise
			if s.HeavyTail > 0 && svc.name == "Network" {
				mult = math.Exp(s.HeavyTail*rng.NormFloat64() - s.HeavyTail*s.HeavyTail/2)
			}
			amounts = append(amounts, svc.daily*scale*factor*mult)
			names = append(names, svc.name)
		}
		if s.NewServiceDay > 0 && i+1 >= s.NewServiceDay {
			noise := max(-3, min(3, rng.NormFloat64())) * s.Noise
			amounts = append(amounts, 3_000_000*scale*(1+noise))
			names = append(names, "Database")
		}
		for k, amount := range amounts {
			if !s.reads(names[k]) || amount <= 0 {
				continue
			}
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
		if s.feeOn(day) && s.reads("License") {
			out = append(out, s.line(day, 0, "License", int64(math.Round(s.FeeAmount))))
		}
		if s.EveryDays > 0 && ((i%s.EveryDays)+s.EveryDays)%s.EveryDays == 0 && s.reads("Batch") {
			noise := max(-3, min(3, rng.NormFloat64())) * s.Noise
			out = append(out, s.line(day, 2, "Batch", int64(math.Round(s.EveryAmount*(1+noise)))))
		}
		if s.Monthly > 0 && day.Day() == 1 && s.reads("Support") {
			out = append(out, s.line(day, 0, "Support", int64(math.Round(s.Monthly))))
		}
		if s.OneOffDay > 0 && i+1 == s.OneOffDay && s.reads(s.oneOffService()) {
			// 20 times the service's median day: its usual day at this
			// point of the trend, with weekends at their own level.
			usual := 0.0
			for _, svc := range services {
				if svc.name == s.oneOffService() {
					usual = svc.daily
				}
			}
			out = append(out, s.line(day, 9, s.oneOffService(), int64(math.Round(20*usual*scale))))
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
