package billing

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestReportBudgetLead checks the sentence and the budget line a report
// with a budget starts with, under, near and over the budget.
func TestReportBudgetLead(t *testing.T) {
	s := reportSummary(t, "2024-09-04", reportLines) // 3,251,200.8 VND
	money := MustParseMoney
	comparison := &Comparison{
		Previous: DayRange{From: "2024-08-01", To: "2024-08-03"}, PreviousTotal: money("2900000"),
		Change: money("351200.8"),
	}
	cases := []struct {
		name                    string
		budget                  string
		forecast, low, high     string
		final                   bool
		comparison              *Comparison
		wantLead, wantBudget    string
		wantNoForecastAnywhere  bool
		wantForecastLineInTotal bool
	}{
		{
			name: "under", budget: "10000000", forecast: "6000000", low: "5000000", high: "7000000", comparison: comparison,
			wantLead: "**3,251,201 VND** spent from 2024-09-01 to 2024-09-04, forecast **6,000,000 VND** to the end of the month " +
				"(80% interval 5,000,000 VND to 7,000,000 VND); +12.1% (+351,201 VND) against 2024-08-01..2024-08-03.\n",
			wantBudget: "- **Budget:** 10,000,000 VND; spent 32.5% (67.5% left); forecast 60.0% (40.0% left)\n",
		},
		{
			name: "interval_reaches_over", budget: "6500000", forecast: "6000000", low: "5000000", high: "7000000",
			wantLead: "**3,251,201 VND** spent from 2024-09-01 to 2024-09-04, forecast **6,000,000 VND** to the end of the month " +
				"(80% interval 5,000,000 VND to 7,000,000 VND).\n",
			wantBudget: "- **Budget:** 6,500,000 VND; spent 50.0% (50.0% left); forecast 92.3% (7.7% left; 🟡 its 80% interval reaches 107.7%)\n",
		},
		{
			name: "forecast_over", budget: "4000000", forecast: "6000000", low: "6000000", high: "6000000",
			wantLead:   "**3,251,201 VND** spent from 2024-09-01 to 2024-09-04, forecast **6,000,000 VND** to the end of the month.\n",
			wantBudget: "- **Budget:** 4,000,000 VND; spent 81.3% (18.7% left); forecast 150.0% (🔴 OVER)\n",
		},
		{
			// Spent exactly the budget: nothing left, not over.
			name: "spent_exactly", budget: "3251200.8", forecast: "3251200.8", low: "3251200.8", high: "3251200.8",
			wantLead:   "**3,251,201 VND** spent from 2024-09-01 to 2024-09-04, forecast **3,251,201 VND** to the end of the month.\n",
			wantBudget: "- **Budget:** 3,251,201 VND; spent 100.0% (0.0% left); forecast 100.0% (0.0% left)\n",
		},
		{
			name: "final_over", budget: "3000000", forecast: "3251200.8", low: "3251200.8", high: "3251200.8", final: true, comparison: comparison,
			wantLead:               "**3,251,201 VND** spent from 2024-09-01 to 2024-09-04, final; +12.1% (+351,201 VND) against 2024-08-01..2024-08-03.\n",
			wantBudget:             "- **Budget:** 3,000,000 VND; spent 108.4% (🔴 OVER)\n",
			wantNoForecastAnywhere: true,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			budget := money(tc.budget)
			r := Report{
				Summary: s, From: "2024-09-01", To: "2024-09-04", Currency: "VND", Final: tc.final, Budget: &budget,
				Forecast: money(tc.forecast), ForecastLow: money(tc.low), ForecastHigh: money(tc.high),
				ForecastByService: map[string]Money{"Instance": money(tc.forecast)},
				History:           ReportHistory{Comparison: tc.comparison},
			}
			got, err := r.Markdown()
			if err != nil {
				t.Fatal(err)
			}
			head := "### FPT Cloud spend, 2024-09-01..2024-09-04\n\n" + tc.wantLead + "\n" + tc.wantBudget + "- **Total:** 3,251,201 VND over 9 bill lines\n"
			if !strings.HasPrefix(got, head) {
				t.Errorf("the report does not start with\n%s\ngot:\n%s", head, got)
			}
			if tc.wantNoForecastAnywhere && strings.Contains(strings.ToLower(got), "forecast") {
				t.Errorf("a range that is over shows a forecast:\n%s", got)
			}
			if !tc.final && !strings.Contains(got, "| Service | Amount | Share | Forecast | Forecast share |\n") {
				t.Errorf("no forecast columns in a range under way:\n%s", got)
			}
		})
	}
}

// TestReportNoBudgetNoLead: without a budget the report starts with the
// totals, as before.
func TestReportNoBudgetNoLead(t *testing.T) {
	s := reportSummary(t, "2024-09-04", reportLines)
	got, err := Report{Summary: s, From: "2024-09-01", To: "2024-09-04", Forecast: s.Total, Currency: "VND"}.Markdown()
	if err != nil {
		t.Fatal(err)
	}
	if want := "### FPT Cloud spend, 2024-09-01..2024-09-04\n\n- **Total:** "; !strings.HasPrefix(got, want) || strings.Contains(got, "Budget") {
		t.Errorf("a report without a budget:\n%s", got)
	}
}

func TestReportBudgetNotPositive(t *testing.T) {
	s := reportSummary(t, "2024-09-04", reportLines)
	for _, b := range []string{"0", "-5"} {
		budget := MustParseMoney(b)
		if _, err := (Report{Summary: s, From: "2024-09-01", To: "2024-09-04", Currency: "VND", Budget: &budget}).Markdown(); err == nil {
			t.Errorf("a report with a budget of %s", b)
		}
	}
}

// yearSummary is a year of one line a day, each day's amount its day of
// the month, grouped by period.
func yearSummary(t *testing.T, period Period, from, to string) Summary {
	t.Helper()
	agg, err := NewAggregator(period, plus7, from, to)
	if err != nil {
		t.Fatal(err)
	}
	start, _ := ParseDate(from)
	end, _ := ParseDate(to)
	for d := start; !d.After(end); d = d.AddDate(0, 0, 1) {
		l := line(d.Format("2006-01-02")+" 10:00:00", "Instance", nil, nil, fmt.Sprint(d.Day()*int(d.Month())))
		agg.Add(&l)
	}
	return agg.Summary()
}

// TestReportBarsFollowPeriod: a long range draws one bar per week, month
// or year of its period, a short one a bar a day.
func TestReportBarsFollowPeriod(t *testing.T) {
	cases := []struct {
		period   Period
		from, to string
		title    string
		bars     int
		highest  string
	}{
		{Month, "2025-01-01", "2025-12-31", "Monthly", 12, "in 2025-12"},
		{Year, "2025-01-01", "2025-12-31", "Yearly", 1, "in 2025"},
		{Week, "2025-01-01", "2025-03-31", "Weekly", 14, "in the week of 2025-03-24"}, // Monday 2024-12-30 to the week of 03-31
		{Day, "2025-01-01", "2025-12-31", "Daily", 365, "on 2025-12-31"},
		{Hour, "2025-01-01", "2025-12-31", "Daily", 365, "on 2025-12-31"},
		{Month, "2025-01-01", "2025-01-31", "Daily", 31, "on 2025-01-31"}, // short: a bar a day
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%s_%s_%s", tc.period, tc.from, tc.to), func(t *testing.T) {
			s := yearSummary(t, tc.period, tc.from, tc.to)
			got, err := Report{Summary: s, From: tc.from, To: tc.to, Forecast: s.Total, Currency: "VND", Final: true, Period: tc.period}.Markdown()
			if err != nil {
				t.Fatal(err)
			}
			prefix := "- **" + tc.title + " spend:** `"
			i := strings.Index(got, prefix)
			if i < 0 {
				t.Fatalf("no %q in\n%s", prefix, got)
			}
			rest := got[i+len(prefix):]
			bars := rest[:strings.Index(rest, "`")]
			if n := utf8.RuneCountInString(bars); n != tc.bars {
				t.Errorf("%d bars, want %d: %s", n, tc.bars, bars)
			}
			if !strings.Contains(rest, tc.highest+")\n") {
				t.Errorf("the highest bar is not %q: %s", tc.highest, rest[:strings.Index(rest, "\n")])
			}
		})
	}
}

// bigReport has n services and n VPCs with names of nameLen characters and
// n spikes.
func bigReport(t *testing.T, n, nameLen int) Report {
	t.Helper()
	agg, err := NewAggregator(Day, plus7, "2024-09-01", "2024-09-30")
	if err != nil {
		t.Fatal(err)
	}
	var spikes []Spike
	for i := range n {
		name := fmt.Sprintf("%06d-", i) + strings.Repeat("東", nameLen-7)
		l := line("2024-09-02 10:00:00", name, &name, nil, fmt.Sprint(1000+i))
		agg.Add(&l)
		spikes = append(spikes, Spike{Day: "2024-09-02", Service: name, Amount: MustParseMoney(fmt.Sprint(1000 + i)), Baseline: MustParseMoney("1")})
	}
	s := agg.Summary()
	budget := MustParseMoney("1000000")
	return Report{
		Summary: s, From: "2024-09-01", To: "2024-09-30", Forecast: s.Total, ForecastLow: s.Total, ForecastHigh: s.Total,
		ForecastByService: s.ByService, Currency: "VND", Budget: &budget,
		History: ReportHistory{Spikes: spikes, SpikesRule: &SpikeRule{BaselineDays: 7, Factor: MustParseMoney("3"), MinAmount: MustParseMoney("1")}},
	}
}

// TestReportSizeBound: however many services and VPCs, and however long
// their names, the report stays within its length, and says what it left
// out or shortened.
func TestReportSizeBound(t *testing.T) {
	r := bigReport(t, 10_000, 5_000)
	got, err := r.Markdown()
	if err != nil {
		t.Fatal(err)
	}
	if n := utf8.RuneCountInString(got); n > DefaultReportMaxCharacters {
		t.Fatalf("%d characters, more than %d", n, DefaultReportMaxCharacters)
	}
	if want := "\n_10 names longer than 100 characters are shortened, ending in …_\n"; !strings.HasSuffix(got, want) {
		t.Errorf("the report does not end with %q:\n%s", want, got)
	}
	if !strings.Contains(got, "9995 more services: ") || !strings.Contains(got, "9995 more VPCs: ") {
		t.Errorf("the rest is not summed:\n%s", got)
	}

	// Smaller limits leave out sections, least needed first, and say so.
	r = bigReport(t, 10, 90)
	full, err := r.Markdown()
	if err != nil {
		t.Fatal(err)
	}
	fullLen := utf8.RuneCountInString(full)
	for _, tc := range []struct {
		limit int
		cut   string
		kept  []string
	}{
		{fullLen, "", []string{"#### Spikes", "#### Top VPCs", "#### Top services", "- **Daily spend:**"}},
		{fullLen - 1, "the spikes table", []string{"#### Top VPCs", "#### Top services", "- **Daily spend:**"}},
		{1500, "the spikes table, the VPCs table", []string{"#### Top services", "- **Daily spend:**"}},
		{560, "the spikes table, the VPCs table, the services table, the spend line", []string{"- **Budget:**", "- **Total:**"}},
	} {
		r.MaxCharacters = tc.limit
		got, err := r.Markdown()
		if err != nil {
			t.Fatalf("limit %d: %v", tc.limit, err)
		}
		if n := utf8.RuneCountInString(got); n > tc.limit {
			t.Errorf("limit %d: %d characters", tc.limit, n)
		}
		note := "_Left out to stay within"
		if tc.cut == "" {
			if strings.Contains(got, note) {
				t.Errorf("limit %d: a note of cuts in a whole report:\n%s", tc.limit, got)
			}
		} else if !strings.Contains(got, fmt.Sprintf(" characters: %s._", tc.cut)) {
			t.Errorf("limit %d: the note does not name %q:\n%s", tc.limit, tc.cut, got)
		}
		for _, k := range tc.kept {
			if !strings.Contains(got, k) {
				t.Errorf("limit %d: %q left out:\n%s", tc.limit, k, got)
			}
		}
	}
	r.MaxCharacters = 100
	if _, err := r.Markdown(); err == nil || !strings.Contains(err.Error(), "allow more") {
		t.Errorf("a report in 100 characters: %v", err)
	}
}

// TestReportMinCharactersFits: at MinReportCharacters, a report over the
// longest range, with amounts of 18 digits, a comparison, an interval, a
// budget and thousands of long names, still renders, within the limit.
func TestReportMinCharactersFits(t *testing.T) {
	from, to := "2024-01-01", "2024-12-31" // 366 days: a bar a day
	agg, err := NewAggregator(Day, plus7, from, to)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2000 {
		name := fmt.Sprintf("%04d-", i) + strings.Repeat("ữ", 300)
		l := line("2024-06-02 10:00:00", name, &name, nil, "-123456789012345678.9999")
		agg.Add(&l)
	}
	s := agg.Summary()
	huge := MustParseMoney("-987654321098765432.5")
	budget := MustParseMoney("0.0001")
	r := Report{
		Summary: s, From: from, To: to, Forecast: huge, ForecastLow: huge.Neg(), ForecastHigh: huge.Neg().Add(huge.Neg()),
		ForecastByService: s.ByService, Currency: "VND", Budget: &budget, MaxCharacters: MinReportCharacters,
		History: ReportHistory{Comparison: &Comparison{
			Previous: DayRange{From: "2023-01-01", To: "2023-12-31"}, PreviousTotal: huge, Change: huge.Neg(),
		}},
	}
	got, err := r.Markdown()
	if err != nil {
		t.Fatal(err)
	}
	if n := utf8.RuneCountInString(got); n > MinReportCharacters {
		t.Errorf("%d characters, more than %d", n, MinReportCharacters)
	}
	if !strings.Contains(got, "_Left out to stay within 2,000 characters: ") {
		t.Errorf("no note of what was left out:\n%s", got)
	}
}
