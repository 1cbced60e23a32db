package billing

import (
	"fmt"
	"math/big"
	"strings"
)

// ReportHistory is what a report shows of a range's past: the comparison
// with a previous range and the spikes, each when it was asked for.
type ReportHistory struct {
	Comparison *Comparison // nil: no comparison line
	// Recurring is the comparison's recurring charges; nil or zero: none.
	Recurring  *RecurringSplit
	Spikes     []Spike
	SpikesRule *SpikeRule // nil: no spikes section
}

// writeChange writes the comparison line, naming the days compared on
// each side and how many, such as "- **Change:** +12.4% (+1,234,567 VND)
// over 2026-11-01..2026-11-26 (26 days) vs 2026-10-01..2026-10-26 (26 days,
// 9,876,543 VND)".
func (h ReportHistory) writeChange(b *strings.Builder, currency string) error {
	c := h.Comparison
	if c == nil {
		return nil
	}
	if c.Previous.To < c.Previous.From {
		b.WriteString("- **Change:** none yet, no day of the range is complete\n")
		return nil
	}
	change, err := Format(c.Change, currency)
	if err != nil {
		return err
	}
	if c.Change.Sign() >= 0 {
		change = "+" + change
	}
	previous, err := Format(c.PreviousTotal, currency)
	if err != nil {
		return err
	}
	over := ""
	if c.Current.From != "" {
		over = fmt.Sprintf(" over %s (%s)", c.Current, dayCount(c.Current))
	}
	if c.PreviousTotal.Sign() == 0 {
		fmt.Fprintf(b, "- **Change:** %s%s vs %s (%s), which had no spend\n", change, over, c.Previous, dayCount(c.Previous))
		return nil
	}
	if r, ok := h.recurringApart(); ok {
		return writeUsageChange(b, *c, r, currency, over)
	}
	fmt.Fprintf(b, "- **Change:** %s (%s)%s vs %s (%s, %s)\n", ChangeText(c.Change, c.PreviousTotal), change, over,
		c.Previous, dayCount(c.Previous), previous)
	return nil
}

// recurringApart is the comparison's recurring charges when either range
// holds any: then the change line and the report's lead give the usage's
// change, the charges apart.
func (h ReportHistory) recurringApart() (RecurringSplit, bool) {
	if r := h.Recurring; r != nil && (r.Current.Sign() != 0 || r.Previous.Sign() != 0) {
		return *r, true
	}
	return RecurringSplit{}, false
}

// dayCount is "1 day" or "N days", the length of r.
func dayCount(r DayRange) string {
	f, err1 := ParseDate(r.From)
	t, err2 := ParseDate(r.To)
	if err1 != nil || err2 != nil {
		return "days unknown"
	}
	if n := DaysInRange(f, t); n != 1 {
		return fmt.Sprintf("%d days", n)
	}
	return "1 day"
}

// writeUsageChange writes the comparison line with the recurring charges
// apart, such as "- **Change:** usage +12.4% (+1,234,567 VND) over
// 2026-11-28..2026-12-04 (7 days) vs 2026-11-21..2026-11-27 (7 days);
// recurring charges 234,000,000 VND against 0 VND". over names the current
// days, or is empty.
func writeUsageChange(b *strings.Builder, c Comparison, r RecurringSplit, currency, over string) error {
	change, _, _ := r.UsageChange(c)
	text, err := Format(change, currency)
	if err != nil {
		return err
	}
	if change.Sign() >= 0 {
		text = "+" + text
	}
	fmt.Fprintf(b, "- **Change:** usage %s (%s)%s vs %s (%s); recurring charges %s against %s\n",
		ChangeText(change, c.PreviousTotal.Sub(r.Previous)), text, over, c.Previous, dayCount(c.Previous),
		formatAmount(r.Current, currency), formatAmount(r.Previous, currency))
	return nil
}

// ChangeText is change as a percentage of |previous| with one decimal,
// rounded half away from zero and signed: "+12.4%", "-3.0%", "+0.0%". It
// is "–" when previous is 0.
func ChangeText(change, previous Money) string {
	if previous.Sign() == 0 {
		return "–"
	}
	r := new(big.Rat).Quo(change.Rat(), new(big.Rat).Abs(previous.Rat()))
	text := MoneyFromRat(r.Mul(r, big.NewRat(100, 1)), 1).String()
	if !strings.Contains(text, ".") {
		text += ".0"
	}
	if !strings.HasPrefix(text, "-") {
		text = "+" + text
	}
	return text + "%"
}

// writeSpikes writes the spikes section.
func (h ReportHistory) writeSpikes(b *strings.Builder, currency string) error {
	if h.SpikesRule == nil {
		return nil
	}
	fmt.Fprintf(b, "\n#### Spikes (over %s× the median of the %d days before, and over %s)\n\n",
		h.SpikesRule.Factor, h.SpikesRule.BaselineDays, formatAmount(h.SpikesRule.MinAmount, currency))
	table, err := SpikesMarkdown(h.Spikes, currency)
	if err != nil {
		return err
	}
	b.WriteString(table)
	return nil
}

func formatAmount(m Money, currency string) string {
	text, err := Format(m, currency)
	if err != nil {
		return m.String() + " " + currency
	}
	return text
}
