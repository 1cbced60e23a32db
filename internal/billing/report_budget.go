package billing

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// DefaultReportMaxCharacters is the length a report keeps within unless
// told otherwise: below GitHub's limit on a comment (65,536 characters),
// with room for a heading or a footer that a CI job adds around it.
const DefaultReportMaxCharacters = 60_000

// MinReportCharacters is the least MaxCharacters to allow a user: room for
// what a report never leaves out (the heading, the lead, the budget line,
// the totals, the change), a year of daily bars and the note of what it
// left out, at any amounts, so that such a limit always gives a report.
const MinReportCharacters = 2000

// ReportNameCharacters is the longest service or VPC name a report's
// tables show whole; a longer one is cut to this many characters, the last
// being "…".
const ReportNameCharacters = 100

// ReportDailyBarsDays is the longest range whose spend line draws one bar
// per day whatever the period; a longer range draws one bar per period
// when the period is a week, a month or a year.
const ReportDailyBarsDays = 31

// reportCut is a set of report sections left out to keep within the
// report's length.
type reportCut uint8

const (
	cutSpikes reportCut = 1 << iota
	cutVPCs
	cutServices
	cutBars
)

// reportCuts are the sections a report leaves out, in turn, while it is
// too long: the least needed first. The lead, the budget line, the totals
// and the change are never left out.
var reportCuts = []struct {
	part reportCut
	noun string
}{
	{cutSpikes, "the spikes table"},
	{cutVPCs, "the VPCs table"},
	{cutServices, "the services table"},
	{cutBars, "the spend line"},
}

// writeCutNote says what the report left out or shortened, if anything.
func writeCutNote(b *strings.Builder, cut reportCut, shortened, maxCharacters int) {
	var notes []string
	if cut != 0 {
		if maxCharacters <= 0 {
			maxCharacters = DefaultReportMaxCharacters
		}
		var parts []string
		for _, c := range reportCuts {
			if cut&c.part != 0 {
				parts = append(parts, c.noun)
			}
		}
		notes = append(notes, fmt.Sprintf("Left out to stay within %s characters: %s.",
			groupThousands(strconv.Itoa(maxCharacters)), strings.Join(parts, ", ")))
	}
	switch {
	case shortened == 1:
		notes = append(notes, fmt.Sprintf("1 name longer than %d characters is shortened, ending in …", ReportNameCharacters))
	case shortened > 1:
		notes = append(notes, fmt.Sprintf("%d names longer than %d characters are shortened, ending in …", shortened, ReportNameCharacters))
	}
	if len(notes) > 0 {
		fmt.Fprintf(b, "\n_%s_\n", strings.Join(notes, " "))
	}
}

// cellName is name for a table cell: at most ReportNameCharacters
// characters (cut ones end in "…", and short is true), then escaped.
func cellName(name string) (text string, short bool) {
	runes := []rune(name)
	if len(runes) > ReportNameCharacters {
		name, short = string(runes[:ReportNameCharacters-1])+"…", true
	}
	return escapeCell(name), short
}

// writeLead writes the sentence a report with a budget starts with (the
// spend, the forecast with its interval unless the range is over, and the
// change against the compared range when there is one) and the budget
// line: spend and forecast as shares of the budget, each with the share
// left or 🔴 OVER.
func (r Report) writeLead(b *strings.Builder) error {
	money := func(m Money) string { return formatAmount(m, r.Currency) }
	if _, err := Format(*r.Budget, r.Currency); err != nil {
		return err
	}
	if r.Budget.Sign() <= 0 {
		return fmt.Errorf("the budget is %s; a report's budget must be greater than 0", r.Budget)
	}
	fmt.Fprintf(b, "**%s** spent from %s to %s", money(r.Summary.Total), r.From, r.To)
	if r.Final {
		b.WriteString(", final")
	} else {
		fmt.Fprintf(b, ", forecast **%s** to the end of the month", money(r.Forecast))
		if r.ForecastLow.Cmp(r.ForecastHigh) != 0 {
			fmt.Fprintf(b, " (80%% interval %s to %s)", money(r.ForecastLow), money(r.ForecastHigh))
		}
	}
	if c := r.History.Comparison; c != nil && c.Previous.To >= c.Previous.From {
		// As the change line: with recurring charges in either range, the
		// change is the usage's, the charges apart.
		delta, previous, noun := c.Change, c.PreviousTotal, ""
		if rs, ok := r.History.recurringApart(); ok {
			delta, _, _ = rs.UsageChange(*c)
			previous, noun = c.PreviousTotal.Sub(rs.Previous), "usage "
		}
		change := money(delta)
		if delta.Sign() >= 0 {
			change = "+" + change
		}
		if previous.Sign() == 0 {
			fmt.Fprintf(b, "; %s%s against %s, which had no spend", noun, change, c.Previous)
		} else {
			fmt.Fprintf(b, "; %s%s (%s) against %s", noun, ChangeText(delta, previous), change, c.Previous)
		}
	}
	b.WriteString(".\n\n")

	fmt.Fprintf(b, "- **Budget:** %s; spent %s", money(*r.Budget), budgetShare(r.Summary.Total, *r.Budget))
	if !r.Final {
		share := budgetShare(r.Forecast, *r.Budget)
		if r.Forecast.Cmp(*r.Budget) <= 0 && r.ForecastHigh.Cmp(*r.Budget) > 0 {
			share = strings.TrimSuffix(share, ")") + fmt.Sprintf("; 🟡 its 80%% interval reaches %s)", ShareText(r.ForecastHigh, *r.Budget))
		}
		fmt.Fprintf(b, "; forecast %s", share)
	}
	b.WriteString("\n")
	return nil
}

// budgetShare is amount as a share of budget with what is left of it, as
// Infracost shows a budget: "82.0% (18.0% left)", or "131.0% (🔴 OVER)"
// past it. budget is positive.
func budgetShare(amount, budget Money) string {
	if amount.Cmp(budget) > 0 {
		return ShareText(amount, budget) + " (🔴 OVER)"
	}
	return fmt.Sprintf("%s (%s left)", ShareText(amount, budget), ShareText(budget.Sub(amount), budget))
}

// writeBars writes the spend line: one bar per day, or on a range of more
// than ReportDailyBarsDays days one per week, month or year when that is
// the period, with the highest bar's amount.
func (r Report) writeBars(b *strings.Builder) error {
	bars, unit := r.rangeDays(), Day
	if p := r.Period; (p == Week || p == Month || p == Year) && r.rangeDayCount() > ReportDailyBarsDays {
		bars, unit = r.rangePeriods(), p
	}
	apart := Money{}
	var apartDays []string
	if unit == Day && len(r.Recurring) > 0 {
		usage := make([]PeriodTotal, len(bars))
		for i, bar := range bars {
			usage[i] = bar
			if m, ok := r.Recurring[bar.Start.Format(time.DateOnly)]; ok && m.Sign() != 0 {
				usage[i].Total = bar.Total.Sub(m)
				apart = apart.Add(m)
				apartDays = append(apartDays, bar.Start.Format(time.DateOnly))
			}
		}
		bars = usage
	}
	line, peak := Sparkline(bars)
	title := map[Period]string{Day: "Daily", Week: "Weekly", Month: "Monthly", Year: "Yearly"}[unit]
	if len(apartDays) > 0 {
		fmt.Fprintf(b, "- **%s spend, recurring charges apart:** `%s`", title, line)
	} else {
		fmt.Fprintf(b, "- **%s spend:** `%s`", title, line)
	}
	if peak >= 0 && bars[peak].Total.Sign() > 0 {
		top, err := Format(bars[peak].Total, r.Currency)
		if err != nil {
			return err
		}
		start := bars[peak].Start
		when := map[Period]string{
			Day:   "on " + start.Format(time.DateOnly),
			Week:  "in the week of " + start.Format(time.DateOnly),
			Month: "in " + start.Format("2006-01"),
			Year:  "in " + start.Format("2006"),
		}[unit]
		fmt.Fprintf(b, " (highest: %s %s)", top, when)
	}
	if len(apartDays) > 0 {
		text, err := Format(apart, r.Currency)
		if err != nil {
			return err
		}
		on := "on " + apartDays[0]
		if len(apartDays) > 1 {
			on = fmt.Sprintf("on %d days (%s to %s)", len(apartDays), apartDays[0], apartDays[len(apartDays)-1])
		}
		fmt.Fprintf(b, "; recurring charges: %s %s", text, on)
	}
	b.WriteString("\n")
	return nil
}

// rangeDayCount is how many days the range From..To holds, 0 if either
// date is invalid.
func (r Report) rangeDayCount() int {
	from, err1 := ParseDate(r.From)
	to, err2 := ParseDate(r.To)
	if err1 != nil || err2 != nil {
		return 0
	}
	return int(to.Sub(from).Hours()/24) + 1
}

// rangePeriods is the spend of the periods that overlap From..To, leaving
// out periods outside the range (a line of the last day that starts after
// its midnight in the time zone).
func (r Report) rangePeriods() []PeriodTotal {
	var out []PeriodTotal
	for _, p := range r.Summary.Periods {
		if p.Start.Format(time.DateOnly) <= r.To && p.End.Format(time.DateOnly) > r.From {
			out = append(out, p)
		}
	}
	return out
}
