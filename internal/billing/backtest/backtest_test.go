package backtest

import (
	"strings"
	"testing"
)

// small is the backtest at the size `go test` runs it: every scenario, two
// hours, every third day, one month of noise.
func small() Options { return Options{Hours: []int{1, 23}, DayStep: 3, Seeds: 1} }

// TestBacktestSmall runs the backtest small and checks facts of its table
// that do not hold by accident.
func TestBacktestSmall(t *testing.T) {
	res, err := Run(small())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Scenarios) != len(Scenarios()) || len(res.Scenarios) != 13 {
		t.Fatalf("%d scenarios ran; want all 13", len(res.Scenarios))
	}
	for i, name := range res.Scenarios {
		for b, bucket := range Buckets {
			c := res.Cells[i][b]
			if c.Linear.Points == 0 || c.Linear.Points != c.CompleteDays.Points {
				t.Errorf("%s, days %s: %d and %d points", name, bucket.Name, c.Linear.Points, c.CompleteDays.Points)
			}
			for _, share := range []float64{c.CompleteDays.Coverage(), c.CompleteDays.FalseAlarms(), c.Linear.FalseAlarms()} {
				if share < 0 || share > 1 {
					t.Errorf("%s, days %s: a share of %v", name, bucket.Name, share)
				}
			}
		}
	}
	index := func(name string) int {
		for i, n := range res.Scenarios {
			if n == name {
				return i
			}
		}
		t.Fatalf("no scenario %q", name)
		return -1
	}
	// A one-off on day 1 is multiplied by the linear forecast, not by the
	// complete-days one.
	oneOff := res.Cells[index("one-off 20x on day 1")][0]
	if !(oneOff.Linear.MAPE() > 10*oneOff.CompleteDays.MAPE() && oneOff.Linear.FalseAlarms() > 0) {
		t.Errorf("one-off on day 1, days 1–3: linear %.1f%% (false alarms %.0f%%), complete days %.1f%%",
			oneOff.Linear.MAPE(), 100*oneOff.Linear.FalseAlarms(), oneOff.CompleteDays.MAPE())
	}
	// An API a day behind biases the linear forecast low on day 1.
	if lag := res.Cells[index("API one day behind")][0]; lag.Linear.Bias() > -30 || lag.CompleteDays.Bias() < -10 {
		t.Errorf("API a day behind, days 1–3: bias linear %.1f%%, complete days %.1f%%", lag.Linear.Bias(), lag.CompleteDays.Bias())
	}
	all := res.All(0, len(Buckets)-1)
	if all.CompleteDays.FalseAlarms() > all.Linear.FalseAlarms() {
		t.Errorf("false alarms: complete days %.2f, linear %.2f", all.CompleteDays.FalseAlarms(), all.Linear.FalseAlarms())
	}
	table := res.Markdown()
	for _, want := range []string{"| one-off 20x on day 10 | 8–14 |", "| **all scenarios** | all |", "| interval coverage"} {
		if !strings.Contains(table, want) {
			t.Errorf("the table lacks %q:\n%s", want, table)
		}
	}
	// The same options, the same table.
	again, err := Run(small())
	if err != nil {
		t.Fatal(err)
	}
	if again.Markdown() != table {
		t.Error("two runs differ")
	}
}
