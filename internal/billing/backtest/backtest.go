package backtest

import (
	"fmt"
	"math/big"
	"strings"
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

// Full is the backtest of the forecasting guide: every scenario, every
// day, at 01:00, 12:00 and 23:00.
func Full() Options { return Options{Hours: []int{1, 12, 23}, DayStep: 1, Seeds: 5} }

// Stats is one method's figures over some forecast points.
type Stats struct {
	Points     int
	absErr     float64 // Σ |forecast − actual| / actual
	err        float64 // Σ (forecast − actual) / actual
	covered    int     // actual within [low, high]
	falseAlarm int     // forecast > budget
}

// MAPE is the mean absolute percentage error, in percent.
func (s Stats) MAPE() float64 { return 100 * s.absErr / float64(max(1, s.Points)) }

// Bias is the mean signed percentage error, in percent.
func (s Stats) Bias() float64 { return 100 * s.err / float64(max(1, s.Points)) }

// Coverage is the share of points whose actual total is in the interval.
func (s Stats) Coverage() float64 { return float64(s.covered) / float64(max(1, s.Points)) }

// FalseAlarms is the share of points whose forecast is over the budget.
func (s Stats) FalseAlarms() float64 { return float64(s.falseAlarm) / float64(max(1, s.Points)) }

// FalseAlarmCount is how many points forecast over the budget.
func (s Stats) FalseAlarmCount() int { return s.falseAlarm }

func (s *Stats) add(o Stats) {
	s.Points += o.Points
	s.absErr += o.absErr
	s.err += o.err
	s.covered += o.covered
	s.falseAlarm += o.falseAlarm
}

// Cell is both methods over one scenario and one bucket.
type Cell struct {
	Linear, CompleteDays Stats
}

func (c *Cell) add(o Cell) {
	c.Linear.add(o.Linear)
	c.CompleteDays.add(o.CompleteDays)
}

// Result is a run's figures: Cells[scenario][bucket].
type Result struct {
	Scenarios []string
	Cells     [][]Cell
}

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
	res := &Result{}
	for _, s := range scenarios {
		cells := make([]Cell, len(Buckets))
		for seed := range max(1, opts.Seeds) {
			if err := replay(s, s.lines(loc, uint64(seed)), opts, loc, cells); err != nil {
				return nil, err
			}
		}
		res.Scenarios = append(res.Scenarios, s.Name)
		res.Cells = append(res.Cells, cells)
	}
	return res, nil
}

// replay forecasts the points of opts over one month of s's lines into cells.
func replay(s Scenario, lines []line, opts Options, loc *time.Location, cells []Cell) error {
	step := max(1, opts.DayStep)
	budgetFactor := billing.MustParseMoney(BudgetFactor).Rat()
	{
		from := time.Date(s.Month.Year(), s.Month.Month(), 1, 0, 0, 0, 0, loc)
		fromText := from.Format(time.DateOnly)
		historyFrom := from.AddDate(0, 0, -billing.ForecastHistoryDays).Format(time.DateOnly)
		historyTo := from.AddDate(0, 0, -1).Format(time.DateOnly)
		actual := new(big.Rat)
		for i := range lines {
			if lines[i].Day >= fromText {
				actual.Add(actual, lines[i].Price.Rat())
			}
		}
		budget := new(big.Rat).Mul(actual, budgetFactor)
		n := s.DaysInMonth()
		for day := 1; day <= n; day++ {
			if day != 1 && day != n && (day-1)%step != 0 {
				continue
			}
			for _, hour := range opts.Hours {
				now := time.Date(from.Year(), from.Month(), day, hour, 0, 0, 0, loc)
				today := now.Format(time.DateOnly)
				rangeAgg, err := billing.NewAggregator(billing.Day, loc, fromText, today)
				if err != nil {
					return err
				}
				historyAgg, err := billing.NewAggregator(billing.Day, loc, historyFrom, historyTo)
				if err != nil {
					return err
				}
				for i := range lines {
					l := &lines[i]
					if l.Day < historyFrom || l.Day > today || !s.visible(l, now, loc) {
						continue
					}
					if l.Day < fromText {
						historyAgg.Add(&l.Line)
					} else {
						rangeAgg.Add(&l.Line)
					}
				}
				current, history := rangeAgg.Summary(), historyAgg.Summary()
				linear, err := billing.Forecast(current.Total, fromText, today, now, loc)
				if err != nil {
					return err
				}
				f, err := billing.ForecastFromDays(billing.DayForecastInput{
					Daily:       billing.DailyTotals(current.Daily, history.Daily),
					HistoryFrom: historyFrom,
					From:        fromText,
					To:          today,
					DataThrough: billing.LatestDay(current.LatestDay, history.LatestDay),
					Now:         now,
					Loc:         loc,
				})
				if err != nil {
					return err
				}
				b := bucketOf(day)
				cells[b].Linear.add(point(linear, linear, linear, actual, budget))
				cells[b].CompleteDays.add(point(f.Total, f.Low, f.High, actual, budget))
			}
		}
	}
	return nil
}

// point is one forecast's figures.
func point(forecast, low, high billing.Money, actual, budget *big.Rat) Stats {
	f := forecast.Rat()
	diff := new(big.Rat).Sub(f, actual)
	rel, _ := new(big.Rat).Quo(diff, actual).Float64()
	s := Stats{Points: 1, err: rel, absErr: max(rel, -rel)}
	if low.Rat().Cmp(actual) <= 0 && actual.Cmp(high.Rat()) <= 0 {
		s.covered = 1
	}
	if f.Cmp(budget) > 0 {
		s.falseAlarm = 1
	}
	return s
}

// Scenario is the cells of one scenario over the days of b (indexes into
// Buckets, inclusive).
func (r *Result) Scenario(i, firstBucket, lastBucket int) Cell {
	var c Cell
	for b := firstBucket; b <= lastBucket; b++ {
		c.add(r.Cells[i][b])
	}
	return c
}

// All is every scenario over the buckets firstBucket..lastBucket.
func (r *Result) All(firstBucket, lastBucket int) Cell {
	var c Cell
	for i := range r.Cells {
		c.add(r.Scenario(i, firstBucket, lastBucket))
	}
	return c
}

// Goal is one of the goals of the forecast and whether the run meets it.
type Goal struct {
	Text   string
	Met    bool
	Actual string
}

// Goals measures the run against the forecast's goals.
func (r *Result) Goals() []Goal {
	last := len(Buckets) - 1
	early := r.All(0, 1)
	ratio := early.CompleteDays.MAPE() / early.Linear.MAPE()
	goals := []Goal{{
		Text:   "days 1–7, all scenarios: error at most 0.5× linear's",
		Met:    ratio <= 0.5,
		Actual: fmt.Sprintf("%.2f%% against %.2f%%: %.3f×", early.CompleteDays.MAPE(), early.Linear.MAPE(), ratio),
	}}
	worst, worstName := 0.0, ""
	for i, name := range r.Scenarios {
		c := r.Scenario(i, 2, last)
		if q := c.CompleteDays.MAPE() / c.Linear.MAPE(); q > worst || worstName == "" {
			worst, worstName = q, name
		}
	}
	goals = append(goals, Goal{
		Text:   "days 8+, every scenario: error at most 1.1× linear's",
		Met:    worst <= 1.1,
		Actual: fmt.Sprintf("worst %.3f× (%s)", worst, worstName),
	})
	all := r.All(0, last)
	goals = append(goals, Goal{
		Text:   "false alarms at most 2% of all points",
		Met:    all.CompleteDays.FalseAlarms() <= 0.02,
		Actual: fmt.Sprintf("%.2f%% (%d of %d); linear %.2f%%", 100*all.CompleteDays.FalseAlarms(), all.CompleteDays.falseAlarm, all.CompleteDays.Points, 100*all.Linear.FalseAlarms()),
	})
	var over []string
	for i, name := range r.Scenarios {
		if c := r.Scenario(i, 0, last); c.CompleteDays.falseAlarm > c.Linear.falseAlarm {
			over = append(over, fmt.Sprintf("%s (%d > %d)", name, c.CompleteDays.falseAlarm, c.Linear.falseAlarm))
		}
	}
	actual := "none above"
	if len(over) > 0 {
		actual = "above in " + strings.Join(over, ", ")
	}
	goals = append(goals, Goal{
		Text:   "false alarms never above linear's in a scenario",
		Met:    len(over) == 0,
		Actual: actual,
	})
	cov := all.CompleteDays.Coverage()
	goals = append(goals, Goal{
		Text:   "interval coverage, all points: 70% to 90%",
		Met:    cov >= 0.7 && cov <= 0.9,
		Actual: fmt.Sprintf("%.1f%%", 100*cov),
	})
	return goals
}

// Markdown is the run's table, both methods side by side, then the goals.
func (r *Result) Markdown() string {
	var b strings.Builder
	b.WriteString("| scenario | days | points | MAPE linear | MAPE complete days | bias linear | bias complete days | coverage | false alarms linear | false alarms complete days |\n")
	b.WriteString("| :-- | :-- | --: | --: | --: | --: | --: | --: | --: | --: |\n")
	row := func(name, days string, c Cell) {
		fmt.Fprintf(&b, "| %s | %s | %d | %.1f%% | %.1f%% | %+.1f%% | %+.1f%% | %.0f%% | %.1f%% | %.1f%% |\n",
			name, days, c.CompleteDays.Points, c.Linear.MAPE(), c.CompleteDays.MAPE(), c.Linear.Bias(), c.CompleteDays.Bias(),
			100*c.CompleteDays.Coverage(), 100*c.Linear.FalseAlarms(), 100*c.CompleteDays.FalseAlarms())
	}
	for i, name := range r.Scenarios {
		for k, bucket := range Buckets {
			row(name, bucket.Name, r.Cells[i][k])
		}
	}
	for k, bucket := range Buckets {
		row("**all scenarios**", bucket.Name, r.All(k, k))
	}
	row("**all scenarios**", "all", r.All(0, len(Buckets)-1))
	b.WriteString("\n| goal | met | measured |\n| :-- | :-: | :-- |\n")
	for _, g := range r.Goals() {
		met := "no"
		if g.Met {
			met = "yes"
		}
		fmt.Fprintf(&b, "| %s | %s | %s |\n", g.Text, met, g.Actual)
	}
	return b.String()
}
