package billing

import (
	"cmp"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ReportTopRows is how many services and VPCs a report lists.
const ReportTopRows = 5

// sparkBars are the levels of the daily spend line, lowest first.
var sparkBars = []rune("▁▂▃▄▅▆▇█")

// Report is a cost report of one range, to post where changes are reviewed.
type Report struct {
	Summary  Summary
	From, To string // YYYY-MM-DD, inclusive
	Forecast Money
	// ForecastLow and ForecastHigh are the forecast's interval, printed
	// when they differ.
	ForecastLow, ForecastHigh Money
	// ForecastByService is each service's share of Forecast; when set,
	// the services' table shows it.
	ForecastByService map[string]Money
	Currency          string
	Final             bool // every day of the range is closed (IsFinal): its figures no longer change
	History           ReportHistory
	// Budget, when set, makes the report lead with a sentence and a budget
	// line (see writeLead).
	Budget *Money
	// Period is the period the spend is grouped by; on a range of more
	// than ReportDailyBarsDays days, a period longer than a day draws one
	// bar per period instead of one per day. "" is Day.
	Period Period
	// MaxCharacters bounds the report's length in characters (Unicode
	// code points); 0 is DefaultReportMaxCharacters.
	MaxCharacters int
	// Recurring is, by day (YYYY-MM-DD), the recurring charges billed on
	// the range's days at their usual size (RecurringByDay). The daily bars
	// draw each day's spend without them, so that a monthly fee does not
	// flatten every other day, and the line names them apart.
	Recurring map[string]Money
}

// Markdown renders the report as GitHub-flavoured Markdown: a heading,
// with a budget a lead sentence and a budget line, the total, forecast
// and freshness, a spend line, and the top services and VPCs by amount
// with their share of the total. The text depends on the report alone, so
// the same figures always render the same text. It holds at most
// MaxCharacters characters: when the whole report would not fit, it
// leaves out its sections in the order of reportCuts and says which.
func (r Report) Markdown() (string, error) {
	limit := r.MaxCharacters
	if limit <= 0 {
		limit = DefaultReportMaxCharacters
	}
	var cut reportCut
	for i := 0; ; i++ {
		text, err := r.markdown(cut)
		if err != nil {
			return "", err
		}
		if n := utf8.RuneCountInString(text); n <= limit {
			return text, nil
		} else if i == len(reportCuts) {
			return "", fmt.Errorf("the report takes %d characters even without its tables and spend line, more than the %d allowed; allow more", n, limit)
		}
		cut |= reportCuts[i].part
	}
}

// markdown renders the report without the parts in cut.
func (r Report) markdown(cut reportCut) (string, error) {
	money := func(m Money) (string, error) { return Format(m, r.Currency) }
	total, err := money(r.Summary.Total)
	if err != nil {
		return "", err
	}
	forecast, err := money(r.Forecast)
	if err != nil {
		return "", err
	}

	var b strings.Builder
	fmt.Fprintf(&b, "### FPT Cloud spend, %s..%s\n\n", r.From, r.To)
	if r.Budget != nil {
		if err := r.writeLead(&b); err != nil {
			return "", err
		}
	}
	fmt.Fprintf(&b, "- **Total:** %s over %s bill lines\n", total, groupThousands(strconv.FormatInt(r.Summary.Count, 10)))
	if !r.Final { // over a range that is over, the forecast is the total
		fmt.Fprintf(&b, "- **Forecast to the end of the month:** %s", forecast)
		if r.ForecastLow.Cmp(r.ForecastHigh) != 0 {
			low, err := money(r.ForecastLow)
			if err != nil {
				return "", err
			}
			high, err := money(r.ForecastHigh)
			if err != nil {
				return "", err
			}
			fmt.Fprintf(&b, " (80%% interval: %s to %s)", low, high)
		}
		b.WriteString("\n")
	}
	through := "no lines yet"
	if r.Summary.LatestDay != "" {
		through = "data through " + r.Summary.LatestDay
	}
	if r.Final {
		fmt.Fprintf(&b, "- **Final:** yes, every day of the range is closed (%s)\n", through)
	} else {
		fmt.Fprintf(&b, "- **Final:** no, the range is not closed and its figures can still change (%s)\n", through)
	}
	if cut&cutBars == 0 {
		if err := r.writeBars(&b); err != nil {
			return "", err
		}
	}
	if err := r.History.writeChange(&b, r.Currency); err != nil {
		return "", err
	}

	forecastByService := r.ForecastByService
	if r.Final {
		forecastByService = nil
	}
	shortened := 0
	for _, group := range []struct {
		title, column string
		nouns         [2]string // one, more
		totals        map[string]Money
		forecast      map[string]Money // the forecast's share of each, nil for none
		part          reportCut
	}{
		{"Top services", "Service", [2]string{"service", "services"}, r.Summary.ByService, forecastByService, cutServices},
		{"Top VPCs", "VPC", [2]string{"VPC", "VPCs"}, r.Summary.ByVPC, nil, cutVPCs},
	} {
		if cut&group.part != 0 {
			continue
		}
		fmt.Fprintf(&b, "\n#### %s\n\n", group.title)
		n, err := r.writeTable(&b, group.column, group.nouns, group.totals, group.forecast)
		if err != nil {
			return "", err
		}
		shortened += n
	}
	if cut&cutSpikes == 0 {
		if err := r.History.writeSpikes(&b, r.Currency); err != nil {
			return "", err
		}
	}
	writeCutNote(&b, cut, shortened, r.MaxCharacters)
	return b.String(), nil
}

// rangeDays is the daily spend of the days from From to To, leaving out
// days outside the range (a line of the last day that starts after its
// midnight in the time zone).
func (r Report) rangeDays() []PeriodTotal {
	var days []PeriodTotal
	for _, d := range r.Summary.Days {
		if day := d.Start.Format(time.DateOnly); day >= r.From && day <= r.To {
			days = append(days, d)
		}
	}
	return days
}

// writeTable writes the ReportTopRows largest totals as a table, then one
// line for the rest. With forecast, each row also shows its share of the
// month's forecast, and a key with a forecast but no total is listed at 0.
//
// It returns how many names it shortened (see cellName).
func (r Report) writeTable(b *strings.Builder, column string, nouns [2]string, totals, forecast map[string]Money) (int, error) {
	if forecast != nil {
		all := make(map[string]Money, len(totals))
		for k, v := range totals {
			all[k] = v
		}
		for k := range forecast {
			all[k] = all[k].Add(Money{})
		}
		totals = all
	}
	rows := TopTotals(totals, len(totals))
	if len(rows) == 0 {
		b.WriteString("No spend.\n")
		return 0, nil
	}
	// The forecast's columns of a set of keys: its amount and share.
	forecastCells := func(keys ...string) (string, error) {
		if forecast == nil {
			return "", nil
		}
		var sum Money
		for _, k := range keys {
			sum = sum.Add(forecast[k])
		}
		amount, err := Format(sum, r.Currency)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf(" %s | %s |", amount, ShareText(sum, r.Forecast)), nil
	}
	if forecast != nil {
		fmt.Fprintf(b, "| %s | Amount | Share | Forecast | Forecast share |\n| :-- | --: | --: | --: | --: |\n", column)
	} else {
		fmt.Fprintf(b, "| %s | Amount | Share |\n| :-- | --: | --: |\n", column)
	}
	shown := rows[:min(len(rows), ReportTopRows)]
	shortened := 0
	for _, row := range shown {
		amount, err := Format(row.Amount, r.Currency)
		if err != nil {
			return 0, err
		}
		cells, err := forecastCells(row.Key)
		if err != nil {
			return 0, err
		}
		name, short := cellName(row.Key)
		if short {
			shortened++
		}
		fmt.Fprintf(b, "| %s | %s | %s |%s\n", name, amount, ShareText(row.Amount, r.Summary.Total), cells)
	}
	if rest := rows[len(shown):]; len(rest) > 0 {
		var sum Money
		keys := make([]string, len(rest))
		for i, row := range rest {
			sum = sum.Add(row.Amount)
			keys[i] = row.Key
		}
		amount, err := Format(sum, r.Currency)
		if err != nil {
			return 0, err
		}
		noun := nouns[1]
		if len(rest) == 1 {
			noun = nouns[0]
		}
		fmt.Fprintf(b, "\n%d more %s: %s (%s)", len(rest), noun, amount, ShareText(sum, r.Summary.Total))
		if forecast != nil {
			var f Money
			for _, k := range keys {
				f = f.Add(forecast[k])
			}
			text, err := Format(f, r.Currency)
			if err != nil {
				return 0, err
			}
			fmt.Fprintf(b, "; forecast %s (%s)", text, ShareText(f, r.Forecast))
		}
		b.WriteString(".\n")
	}
	return shortened, nil
}

// KeyedTotal is one entry of a map of totals.
type KeyedTotal struct {
	Key    string
	Amount Money
}

// TopTotals is the n largest entries of totals, largest first; equal
// amounts in the order of their keys.
func TopTotals(totals map[string]Money, n int) []KeyedTotal {
	rows := make([]KeyedTotal, 0, len(totals))
	for k, v := range totals {
		rows = append(rows, KeyedTotal{Key: k, Amount: v})
	}
	slices.SortFunc(rows, func(a, b KeyedTotal) int {
		return cmp.Or(b.Amount.Cmp(a.Amount), strings.Compare(a.Key, b.Key))
	})
	return rows[:min(n, len(rows))]
}

// ShareText is amount as a percentage of total with one decimal, rounded
// half away from zero: "72.9%". It is "–" when total is not positive, where
// a share means nothing.
func ShareText(amount, total Money) string {
	if total.Sign() <= 0 {
		return "–"
	}
	ratio := new(big.Rat).Quo(amount.Rat(), total.Rat())
	text := MoneyFromRat(ratio.Mul(ratio, big.NewRat(100, 1)), 1).String()
	if !strings.Contains(text, ".") {
		text += ".0"
	}
	return text + "%"
}

// Sparkline draws one bar per day, ▁ for nothing (or a credit) to █ for
// the largest day, each day's level being its share of the largest rounded
// to the nearest of the eight, computed exactly. peak is the index of the
// largest day (the first of equals), -1 when days is empty.
func Sparkline(days []PeriodTotal) (line string, peak int) {
	peak = -1
	for i, d := range days {
		if peak < 0 || d.Total.Cmp(days[peak].Total) > 0 {
			peak = i
		}
	}
	out := make([]rune, len(days))
	top := len(sparkBars) - 1
	for i, d := range days {
		level := 0
		if days[peak].Total.Sign() > 0 && d.Total.Sign() > 0 {
			// floor(total / max × 7 + 1/2)
			r := new(big.Rat).Quo(d.Total.Rat(), days[peak].Total.Rat())
			r.Mul(r, big.NewRat(int64(top), 1))
			r.Add(r, big.NewRat(1, 2))
			level = int(new(big.Int).Quo(r.Num(), r.Denom()).Int64())
		}
		out[i] = sparkBars[min(level, top)]
	}
	return string(out), peak
}

// escapeCell makes text safe in a Markdown table cell: a | would end the
// cell and a line break the row.
func escapeCell(text string) string {
	return strings.NewReplacer(`\`, `\\`, "|", `\|`, "\r\n", " ", "\n", " ", "\r", " ").Replace(text)
}
