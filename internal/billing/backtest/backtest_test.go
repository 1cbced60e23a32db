package backtest

import (
	"strings"
	"testing"
)

// small is the backtest at the size `go test` runs it: every scenario, two
// hours, every sixth day, one month of noise.
func small() Options { return Options{Hours: []int{1, 23}, DayStep: 6, Seeds: 1} }

// TestBacktestSmall runs the backtest small and checks facts of its table
// that do not hold by accident.
func TestBacktestSmall(t *testing.T) {
	res, err := Run(small())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Scenarios) != len(Scenarios()) || len(res.Scenarios) < 80 {
		t.Fatalf("%d scenarios ran; want all %d", len(res.Scenarios), len(Scenarios()))
	}
	last := len(Buckets) - 1
	for _, class := range Classes {
		c := res.Class(class, 0, last, Settled)
		if c.Linear.Points == 0 || c.Linear.Points != c.CompleteDays.Points {
			t.Errorf("%s: %d and %d settled points", class, c.Linear.Points, c.CompleteDays.Points)
		}
		for _, share := range []float64{c.CompleteDays.Coverage(), c.CompleteDays.FalseAlarms(), c.CompleteDays.MissedAlarms(), c.Linear.MissedAlarms()} {
			if share < 0 || share > 1 {
				t.Errorf("%s: a share of %v", class, share)
			}
		}
	}
	// A one-off on day 1 is multiplied by the linear forecast, not by the
	// complete-days one.
	oneOff := res.Scenario("one-off 20x on day 1", 0, 0)
	if !(oneOff.Linear.MAPE() > 10*oneOff.CompleteDays.MAPE() && oneOff.Linear.FalseAlarms() > 0) {
		t.Errorf("one-off on day 1, days 1–3: linear %.1f%% (false alarms %.0f%%), complete days %.1f%%",
			oneOff.Linear.MAPE(), 100*oneOff.Linear.FalseAlarms(), oneOff.CompleteDays.MAPE())
	}
	// An API a day behind biases the linear forecast low on day 1.
	if lag := res.Scenario("API one day behind", 0, 0); lag.Linear.Bias() > -30 || lag.CompleteDays.Bias() < -10 {
		t.Errorf("API a day behind, days 1–3: bias linear %.1f%%, complete days %.1f%%", lag.Linear.Bias(), lag.CompleteDays.Bias())
	}
	// A step up days before the month is followed: the month is forecast
	// within a few percent from its first days, and the check warns.
	for _, name := range []string{"Instance ×3 from day -4", "everything ×2 from day -9"} {
		c := res.Scenario(name, 0, 1)
		if c.CompleteDays.MAPE() > 5 || c.CompleteDays.MissedAlarms() > 0 {
			t.Errorf("%s, days 1–7: MAPE %.1f%%, missed alarms %.0f%%", name, c.CompleteDays.MAPE(), 100*c.CompleteDays.MissedAlarms())
		}
	}
	// Steady growth is followed, where the linear forecast lags it.
	if g := res.Class(ClassGrowth, 0, 1, Settled); g.CompleteDays.MAPE() > g.Linear.MAPE()/2 {
		t.Errorf("growth, days 1–7: MAPE complete days %.1f%%, linear %.1f%%", g.CompleteDays.MAPE(), g.Linear.MAPE())
	}
	all := res.Class("", 0, last, Settled)
	if all.CompleteDays.FalseAlarms() > all.Linear.FalseAlarms() || all.CompleteDays.MissedAlarms() > all.Linear.MissedAlarms() {
		t.Errorf("false alarms: complete days %.2f, linear %.2f; missed: %.2f, %.2f", all.CompleteDays.FalseAlarms(),
			all.Linear.FalseAlarms(), all.CompleteDays.MissedAlarms(), all.Linear.MissedAlarms())
	}
	table := res.Markdown()
	for _, want := range []string{"| step up, one service | 8–14 |", "| **all classes** | all |", "| interval coverage", "missed alarms complete days"} {
		if !strings.Contains(table, want) {
			t.Errorf("the table lacks %q:\n%s", want, table)
		}
	}
	// The same options, the same table.
	few := small()
	few.Scenarios = Scenarios()[:12]
	once, err := Run(few)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Run(few)
	if err != nil {
		t.Fatal(err)
	}
	if again.Markdown() != once.Markdown() {
		t.Error("two runs differ")
	}
}

// TestFalseSpikes: over a year of fee scenarios, no recurring charge at
// its usual size is a spike, and most at three times their size are.
func TestFalseSpikes(t *testing.T) {
	r, err := FalseSpikes()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", r)
	if r.Charges < 12*len(FeeAmounts)*3 {
		t.Fatalf("%d charges judged", r.Charges)
	}
	if r.Usual != 0 {
		t.Errorf("%d of %d recurring charges at their usual size were spikes", r.Usual, r.Charges)
	}
	if 10*r.Tripled < 9*r.Charges {
		t.Errorf("only %d of %d charges at three times their size were spikes", r.Tripled, r.Charges)
	}
}
