package billing

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// reportSummary aggregates lines of service, VPC, start (at +07:00) and
// price over 2024-09-01..to.
func reportSummary(t *testing.T, to string, lines [][4]string) Summary {
	t.Helper()
	agg, err := NewAggregator(Day, plus7, "2024-09-01", to)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range lines {
		var vpc *string
		if l[1] != "" {
			vpc = str(l[1])
		}
		line := line(l[2], l[0], vpc, nil, l[3])
		agg.Add(&line)
	}
	return agg.Summary()
}

var reportLines = [][4]string{
	{"Instance", "prod-vpc", "2024-09-01 10:00:00", "1000000.5"},
	{"Instance", "prod-vpc", "2024-09-02 10:00:00", "2000000"},
	{"Storage", "", "2024-09-01 11:00:00", "250000"},
	{"Database", "a|b-vpc", "2024-09-02 12:00:00", "0.1"},
	{"Database", "a|b-vpc", "2024-09-02 13:00:00", "0.2"},
	{"Backup", "", "2024-09-04 01:00:00", "500"},
	{"Kubernetes", "staging-vpc", "2024-09-04 02:00:00", "500"},
	{"Floating IP", "staging-vpc", "2024-09-04 03:00:00", "120"},
	{"Object Storage", "", "2024-09-04 04:00:00", "80"},
}

func TestReportMarkdown(t *testing.T) {
	s := reportSummary(t, "2024-09-04", reportLines)
	got, err := Report{Summary: s, From: "2024-09-01", To: "2024-09-04", Forecast: MustParseMoney("3251200.8"), Currency: "VND"}.Markdown()
	if err != nil {
		t.Fatal(err)
	}
	want := "### FPT Cloud spend, 2024-09-01..2024-09-04\n" +
		"\n" +
		"- **Total:** 3,251,201 VND over 9 bill lines\n" +
		"- **Forecast to the end of the month:** 3,251,201 VND\n" +
		"- **Final:** no, the range is not closed and its figures can still change (data through 2024-09-04)\n" +
		"- **Daily spend:** `▅█▁▁` (highest: 2,000,000 VND on 2024-09-02)\n" +
		"\n" +
		"#### Top services\n" +
		"\n" +
		"| Service | Amount | Share |\n" +
		"| :-- | --: | --: |\n" +
		"| Instance | 3,000,001 VND | 92.3% |\n" +
		"| Storage | 250,000 VND | 7.7% |\n" +
		"| Backup | 500 VND | 0.0% |\n" +
		"| Kubernetes | 500 VND | 0.0% |\n" +
		"| Floating IP | 120 VND | 0.0% |\n" +
		"\n" +
		"2 more services: 80 VND (0.0%).\n" +
		"\n" +
		"#### Top VPCs\n" +
		"\n" +
		"| VPC | Amount | Share |\n" +
		"| :-- | --: | --: |\n" +
		"| prod-vpc | 3,000,001 VND | 92.3% |\n" +
		"| (none) | 250,580 VND | 7.7% |\n" +
		"| staging-vpc | 620 VND | 0.0% |\n" +
		"| a\\|b-vpc | 0 VND | 0.0% |\n"
	if got != want {
		t.Errorf("report\n got:\n%s\nwant:\n%s", got, want)
	}
}

var tableRow = regexp.MustCompile(`(?m)^\| (.+?) \| ([-0-9,.]+ VND) \| ([0-9.]+%|–) \|$`)

// TestReportTablesMatchTotals reads the rows back from the Markdown: each
// amount is its group's total, formatted, and the rows come largest first.
func TestReportTablesMatchTotals(t *testing.T) {
	s := reportSummary(t, "2024-09-04", reportLines)
	text, err := Report{Summary: s, From: "2024-09-01", To: "2024-09-04", Forecast: s.Total, Currency: "VND", Final: true}.Markdown()
	if err != nil {
		t.Fatal(err)
	}
	services, vpcs, ok := strings.Cut(text, "#### Top VPCs")
	if !ok {
		t.Fatalf("no VPC table in\n%s", text)
	}
	for _, group := range []struct {
		text   string
		totals map[string]Money
	}{{services, s.ByService}, {vpcs, s.ByVPC}} {
		rows := tableRow.FindAllStringSubmatch(group.text, -1)
		if want := min(len(group.totals), ReportTopRows); len(rows) != want {
			t.Fatalf("%d rows, want %d:\n%s", len(rows), want, group.text)
		}
		var previous Money
		for i, row := range rows {
			key := strings.ReplaceAll(row[1], `\|`, "|")
			amount, ok := group.totals[key]
			if !ok {
				t.Fatalf("row %q is no key of %v", key, group.totals)
			}
			if want, _ := Format(amount, "VND"); row[2] != want {
				t.Errorf("%s: %s, want %s", key, row[2], want)
			}
			if want := ShareText(amount, s.Total); row[3] != want {
				t.Errorf("%s: share %s, want %s", key, row[3], want)
			}
			if i > 0 && amount.Cmp(previous) > 0 {
				t.Errorf("%s (%s) comes after a smaller amount %s", key, amount, previous)
			}
			previous = amount
		}
	}
	if want, _ := Format(s.Total, "VND"); !strings.Contains(text, "- **Total:** "+want+" over 9 bill lines\n") {
		t.Errorf("no total %s in\n%s", want, text)
	}
	if !strings.Contains(text, "- **Final:** yes, every day of the range is closed (data through 2024-09-04)\n") {
		t.Errorf("not final in\n%s", text)
	}
}

func TestReportEmpty(t *testing.T) {
	s := reportSummary(t, "2024-09-03", nil)
	got, err := Report{Summary: s, From: "2024-09-01", To: "2024-09-03", Currency: "USD", Final: true}.Markdown()
	if err != nil {
		t.Fatal(err)
	}
	want := "### FPT Cloud spend, 2024-09-01..2024-09-03\n" +
		"\n" +
		"- **Total:** 0.00 USD over 0 bill lines\n" +
		"- **Final:** yes, every day of the range is closed (no lines yet)\n" +
		"- **Daily spend:** `▁▁▁`\n" +
		"\n" +
		"#### Top services\n" +
		"\n" +
		"No spend.\n" +
		"\n" +
		"#### Top VPCs\n" +
		"\n" +
		"No spend.\n"
	if got != want {
		t.Errorf("report\n got:\n%s\nwant:\n%s", got, want)
	}
	if _, err := (Report{Summary: s, From: "2024-09-01", To: "2024-09-03", Currency: "dong"}).Markdown(); err == nil {
		t.Error("a report in currency dong")
	}
}

// TestReportSparklineRangeOnly leaves out of the daily line a line that
// starts after the range's last midnight, and keeps it in the total.
func TestReportSparklineRangeOnly(t *testing.T) {
	s := reportSummary(t, "2024-09-02", [][4]string{
		{"Instance", "", "2024-09-01 10:00:00", "10"},
		{"Instance", "", "2024-09-02 10:00:00", "5"},
		{"Instance", "", "2024-09-02T23:30:00Z", "100"}, // 06:30 on the 3rd at +07:00
	})
	got, err := Report{Summary: s, From: "2024-09-01", To: "2024-09-02", Forecast: s.Total, Currency: "VND"}.Markdown()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"- **Daily spend:** `█▅` (highest: 10 VND on 2024-09-01)\n", "- **Total:** 115 VND over 3 bill lines\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in\n%s", want, got)
		}
	}
}

// TestReportRest sums the rows past the top five on one line.
func TestReportRest(t *testing.T) {
	var lines [][4]string
	for i, vpc := range []string{"v1", "v2", "v3", "v4", "v5", "v6"} {
		lines = append(lines, [4]string{"Instance", vpc, "2024-09-01 10:00:00", strconv.Itoa(100 - i)})
	}
	s := reportSummary(t, "2024-09-01", lines)
	got, err := Report{Summary: s, From: "2024-09-01", To: "2024-09-01", Forecast: s.Total, Currency: "VND"}.Markdown()
	if err != nil {
		t.Fatal(err)
	}
	if want := "| v5 | 96 VND | 16.4% |\n\n1 more VPC: 95 VND (16.2%).\n"; !strings.HasSuffix(got, want) {
		t.Errorf("the report does not end with %q:\n%s", want, got)
	}
	lines = append(lines, [4]string{"Instance", "v7", "2024-09-01 11:00:00", "0.4"})
	s = reportSummary(t, "2024-09-01", lines)
	got, err = Report{Summary: s, From: "2024-09-01", To: "2024-09-01", Forecast: s.Total, Currency: "VND"}.Markdown()
	if err != nil {
		t.Fatal(err)
	}
	if want := "\n2 more VPCs: 95 VND (16.3%).\n"; !strings.HasSuffix(got, want) {
		t.Errorf("the report does not end with %q:\n%s", want, got)
	}
}

func TestSparkline(t *testing.T) {
	day := func(price string) PeriodTotal { return PeriodTotal{Total: MustParseMoney(price)} }
	cases := []struct {
		name   string
		prices []string
		want   string
		peak   int
	}{
		{"none", nil, "", -1},
		{"all_empty", []string{"0", "0"}, "▁▁", 0},
		{"one_day", []string{"5"}, "█", 0},
		{"steps_of_seven", []string{"0", "1", "2", "3", "4", "5", "6", "7"}, "▁▂▃▄▅▆▇█", 7},
		{"half_rounds_up", []string{"1", "2"}, "▅█", 1}, // 3.5 rounds to 4
		{"just_under_half", []string{"0.4999999", "7"}, "▁█", 1},
		{"credit_is_lowest", []string{"-100", "50", "100"}, "▁▅█", 2},
		{"all_credits", []string{"-1", "-2"}, "▁▁", 0},
		{"exact_beyond_float", []string{"1000000000000000000000.5", "1000000000000000000001"}, "██", 1},
		{"first_of_equal_peaks", []string{"3", "3"}, "██", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			days := make([]PeriodTotal, len(tc.prices))
			for i, p := range tc.prices {
				days[i] = day(p)
			}
			got, peak := Sparkline(days)
			if got != tc.want || peak != tc.peak {
				t.Errorf("Sparkline(%v) = %q, %d; want %q, %d", tc.prices, got, peak, tc.want, tc.peak)
			}
		})
	}
}

func TestShareText(t *testing.T) {
	cases := []struct{ amount, total, want string }{
		{"1", "3", "33.3%"},
		{"2", "3", "66.7%"},
		{"1", "1", "100.0%"},
		{"1", "8", "12.5%"},
		{"1", "1600", "0.1%"},   // 0.0625
		{"1", "2001", "0.0%"},   // 0.04997…
		{"0.1", "0.3", "33.3%"}, // exact, not float64
		{"-5", "100", "-5.0%"},
		{"5", "0", "–"},
		{"5", "-10", "–"},
	}
	for _, tc := range cases {
		if got := ShareText(MustParseMoney(tc.amount), MustParseMoney(tc.total)); got != tc.want {
			t.Errorf("ShareText(%s, %s) = %q, want %q", tc.amount, tc.total, got, tc.want)
		}
	}
}

func TestTopTotals(t *testing.T) {
	totals := map[string]Money{"b": MustParseMoney("2"), "a": MustParseMoney("2"), "c": MustParseMoney("10"), NoneKey: MustParseMoney("0.5")}
	var got []string
	for _, row := range TopTotals(totals, 3) {
		got = append(got, row.Key+"="+row.Amount.String())
	}
	if want := "[c=10 a=2 b=2]"; strings.Join(got, " ") != strings.Trim(want, "[]") {
		t.Errorf("TopTotals = %v, want %s", got, want)
	}
	if n := len(TopTotals(totals, 10)); n != 4 {
		t.Errorf("%d rows of 4 totals", n)
	}
}

func TestEscapeCell(t *testing.T) {
	cases := map[string]string{
		"web-01":         "web-01",
		"a|b":            `a\|b`,
		`back\slash`:     `back\\slash`,
		`\|`:             `\\\|`,
		"two\nlines\r\n": "two lines ",
		NoneKey:          "(none)",
	}
	for in, want := range cases {
		if got := escapeCell(in); got != want {
			t.Errorf("escapeCell(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestReportMarkdownForecastByService checks the services' table with the
// forecast's share of each: a service that drives the month shows even
// where its spend so far is small, and one with a forecast but no spend
// yet is listed at 0.
func TestReportMarkdownForecastByService(t *testing.T) {
	s := reportSummary(t, "2024-09-04", reportLines)
	by := map[string]Money{
		"Instance": MustParseMoney("4000000"), "Storage": MustParseMoney("6000000"), "Database": MustParseMoney("0.3"),
		"Backup": MustParseMoney("500"), "Kubernetes": MustParseMoney("500"), "Floating IP": MustParseMoney("120"),
		"Object Storage": MustParseMoney("80"), "Support": MustParseMoney("1000"),
	}
	total := Money{}
	for _, m := range by {
		total = total.Add(m)
	}
	got, err := Report{Summary: s, From: "2024-09-01", To: "2024-09-04", Forecast: total, ForecastByService: by, Currency: "VND"}.Markdown()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| Service | Amount | Share | Forecast | Forecast share |\n| :-- | --: | --: | --: | --: |\n",
		"| Instance | 3,000,001 VND | 92.3% | 4,000,000 VND | 40.0% |\n",
		"| Storage | 250,000 VND | 7.7% | 6,000,000 VND | 60.0% |\n",
		// Support has no spend yet: among the rest (Database, Object
		// Storage, Support), with its forecast.
		"\n3 more services: 80 VND (0.0%); forecast 1,080 VND (0.0%).\n",
		"| VPC | Amount | Share |\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the report lacks %q:\n%s", want, got)
		}
	}
}

// TestReportBarsRecurringApart draws the daily bars without the recurring
// charges of their days and names the charges apart, so that a monthly fee
// does not flatten the other days; the total keeps them.
func TestReportBarsRecurringApart(t *testing.T) {
	s := reportSummary(t, "2024-09-03", [][4]string{
		{"License", "", "2024-09-01 00:00:00", "1000"},
		{"Instance", "", "2024-09-01 10:00:00", "10"},
		{"Instance", "", "2024-09-02 10:00:00", "20"},
		{"Instance", "", "2024-09-03 10:00:00", "5"},
	})
	r := Report{Summary: s, From: "2024-09-01", To: "2024-09-03", Forecast: s.Total, Currency: "VND"}
	plain, err := r.Markdown()
	if err != nil {
		t.Fatal(err)
	}
	if want := "- **Daily spend:** `█▁▁` (highest: 1,010 VND on 2024-09-01)\n"; !strings.Contains(plain, want) {
		t.Errorf("without recurring charges, no %q in\n%s", want, plain)
	}
	r.Recurring = map[string]Money{"2024-09-01": MustParseMoney("1000")}
	got, err := r.Markdown()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"- **Daily spend, recurring charges apart:** `▅█▃` (highest: 20 VND on 2024-09-02); recurring charges: 1,000 VND on 2024-09-01\n",
		"- **Total:** 1,035 VND over 4 bill lines\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in\n%s", want, got)
		}
	}
	r.Recurring["2024-09-03"] = MustParseMoney("2")
	got, err = r.Markdown()
	if err != nil {
		t.Fatal(err)
	}
	if want := "; recurring charges: 1,002 VND on 2 days (2024-09-01 to 2024-09-03)\n"; !strings.Contains(got, want) {
		t.Errorf("no %q in\n%s", want, got)
	}
}
