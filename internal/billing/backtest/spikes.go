package backtest

import (
	"fmt"
	"time"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing"
)

// SpikeRate is how spike detection treats recurring charges over a year of
// scenario months: every fee scenario (FeeClasses × FeeAmounts, and the
// Support fee on the 1st) in each month of 2026, with the default rule.
type SpikeRate struct {
	// Charges is how many recurring charges were judged, Usual how many of
	// them at their usual size were reported as spikes, Tripled how many
	// were reported when the month's charge was three times its size.
	Charges, Usual, Tripled int
}

// FalseSpikes judges every month's recurring charge of the fee scenarios
// over 2026, at its usual size and at three times it.
func FalseSpikes() (SpikeRate, error) {
	loc, err := billing.ParseTimeZone(billing.DefaultTimeZone)
	if err != nil {
		return SpikeRate{}, err
	}
	rule := billing.SpikeRule{
		BaselineDays: billing.DefaultSpikeBaselineDays,
		Factor:       billing.MustParseMoney(billing.DefaultSpikeFactor),
		MinAmount:    billing.MustParseMoney(billing.DefaultSpikeMinAmount),
	}
	var rate SpikeRate
	for _, s := range Scenarios() {
		service := ""
		switch {
		case s.FeeDay != 0:
			service = "License"
		case s.Monthly > 0:
			service = "Support"
		default:
			continue
		}
		for m := time.January; m <= time.December; m++ {
			s.Month = time.Date(2026, m, 1, 0, 0, 0, 0, time.UTC)
			month := newMonth(s.lines(loc, 0))
			days := billing.ServiceDays{}
			for day, sums := range month.sums {
				for svc, amount := range sums {
					if days[svc] == nil {
						days[svc] = map[string]billing.Money{}
					}
					days[svc][day] = amount
				}
			}
			r := billing.DayRange{From: s.Month.Format(time.DateOnly), To: s.Month.AddDate(0, 1, -1).Format(time.DateOnly)}
			var feeDay string
			list, _ := billing.DaysOf(r)
			for _, d := range list {
				t, _ := billing.ParseDate(d)
				if (s.FeeDay != 0 && s.feeOn(t)) || (s.Monthly > 0 && t.Day() == 1) {
					feeDay = d
				}
			}
			if feeDay == "" {
				return rate, fmt.Errorf("%s: no fee in %s", s.Name, r)
			}
			rate.Charges++
			spiked := func() (bool, error) {
				spikes, err := billing.DetectSpikes(days, r, rule)
				if err != nil {
					return false, err
				}
				for _, sp := range spikes {
					if sp.Service == service && sp.Day == feeDay {
						return true, nil
					}
				}
				return false, nil
			}
			usual, err := spiked()
			if err != nil {
				return rate, err
			}
			if usual {
				rate.Usual++
			}
			fee := days[service][feeDay]
			days[service][feeDay] = fee.Add(fee).Add(fee)
			tripled, err := spiked()
			if err != nil {
				return rate, err
			}
			if tripled {
				rate.Tripled++
			}
		}
	}
	return rate, nil
}

// Markdown is the rate as a short table.
func (r SpikeRate) Markdown() string {
	pct := func(n int) float64 { return 100 * float64(n) / float64(max(1, r.Charges)) }
	return fmt.Sprintf("| recurring charges judged | reported as spikes at their usual size (false-spike rate) | reported at three times their size |\n"+
		"| --: | --: | --: |\n| %d | %d (%.1f%%) | %d (%.1f%%) |\n", r.Charges, r.Usual, pct(r.Usual), r.Tripled, pct(r.Tripled))
}
