package billing

import (
	"cmp"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"
)

// Spike detection defaults and bounds. The defaults are what the
// forecasting guide's false-spike rate table replays (backtest.FalseSpikes).
const (
	// DefaultSpikeBaselineDays is a week: every weekday once in the
	// median, as RecurringBaselineDays.
	DefaultSpikeBaselineDays = 7
	MaxSpikeBaselineDays     = 90
	// SpikeRatioDecimals is how many digits after the point a spike's
	// ratio keeps, rounded half away from zero.
	SpikeRatioDecimals = 2
)

// Defaults of SpikeRule's amounts, as text so that they read exactly.
// DefaultSpikeFactor (a day more than 3 times its baseline) and
// DefaultSpikeMinAmount (above 1,000,000 VND) move the false-spike rate
// table's control (a recurring charge at three times its size reported as
// a spike); a charge at its usual size is judged against the charge
// expected (recurringTolerance), not against them.
const (
	DefaultSpikeFactor    = "3"
	DefaultSpikeMinAmount = "1000000"
)

// ServiceDays is the spend per service per day: service name, then the
// line's day (YYYY-MM-DD, the day the API bills the line on), then the
// exact sum. A day without a line of a service has no entry.
type ServiceDays map[string]map[string]Money

// add counts one line.
func (s ServiceDays) add(service, day string, price Money) {
	days := s[service]
	if days == nil {
		days = map[string]Money{}
		s[service] = days
	}
	days[day] = days[day].Add(price)
}

// CopyDays adds to s the entries of from whose day is in r.
func (s ServiceDays) CopyDays(from ServiceDays, r DayRange) {
	for service, days := range from {
		for day, amount := range days {
			if day >= r.From && day <= r.To {
				s.add(service, day, amount)
			}
		}
	}
}

// Amount is the spend of service on day; 0 when it has no line that day.
func (s ServiceDays) Amount(service, day string) Money {
	return s[service][day]
}

// SpikeRule says what a spike is: a service's spend on a day is a spike
// when it is more than Factor times its baseline, the median of that
// service's spend on each of the BaselineDays days before, and more than
// MinAmount.
type SpikeRule struct {
	BaselineDays int
	Factor       Money
	MinAmount    Money
}

// Check validates the rule, naming the setting at fault.
func (r SpikeRule) Check() error {
	if r.BaselineDays < 1 || r.BaselineDays > MaxSpikeBaselineDays {
		return fmt.Errorf("baseline_days = %d: use a number of days from 1 to %d", r.BaselineDays, MaxSpikeBaselineDays)
	}
	if r.Factor.Cmp(MustParseMoney("1")) <= 0 {
		return fmt.Errorf("factor = %s: use a number greater than 1, such as %s (a day at least that many times its baseline)",
			r.Factor, DefaultSpikeFactor)
	}
	if r.MinAmount.Sign() < 0 {
		return fmt.Errorf("min_amount = %s: use an amount of 0 or more", r.MinAmount)
	}
	return nil
}

// BaselineRange is the days before from that the baselines of from..to
// need: the BaselineDays days that end the day before from.
func (r SpikeRule) BaselineRange(from string) (DayRange, error) {
	f, err := ParseDate(from)
	if err != nil {
		return DayRange{}, err
	}
	return DayRange{
		From: f.AddDate(0, 0, -r.BaselineDays).Format(time.DateOnly),
		To:   f.AddDate(0, 0, -1).Format(time.DateOnly),
	}, nil
}

// Spike is one service on one day far above its baseline.
type Spike struct {
	Day      string // YYYY-MM-DD
	Service  string
	Amount   Money
	Baseline Money
	// Ratio is Amount / Baseline rounded half away from zero to
	// SpikeRatioDecimals places; nil when the baseline is 0 or less.
	Ratio *Money
}

// DetectSpikes lists the spikes of the days of r, by day, then service.
// days must hold the spend of r and of the rule's BaselineDays before it;
// a day without a line of a service counts 0 for it, in the amount and in
// the baseline alike.
//
// A day on which a recurring charge is expected (ExpectedCharge: the same
// service's day of the month a month before held a charge, which needs
// days from RecurringHistoryFrom) is judged against what was expected: it
// is a spike only when its excess over the baseline is more than
// RecurringTolerance times the expected charge, and its Baseline is then
// the baseline plus the charge. A monthly fee on its day at its usual size
// is no spike; the same fee at three times its size is.
func DetectSpikes(days ServiceDays, r DayRange, rule SpikeRule) ([]Spike, error) {
	if err := rule.Check(); err != nil {
		return nil, err
	}
	list, err := DaysOf(r)
	if err != nil {
		return nil, err
	}
	services := make([]string, 0, len(days))
	for s := range days {
		services = append(services, s)
	}
	slices.Sort(services)
	factor := rule.Factor.Rat()
	// The first day days holds: the recurring charges' months before.
	first := earliestDay(days)
	window := make([]Money, rule.BaselineDays)
	var spikes []Spike
	for _, day := range list {
		d, _ := ParseDate(day) // from DaysOf
		for _, service := range services {
			amount := days.Amount(service, day)
			if amount.Cmp(rule.MinAmount) <= 0 {
				continue
			}
			for i := range window {
				window[i] = days.Amount(service, d.AddDate(0, 0, -1-i).Format(time.DateOnly))
			}
			baseline := Median(window)
			limit := new(big.Rat).Mul(factor, baseline.Rat())
			if amount.Rat().Cmp(limit) <= 0 {
				continue
			}
			// A recurring charge's day is judged against what was
			// expected: the usual day and the charge.
			if charge, ok := ExpectedCharge(days[service], day, first); ok {
				excess := new(big.Rat).Sub(amount.Rat(), baseline.Rat())
				if excess.Cmp(new(big.Rat).Mul(recurringTolerance, charge.Rat())) <= 0 {
					continue
				}
				baseline = baseline.Add(charge)
			}
			spike := Spike{Day: day, Service: service, Amount: amount, Baseline: baseline}
			if baseline.Sign() > 0 {
				ratio := MoneyFromRat(new(big.Rat).Quo(amount.Rat(), baseline.Rat()), SpikeRatioDecimals)
				spike.Ratio = &ratio
			}
			spikes = append(spikes, spike)
		}
	}
	return spikes, nil
}

// Median is the middle of values once sorted, or the mean of the two in
// the middle when there are an even number, exactly; 0 for none. values
// is sorted in place.
func Median(values []Money) Money {
	if len(values) == 0 {
		return Money{}
	}
	slices.SortFunc(values, func(a, b Money) int { return a.Cmp(b) })
	mid := len(values) / 2
	if len(values)%2 == 1 {
		return values[mid]
	}
	a, b := values[mid-1], values[mid]
	sum := a.Add(b)
	// Half of a decimal with s places has at most s+1 places: exact.
	return MoneyFromRat(new(big.Rat).Quo(sum.Rat(), big.NewRat(2, 1)), int(sum.scale)+1)
}

// SpikesMarkdown is a short table of spikes, the largest amounts first, at
// most ReportTopRows rows and a line for the rest.
func SpikesMarkdown(spikes []Spike, currency string) (string, error) {
	if len(spikes) == 0 {
		return "No spikes.\n", nil
	}
	rows := slices.Clone(spikes)
	slices.SortStableFunc(rows, func(a, b Spike) int {
		return cmp.Or(b.Amount.Cmp(a.Amount), strings.Compare(a.Day, b.Day), strings.Compare(a.Service, b.Service))
	})
	var b strings.Builder
	b.WriteString("| Day | Service | Amount | Baseline | × |\n| :-- | :-- | --: | --: | --: |\n")
	shown := rows[:min(len(rows), ReportTopRows)]
	for _, s := range shown {
		amount, err := Format(s.Amount, currency)
		if err != nil {
			return "", err
		}
		baseline, err := Format(s.Baseline, currency)
		if err != nil {
			return "", err
		}
		ratio := "–"
		if s.Ratio != nil {
			ratio = s.Ratio.String()
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", s.Day, escapeCell(s.Service), amount, baseline, ratio)
	}
	if rest := len(rows) - len(shown); rest > 0 {
		noun := "spikes"
		if rest == 1 {
			noun = "spike"
		}
		fmt.Fprintf(&b, "\n%d more %s.\n", rest, noun)
	}
	return b.String(), nil
}

// earliestDay is the first day any service of days has an entry for, ""
// for none.
func earliestDay(days ServiceDays) string {
	first := ""
	for _, series := range days {
		for d := range series {
			if first == "" || d < first {
				first = d
			}
		}
	}
	return first
}
