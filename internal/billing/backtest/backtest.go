package backtest

import (
	"errors"
	"math/big"
	"runtime"
	"sync"
	"time"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing"
)

// BudgetFactor is the budget of the false-alarm check, as a multiple of
// the month's actual total: "forecast ≤ budget" failing is a false alarm.
const BudgetFactor = "1.15"

// Buckets are the day-of-month groups of the table.
var Buckets = []Bucket{{"1–3", 1, 3}, {"4–7", 4, 7}, {"8–14", 8, 14}, {"15+", 15, 31}}

// Bucket is the days First..Last of a month.
type Bucket struct {
	Name        string
	First, Last int
}

func bucketOf(day int) int {
	for i, b := range Buckets {
		if day >= b.First && day <= b.Last {
			return i
		}
	}
	return len(Buckets) - 1
}

// The phases of a point, by how long before it the scenario changed.
const (
	// Settled: no change, or a lasting change at least 3 complete days
	// before the point, or a one-off already billed. The goals hold here.
	Settled = iota
	// Recent: a lasting change 1 or 2 complete days before the point.
	Recent
	// Before: the change (lasting or one-off) is still to come: no method
	// can foresee it.
	Before
	phases
)

// SettledDays is how many complete days after a lasting change a point
// needs to count as Settled.
const SettledDays = 3

// Options sizes a run.
type Options struct {
	// Scenarios to run; nil: all of Scenarios().
	Scenarios []Scenario
	// Hours of the day the plan runs at, in the account's time zone.
	Hours []int
	// DayStep runs every DayStep-th day of the month (1: every day); the
	// first and last day always run.
	DayStep int
	// Seeds is how many months of noise each scenario is replayed with
	// (at least 1): the same shape, other draws.
	Seeds int
}

// Full is the backtest of the forecasting guide, whose tables `make
// generate` writes from it: every scenario, every day, at 01:00 and 23:00,
// four months of noise each. The noise is seeded by the scenario, so the
// same options print the same tables and a stale table in the guide shows
// as a diff.
func Full() Options { return Options{Hours: []int{1, 23}, DayStep: 1, Seeds: 4} }

// Stats is one method's figures over some forecast points.
type Stats struct {
	Points     int
	absErr     float64 // Σ |forecast − actual| / actual
	err        float64 // Σ (forecast − actual) / actual
	covered    int     // actual within [low, high]
	falseAlarm int     // forecast > actual × 1.15
	missed     int     // high ≤ actual / 1.15
}

// MAPE is the mean absolute percentage error, in percent.
func (s Stats) MAPE() float64 { return 100 * s.absErr / float64(max(1, s.Points)) }

// Bias is the mean signed percentage error, in percent.
func (s Stats) Bias() float64 { return 100 * s.err / float64(max(1, s.Points)) }

// Coverage is the share of points whose actual total is in the interval.
func (s Stats) Coverage() float64 { return float64(s.covered) / float64(max(1, s.Points)) }

// FalseAlarms is the share of points whose forecast is over a budget the
// month ends 15% under.
func (s Stats) FalseAlarms() float64 { return float64(s.falseAlarm) / float64(max(1, s.Points)) }

// FalseAlarmCount is how many points forecast over the budget.
func (s Stats) FalseAlarmCount() int { return s.falseAlarm }

// MissedAlarms is the share of points where the check `forecast_high <=
// budget` holds (no warning) with the budget at the actual total ÷ 1.15:
// the month ends 15% over it.
func (s Stats) MissedAlarms() float64 { return float64(s.missed) / float64(max(1, s.Points)) }

func (s *Stats) add(o Stats) {
	s.Points += o.Points
	s.absErr += o.absErr
	s.err += o.err
	s.covered += o.covered
	s.falseAlarm += o.falseAlarm
	s.missed += o.missed
}

// Cell is both methods over some points.
type Cell struct {
	Linear, CompleteDays Stats
}

func (c *Cell) add(o Cell) {
	c.Linear.add(o.Linear)
	c.CompleteDays.add(o.CompleteDays)
}

// Result is a run's figures: Cells[scenario][bucket][phase].
type Result struct {
	Scenarios []Scenario
	Cells     [][len(bucketsArray)][phases]Cell
}

// bucketsArray sizes Result's cells; it is Buckets.
var bucketsArray = [4]struct{}{}

// Run forecasts every point of opts with both methods.
func Run(opts Options) (*Result, error) {
	scenarios := opts.Scenarios
	if scenarios == nil {
		scenarios = Scenarios()
	}
	loc, err := billing.ParseTimeZone(billing.DefaultTimeZone)
	if err != nil {
		return nil, err
	}
	res := &Result{Scenarios: scenarios, Cells: make([][len(bucketsArray)][phases]Cell, len(scenarios))}
	// Scenarios run side by side, one per CPU; each fills its own cells,
	// so the result does not depend on the order they finish in.
	errs := make([]error, len(scenarios))
	next := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				s := scenarios[i]
				for seed := range max(1, opts.Seeds) {
					if err := replay(s, s.lines(loc, uint64(seed)), opts, loc, &res.Cells[i]); err != nil {
						errs[i] = err
						break
					}
				}
			}
		}()
	}
	for i := range scenarios {
		next <- i
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return res, nil
}

// month is one scenario month's lines by day, and each day's sums.
type month struct {
	byDay map[string][]*line
	sums  map[string]map[string]billing.Money // day → service → spend
}

func newMonth(lines []line) *month {
	m := &month{byDay: map[string][]*line{}, sums: map[string]map[string]billing.Money{}}
	for i := range lines {
		l := &lines[i]
		m.byDay[l.Day] = append(m.byDay[l.Day], l)
		if m.sums[l.Day] == nil {
			m.sums[l.Day] = map[string]billing.Money{}
		}
		m.sums[l.Day][l.Service] = m.sums[l.Day][l.Service].Add(l.Price)
	}
	return m
}

// replay forecasts the points of opts over one month of s's lines into cells.
func replay(s Scenario, lines []line, opts Options, loc *time.Location, cells *[len(bucketsArray)][phases]Cell) error {
	step := max(1, opts.DayStep)
	budgetFactor := billing.MustParseMoney(BudgetFactor).Rat()
	m := newMonth(lines)
	from := time.Date(s.Month.Year(), s.Month.Month(), 1, 0, 0, 0, 0, loc)
	fromText := from.Format(time.DateOnly)
	historyFrom, err := billing.RecurringHistoryFrom(fromText)
	if err != nil {
		return err
	}
	historyStart, _ := billing.ParseDate(historyFrom) // a day
	historyStart = time.Date(historyStart.Year(), historyStart.Month(), historyStart.Day(), 0, 0, 0, 0, loc)
	actual := new(big.Rat)
	for i := range lines {
		if lines[i].Day >= fromText {
			actual.Add(actual, lines[i].Price.Rat())
		}
	}
	over := new(big.Rat).Mul(actual, budgetFactor)  // a budget the month ends 15% under
	under := new(big.Rat).Quo(actual, budgetFactor) // a budget the month ends 15% over
	changeDay, changes := s.ChangeDay()
	n := s.DaysInMonth()
	for day := 1; day <= n; day++ {
		if day != 1 && day != n && (day-1)%step != 0 {
			continue
		}
		for _, hour := range opts.Hours {
			now := time.Date(from.Year(), from.Month(), day, hour, 0, 0, 0, loc)
			today := now.Format(time.DateOnly)
			// What the API shows at now: whole days from the sums, the
			// days it may still bill line by line.
			shown := now.Add(-time.Duration(s.LagDays) * 24 * time.Hour)
			shownDay := time.Date(shown.Year(), shown.Month(), shown.Day(), 0, 0, 0, 0, loc).Format(time.DateOnly)
			services := billing.ServiceDays{}
			add := func(service, d string, price billing.Money) {
				if services[service] == nil {
					services[service] = map[string]billing.Money{}
				}
				services[service][d] = services[service][d].Add(price)
			}
			rangeTotal, latest := billing.Money{}, ""
			for d := historyStart; !d.After(now); d = d.AddDate(0, 0, 1) {
				text := d.Format(time.DateOnly)
				seen := false
				if text < shownDay {
					for service, price := range m.sums[text] {
						add(service, text, price)
						seen = true
						if text >= fromText {
							rangeTotal = rangeTotal.Add(price)
						}
					}
				} else {
					for _, l := range m.byDay[text] {
						if s.visible(l, now, loc) {
							add(l.Service, text, l.Price)
							seen = true
							if text >= fromText {
								rangeTotal = rangeTotal.Add(l.Price)
							}
						}
					}
				}
				if seen {
					latest = text
				}
			}
			linear, err := billing.Forecast(rangeTotal, fromText, today, now, loc)
			if err != nil {
				return err
			}
			f, err := billing.ForecastFromDays(billing.DayForecastInput{
				Services:    services,
				HistoryFrom: historyFrom,
				From:        fromText,
				To:          today,
				DataThrough: latest,
				Now:         now,
				Loc:         loc,
			})
			if err != nil {
				return err
			}
			phase := Settled
			if changes && day-changeDay < SettledDays {
				phase = Recent
				if day <= changeDay {
					phase = Before
				}
			}
			if s.OneOffDay > 0 && s.reads(s.oneOffService()) && (day < s.OneOffDay || day == s.OneOffDay && hour < 10+24*s.LagDays) {
				phase = Before
			}
			c := &cells[bucketOf(day)][phase]
			c.Linear.add(point(linear, linear, linear, actual, over, under))
			c.CompleteDays.add(point(f.Total, f.Low, f.High, actual, over, under))
		}
	}
	return nil
}

// point is one forecast's figures.
func point(forecast, low, high billing.Money, actual, over, under *big.Rat) Stats {
	f := forecast.Rat()
	diff := new(big.Rat).Sub(f, actual)
	rel, _ := new(big.Rat).Quo(diff, actual).Float64()
	s := Stats{Points: 1, err: rel, absErr: max(rel, -rel)}
	if low.Rat().Cmp(actual) <= 0 && actual.Cmp(high.Rat()) <= 0 {
		s.covered = 1
	}
	if f.Cmp(over) > 0 {
		s.falseAlarm = 1
	}
	if high.Rat().Cmp(under) <= 0 {
		s.missed = 1
	}
	return s
}
