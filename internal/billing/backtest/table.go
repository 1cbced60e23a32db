package backtest

import (
	"fmt"
	"strings"
)

// Class is the cells of one class over the buckets firstBucket..lastBucket
// (indexes into Buckets, inclusive) and the phases given.
func (r *Result) Class(class string, firstBucket, lastBucket int, phase ...int) Cell {
	var c Cell
	for i, s := range r.Scenarios {
		if class != "" && s.Class != class {
			continue
		}
		for b := firstBucket; b <= lastBucket; b++ {
			for _, p := range phase {
				c.add(r.Cells[i][b][p])
			}
		}
	}
	return c
}

// Scenario is the cells of the scenario named over every bucket and phase.
func (r *Result) Scenario(name string, firstBucket, lastBucket int) Cell {
	var c Cell
	for i, s := range r.Scenarios {
		if s.Name == name {
			for b := firstBucket; b <= lastBucket; b++ {
				for p := range phases {
					c.add(r.Cells[i][b][p])
				}
			}
		}
	}
	return c
}

// classes lists the classes of the run, in the table's order.
func (r *Result) classes() []string {
	var out []string
	for _, c := range Classes {
		for _, s := range r.Scenarios {
			if s.Class == c {
				out = append(out, c)
				break
			}
		}
	}
	return out
}

// Goal is one of the goals of the forecast and whether the run meets it.
type Goal struct {
	Text   string
	Met    bool
	Actual string
}

// Goals measures the run's settled points against the forecast's goals.
func (r *Result) Goals() []Goal {
	last := len(Buckets) - 1
	type failure struct {
		where string
		value float64
	}
	var mape, cover, worse []failure
	worstMAPE, worstMissed := failure{}, failure{}
	for _, class := range r.classes() {
		for b, bucket := range Buckets {
			c := r.Class(class, b, b, Settled)
			if c.CompleteDays.Points == 0 {
				continue
			}
			where := class + ", days " + bucket.Name
			if v := c.CompleteDays.MAPE(); v > 5 {
				mape = append(mape, failure{where, v})
			}
			if v := c.CompleteDays.MAPE(); v > worstMAPE.value {
				worstMAPE = failure{where, v}
			}
			if v := 100 * c.CompleteDays.MissedAlarms(); v > worstMissed.value {
				worstMissed = failure{where, v}
			}
			if v := 100 * c.CompleteDays.Coverage(); v < 75 || v > 90 {
				cover = append(cover, failure{where, v})
			}
			if q := c.CompleteDays.MAPE() / c.Linear.MAPE(); q > 1.1 {
				worse = append(worse, failure{where, q})
			}
		}
	}
	list := func(fs []failure, format string) string {
		if len(fs) == 0 {
			return "none"
		}
		parts := make([]string, len(fs))
		for i, f := range fs {
			parts[i] = f.where + " " + fmt.Sprintf(format, f.value)
		}
		return fmt.Sprintf("%d: ", len(fs)) + strings.Join(parts, "; ")
	}
	worstMissedText := "none above 0"
	if worstMissed.where != "" {
		worstMissedText = fmt.Sprintf("%.1f%% (%s)", worstMissed.value, worstMissed.where)
	}
	all := r.Class("", 0, last, Settled)
	everything := r.Class("", 0, last, Settled, Recent, Before)
	cov := 100 * all.CompleteDays.Coverage()
	return []Goal{{
		Text:   "MAPE ≤ 5% in every class and day bucket",
		Met:    len(mape) == 0,
		Actual: fmt.Sprintf("worst %.1f%% (%s); cells above: %s", worstMAPE.value, worstMAPE.where, list(mape, "%.1f%%")),
	}, {
		Text: "missed alarms ≤ 5%",
		Met:  all.CompleteDays.MissedAlarms() <= 0.05,
		Actual: fmt.Sprintf("%.2f%% of settled points (linear %.2f%%); worst cell %s",
			100*all.CompleteDays.MissedAlarms(), 100*all.Linear.MissedAlarms(), worstMissedText),
	}, {
		Text:   "interval coverage 75% to 90% overall and in every class and day bucket",
		Met:    cov >= 75 && cov <= 90 && len(cover) == 0,
		Actual: fmt.Sprintf("overall %.1f%%; cells outside: %s", cov, list(cover, "%.0f%%")),
	}, {
		Text: "false alarms ≤ 2%",
		Met:  all.CompleteDays.FalseAlarms() <= 0.02,
		Actual: fmt.Sprintf("%.2f%% of settled points, %.2f%% of all (linear %.2f%%, %.2f%%)",
			100*all.CompleteDays.FalseAlarms(), 100*everything.CompleteDays.FalseAlarms(),
			100*all.Linear.FalseAlarms(), 100*everything.Linear.FalseAlarms()),
	}, {
		Text:   "MAPE no worse than 1.1× linear's in any class and day bucket",
		Met:    len(worse) == 0,
		Actual: list(worse, "%.2f×"),
	}}
}

// Markdown is the run's tables, both methods side by side, then the goals.
func (r *Result) Markdown() string {
	var b strings.Builder
	header := "| %s | days | points | MAPE linear | MAPE complete days | bias linear | bias complete days | coverage | missed alarms linear | missed alarms complete days | false alarms linear | false alarms complete days |\n" +
		"| :-- | :-- | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: |\n"
	row := func(name, days string, c Cell) {
		if c.CompleteDays.Points == 0 {
			return
		}
		fmt.Fprintf(&b, "| %s | %s | %d | %.1f%% | %.1f%% | %+.1f%% | %+.1f%% | %.0f%% | %.1f%% | %.1f%% | %.1f%% | %.1f%% |\n",
			name, days, c.CompleteDays.Points, c.Linear.MAPE(), c.CompleteDays.MAPE(), c.Linear.Bias(), c.CompleteDays.Bias(),
			100*c.CompleteDays.Coverage(), 100*c.Linear.MissedAlarms(), 100*c.CompleteDays.MissedAlarms(),
			100*c.Linear.FalseAlarms(), 100*c.CompleteDays.FalseAlarms())
	}
	last := len(Buckets) - 1
	fmt.Fprintf(&b, header, "class (settled points)")
	for _, class := range r.classes() {
		for k, bucket := range Buckets {
			row(class, bucket.Name, r.Class(class, k, k, Settled))
		}
	}
	for k, bucket := range Buckets {
		row("**all classes**", bucket.Name, r.Class("", k, k, Settled))
	}
	row("**all classes**", "all", r.Class("", 0, last, Settled))
	b.WriteString("\n")
	fmt.Fprintf(&b, header, "class (points the goals leave out)")
	for _, class := range r.classes() {
		row(class+", 1–2 days after a change", "all", r.Class(class, 0, last, Recent))
		row(class+", before the change", "all", r.Class(class, 0, last, Before))
	}
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
