package backtest

import (
	"fmt"
	"time"
)

// The classes of the table, in its order.
const (
	ClassSteady     = "steady (flat, weekly, 28–31 days)"
	ClassBilling    = "today half billed, API a day behind"
	ClassOneOff     = "one-off 20x"
	ClassNewService = "new service"
	ClassUpOne      = "step up, one service"
	ClassDownOne    = "step down, one service"
	ClassUpAll      = "step up, whole account"
	ClassDownAll    = "step down, whole account"
	ClassGrowth     = "compounding growth"
	ClassDecline    = "compounding decline"
	ClassTeam       = "one team's read"
	ClassMonthly    = "a service billed on the 1st"
	ClassFeeEarly   = "a fee on the 1st–5th"
	ClassFeeMid     = "a fee mid-month"
	ClassFeeLast    = "a fee on the 28th or the month's last day"
	ClassEveryK     = "a service billed every k days"
	ClassStaircase  = "a staircase of monthly steps"
	ClassRamp       = "a linear ramp"
	ClassHeavyTail  = "heavy-tailed days"
)

// Classes are the classes of Scenarios, in the table's order.
var Classes = []string{
	ClassSteady, ClassBilling, ClassOneOff, ClassNewService, ClassUpOne, ClassDownOne,
	ClassUpAll, ClassDownAll, ClassGrowth, ClassDecline, ClassTeam, ClassMonthly,
	ClassFeeEarly, ClassFeeMid, ClassFeeLast, ClassEveryK, ClassStaircase, ClassRamp, ClassHeavyTail,
}

// FeeClasses are the classes of a recurring fee, and the days it falls on
// in each.
var FeeClasses = []struct {
	Class string
	Days  []int
}{
	{ClassFeeEarly, []int{1, 3, 5}},
	{ClassFeeMid, []int{12, 15, 20}},
	{ClassFeeLast, []int{LastDay, 28}},
}

// FeeAmounts are the fees' sizes, against a month of about 300 million VND.
var FeeAmounts = []float64{5_000_000, 30_000_000, 150_000_000}

// StepDays are the days of the month the steps start on: in the history
// (up to 17 days before the month) and within the month, so that the
// forecast days see them 1 to 20 and more days old.
var StepDays = []int{-17, -9, -4, -1, 3, 9, 16}

// Scenarios are the months of the backtest.
func Scenarios() []Scenario {
	month := func(y int, m time.Month) time.Time { return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC) }
	base := Scenario{Month: month(2026, time.July), Noise: 0.08, Weekend: 1}
	with := func(class, name string, f func(*Scenario)) Scenario {
		s := base
		s.Class, s.Name = class, name
		f(&s)
		return s
	}
	out := []Scenario{
		with(ClassSteady, "flat with noise", func(*Scenario) {}),
		with(ClassSteady, "weekdays 100, weekends 40", func(s *Scenario) { s.Weekend = 0.4 }),
		with(ClassSteady, "28 days (Feb 2026), weekly", func(s *Scenario) { s.Month, s.Weekend = month(2026, time.February), 0.4 }),
		with(ClassSteady, "29 days (Feb 2028), weekly", func(s *Scenario) { s.Month, s.Weekend = month(2028, time.February), 0.4 }),
		with(ClassSteady, "30 days (Apr 2026), weekly", func(s *Scenario) { s.Month, s.Weekend = month(2026, time.April), 0.4 }),
		with(ClassSteady, "31 days (Jan 2027), weekly", func(s *Scenario) { s.Month, s.Weekend = month(2027, time.January), 0.4 }),
		with(ClassBilling, "today half billed", func(s *Scenario) { s.HalfBilled = true }),
		with(ClassBilling, "API one day behind", func(s *Scenario) { s.LagDays = 1 }),
		with(ClassNewService, "new service from day 12", func(s *Scenario) { s.NewServiceDay = 12 }),
		with(ClassNewService, "new service from day 4", func(s *Scenario) { s.NewServiceDay = 4 }),
	}
	for _, d := range []int{1, 2, 10} {
		out = append(out, with(ClassOneOff, fmt.Sprintf("one-off 20x on day %d", d), func(s *Scenario) { s.OneOffDay = d }))
	}
	steps := []struct {
		class, service string
		factors        []float64
	}{
		{ClassUpOne, "Instance", []float64{2, 3}},
		{ClassDownOne, "Object Storage", []float64{0}},
		{ClassDownOne, "Instance", []float64{0.5}},
		{ClassUpAll, "", []float64{1.5, 2}},
		{ClassDownAll, "", []float64{0.5, 0.75}},
	}
	for _, st := range steps {
		for _, factor := range st.factors {
			for _, day := range StepDays {
				who := st.service
				if who == "" {
					who = "everything"
				}
				out = append(out, with(st.class, fmt.Sprintf("%s ×%g from day %d", who, factor, day), func(s *Scenario) {
					s.Steps = []Step{{Service: st.service, Day: day, Factor: factor}}
				}))
			}
		}
	}
	for _, g := range []float64{0.1, 0.3, 0.6} {
		out = append(out, with(ClassGrowth, fmt.Sprintf("growth %+.0f%% a month", 100*g), func(s *Scenario) { s.Growth = g }))
	}
	for _, g := range []float64{-0.1, -0.2, -0.3} {
		out = append(out, with(ClassDecline, fmt.Sprintf("decline %+.0f%% a month", 100*g), func(s *Scenario) { s.Growth = g }))
	}
	teamA := []string{"Instance", "Network"}
	for _, d := range []int{1, 5} {
		out = append(out, with(ClassTeam, fmt.Sprintf("team read, the other team's one-off on day %d", d), func(s *Scenario) {
			s.Read, s.OneOffDay = teamA, d
		}))
	}
	for _, d := range []int{-4, 5} {
		out = append(out, with(ClassTeam, fmt.Sprintf("team read, the other team ×3 from day %d", d), func(s *Scenario) {
			s.Read, s.Steps = teamA, []Step{{Service: "Object Storage", Day: d, Factor: 3}}
		}))
	}
	for _, d := range []int{-9, -4, 3, 9} {
		out = append(out, with(ClassTeam, fmt.Sprintf("team read, the team ×3 from day %d", d), func(s *Scenario) {
			s.Read, s.Steps = []string{"Object Storage"}, []Step{{Service: "Object Storage", Day: d, Factor: 3}}
		}))
	}
	for _, amount := range []float64{30_000_000, 100_000_000} {
		out = append(out, with(ClassMonthly, fmt.Sprintf("Support %.0f M on the 1st", amount/1e6), func(s *Scenario) { s.Monthly = amount }))
	}
	for _, fc := range FeeClasses {
		for _, day := range fc.Days {
			for _, amount := range FeeAmounts {
				out = append(out, with(fc.Class, fmt.Sprintf("License %.0f M on day %d", amount/1e6, day), func(s *Scenario) {
					s.FeeDay, s.FeeAmount = day, amount
				}))
			}
		}
	}
	for _, k := range []int{2, 3, 5, 9} {
		for _, amount := range []float64{3_000_000, 20_000_000} {
			out = append(out, with(ClassEveryK, fmt.Sprintf("Batch %.0f M every %d days", amount/1e6, k), func(s *Scenario) {
				s.EveryDays, s.EveryAmount = k, amount
			}))
		}
	}
	for _, step := range []float64{1.1, 1.3, 1.5, 0.8} {
		for _, m := range []time.Month{time.March, time.July} {
			out = append(out, with(ClassStaircase, fmt.Sprintf("×%g at each 1st, %s", step, m), func(s *Scenario) {
				s.MonthlyStep, s.Month = step, time.Date(2026, m, 1, 0, 0, 0, 0, time.UTC)
			}))
		}
	}
	for _, r := range []float64{0.05, 0.15, 0.3} {
		out = append(out, with(ClassRamp, fmt.Sprintf("+%.0f%% of a day a month, linearly", 100*r), func(s *Scenario) { s.Ramp = r }))
	}
	for _, sigma := range []float64{0.5, 0.8, 1.2} {
		out = append(out, with(ClassHeavyTail, fmt.Sprintf("Network lognormal σ %.1f", sigma), func(s *Scenario) { s.HeavyTail = sigma }))
	}
	return out
}
