package billing

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
	"time"
)

// refDaily sums prices per service and day with big.Rat.
type refDaily map[string]map[string]*big.Rat

func (r refDaily) add(service, day, price string) {
	if r[service] == nil {
		r[service] = map[string]*big.Rat{}
	}
	p, ok := new(big.Rat).SetString(price)
	if !ok {
		panic(price)
	}
	if r[service][day] == nil {
		r[service][day] = new(big.Rat)
	}
	r[service][day].Add(r[service][day], p)
}

func (r refDaily) amount(service string, day time.Time) *big.Rat {
	if v := r[service][day.Format(time.DateOnly)]; v != nil {
		return v
	}
	return new(big.Rat)
}

// refSpikes is the spike rule written out plainly with big.Rat: for each
// day and service, the n days before (0 where there is no line), sorted,
// the middle one or the mean of the two middle ones.
func refSpikes(r refDaily, from, to string, n int, factor, minAmount string) []string {
	f, _ := time.Parse(time.DateOnly, from)
	t, _ := time.Parse(time.DateOnly, to)
	fac, _ := new(big.Rat).SetString(factor)
	least, _ := new(big.Rat).SetString(minAmount)
	var services []string
	for s := range r {
		services = append(services, s)
	}
	sort.Strings(services)
	var out []string
	for d := f; !d.After(t); d = d.AddDate(0, 0, 1) {
		for _, s := range services {
			amount := r.amount(s, d)
			var window []*big.Rat
			for k := 1; k <= n; k++ {
				window = append(window, r.amount(s, d.AddDate(0, 0, -k)))
			}
			sort.Slice(window, func(i, j int) bool { return window[i].Cmp(window[j]) < 0 })
			median := new(big.Rat).Set(window[n/2])
			if n%2 == 0 {
				median.Add(window[n/2-1], window[n/2])
				median.Quo(median, big.NewRat(2, 1))
			}
			if amount.Cmp(new(big.Rat).Mul(fac, median)) > 0 && amount.Cmp(least) > 0 {
				ratio := "null"
				if median.Sign() > 0 {
					ratio = new(big.Rat).Quo(amount, median).FloatString(6)
				}
				out = append(out, fmt.Sprintf("%s %s %s %s %s", d.Format(time.DateOnly), s,
					amount.FloatString(6), median.FloatString(6), ratio))
			}
		}
	}
	return out
}

// render writes spikes in refSpikes' form; ratios are compared to 2
// decimals, so the reference's 6 are rounded by hand where it matters.
func render(spikes []Spike) []string {
	var out []string
	for _, s := range spikes {
		ratio := "null"
		if s.Ratio != nil {
			ratio = s.Ratio.Rat().FloatString(6)
		}
		out = append(out, fmt.Sprintf("%s %s %s %s %s", s.Day, s.Service, s.Amount.Rat().FloatString(6),
			s.Baseline.Rat().FloatString(6), ratio))
	}
	return out
}

// roundRatios rounds the last field of refSpikes' lines to 2 decimals,
// half away from zero, with integer arithmetic on the text.
func roundRatios(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		fields := strings.Fields(l)
		if last := fields[len(fields)-1]; last != "null" {
			r, _ := new(big.Rat).SetString(last)
			scaled := new(big.Rat).Mul(r, big.NewRat(100, 1))
			scaled.Add(scaled, big.NewRat(1, 2)) // ratios are positive: half up is half away from zero
			q := new(big.Int).Quo(scaled.Num(), scaled.Denom())
			fields[len(fields)-1] = new(big.Rat).SetFrac(q, big.NewInt(100)).FloatString(6)
		}
		out[i] = strings.Join(fields, " ")
	}
	return out
}

func dailyOf(lines [][3]string) (ServiceDays, refDaily) {
	got, ref := ServiceDays{}, refDaily{}
	for _, l := range lines { // service, day, price
		got.add(l[0], l[1], MustParseMoney(l[2]))
		ref.add(l[0], l[1], l[2])
	}
	return got, ref
}

func TestDetectSpikes(t *testing.T) {
	lines := [][3]string{
		// Instance: 100 a day before the range, then 5,000,000 on its first
		// day: the baseline comes from the days before from, over a leap day.
		{"Instance", "2024-02-23", "100"}, {"Instance", "2024-02-24", "100"}, {"Instance", "2024-02-25", "100"},
		{"Instance", "2024-02-26", "99.9"}, {"Instance", "2024-02-27", "100.1"}, {"Instance", "2024-02-28", "0.1"},
		{"Instance", "2024-02-28", "99.9"}, {"Instance", "2024-02-29", "100"},
		{"Instance", "2024-03-01", "5000000"},
		{"Instance", "2024-03-02", "300"}, // under min_amount
		// Storage: new in the range, a baseline of 0: a spike with no ratio.
		{"Storage", "2024-03-02", "2000000"},
		// Database: every other day, so missing days count 0 and pull the median down.
		{"Database", "2024-02-24", "1000000"}, {"Database", "2024-02-26", "1000000"}, {"Database", "2024-02-28", "1000000"},
		{"Database", "2024-03-01", "2000000"}, // median of 1M,0,1M,0,1M,0,0 is 0: a spike
		// Backup: exactly factor × baseline is not a spike.
		{"Backup", "2024-02-23", "1000000"}, {"Backup", "2024-02-24", "1000000"}, {"Backup", "2024-02-25", "1000000"},
		{"Backup", "2024-02-26", "1000000"}, {"Backup", "2024-02-27", "1000000"}, {"Backup", "2024-02-28", "1000000"},
		{"Backup", "2024-02-29", "1000000"}, {"Backup", "2024-03-01", "3000000"}, {"Backup", "2024-03-02", "3000000.0001"},
	}
	got, ref := dailyOf(lines)
	rule := SpikeRule{BaselineDays: 7, Factor: MustParseMoney("3"), MinAmount: MustParseMoney("1000000")}
	spikes, err := DetectSpikes(got, DayRange{"2024-03-01", "2024-03-03"}, rule)
	if err != nil {
		t.Fatal(err)
	}
	want := roundRatios(refSpikes(ref, "2024-03-01", "2024-03-03", 7, "3", "1000000"))
	if strings.Join(render(spikes), "\n") != strings.Join(want, "\n") {
		t.Fatalf("spikes:\n%s\nwant:\n%s", strings.Join(render(spikes), "\n"), strings.Join(want, "\n"))
	}
	// The cases above, spelled out, so that the reference cannot be wrong alone.
	wantText := []string{
		"2024-03-01 Database 2000000.000000 0.000000 null",
		"2024-03-01 Instance 5000000.000000 100.000000 50000.000000",
		"2024-03-02 Backup 3000000.000100 1000000.000000 3.000000",
		"2024-03-02 Storage 2000000.000000 0.000000 null",
	}
	if strings.Join(render(spikes), "\n") != strings.Join(wantText, "\n") {
		t.Errorf("spikes:\n%s\nwant:\n%s", strings.Join(render(spikes), "\n"), strings.Join(wantText, "\n"))
	}
}

// TestDetectSpikesRandom compares DetectSpikes with the plain reference on
// random ranges: random services, days left out, decimals, baselines of
// odd and even lengths, across month ends and a leap day.
func TestDetectSpikesRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 15))
	services := []string{"Instance", "Storage", "Database", "Kubernetes"}
	prices := []string{"0.1", "0.2", "100", "2500.5", "1000000", "3000000", "12345678.9", "98765432.1", "0"}
	found, nullRatios := 0, 0
	for round := range 200 {
		start := time.Date(2023+rng.IntN(3), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC)
		// At most 20 days, with at most 14 before: no day's month before
		// has the 7 days a recurring charge is measured on, so the plain
		// rule holds for every day (TestDetectSpikesRecurring tests the
		// rest).
		length, n := 1+rng.IntN(20), 1+rng.IntN(14)
		from, to := start.Format(time.DateOnly), start.AddDate(0, 0, length-1).Format(time.DateOnly)
		var lines [][3]string
		for d := start.AddDate(0, 0, -n); !d.After(start.AddDate(0, 0, length-1)); d = d.AddDate(0, 0, 1) {
			for _, s := range services {
				for range rng.IntN(3) { // 0, 1 or 2 lines: missing days too
					lines = append(lines, [3]string{s, d.Format(time.DateOnly), prices[rng.IntN(len(prices))]})
				}
			}
		}
		factor := []string{"1.5", "3", "2.25"}[rng.IntN(3)]
		least := []string{"0", "1000", "1000000"}[rng.IntN(3)]
		got, ref := dailyOf(lines)
		spikes, err := DetectSpikes(got, DayRange{from, to}, SpikeRule{BaselineDays: n, Factor: MustParseMoney(factor), MinAmount: MustParseMoney(least)})
		if err != nil {
			t.Fatal(err)
		}
		want := roundRatios(refSpikes(ref, from, to, n, factor, least))
		if strings.Join(render(spikes), "\n") != strings.Join(want, "\n") {
			t.Fatalf("round %d, %s..%s, n=%d, factor %s, min %s:\n%s\nwant:\n%s", round, from, to, n, factor, least,
				strings.Join(render(spikes), "\n"), strings.Join(want, "\n"))
		}
		found += len(spikes)
		for _, s := range spikes {
			if s.Ratio == nil {
				nullRatios++
			}
		}
	}
	if found < 100 || nullRatios == 0 || nullRatios == found {
		t.Errorf("the random months gave %d spikes, %d without a ratio: too few to test the rule", found, nullRatios)
	}
}

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		values []string
		want   string
	}{
		{nil, "0"},
		{[]string{"5"}, "5"},
		{[]string{"3", "1", "2"}, "2"},
		{[]string{"0.1", "0.2"}, "0.15"},
		{[]string{"1", "0", "0", "1"}, "0.5"},
		{[]string{"0.001", "0.002", "7", "-3"}, "0.0015"},
		{[]string{"99999999999999999999", "1"}, "50000000000000000000"},
		{[]string{"-1", "-2"}, "-1.5"},
	} {
		values := make([]Money, len(tc.values))
		for i, v := range tc.values {
			values[i] = MustParseMoney(v)
		}
		if got := Median(values); got.String() != tc.want {
			t.Errorf("Median(%v) = %s, want %s", tc.values, got, tc.want)
		}
	}
}

func TestSpikeRuleCheck(t *testing.T) {
	ok := SpikeRule{BaselineDays: 7, Factor: MustParseMoney("3"), MinAmount: Money{}}
	if err := ok.Check(); err != nil {
		t.Error(err)
	}
	for _, tc := range []struct {
		rule SpikeRule
		want string
	}{
		{SpikeRule{BaselineDays: 0, Factor: MustParseMoney("3")}, "baseline_days = 0: use a number of days from 1 to 90"},
		{SpikeRule{BaselineDays: 91, Factor: MustParseMoney("3")}, "baseline_days = 91"},
		{SpikeRule{BaselineDays: 7, Factor: MustParseMoney("1")}, "factor = 1: use a number greater than 1"},
		{SpikeRule{BaselineDays: 7, Factor: MustParseMoney("3"), MinAmount: MustParseMoney("-1")}, "min_amount = -1: use an amount of 0 or more"},
	} {
		if err := tc.rule.Check(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want %q", tc.rule, err, tc.want)
		}
	}
	r, err := ok.BaselineRange("2024-03-01")
	if err != nil || r.String() != "2024-02-23..2024-02-29" {
		t.Errorf("baseline of 2024-03-01 = %s, %v", r, err)
	}
}

func TestReportHistoryMarkdown(t *testing.T) {
	s := reportSummary(t, "2024-09-04", reportLines)
	prev := reportSummary(t, "2024-09-04", [][4]string{{"Instance", "prod-vpc", "2024-09-01 10:00:00", "2893000"}})
	c := Compare(&s, &prev, DayRange{"2024-08-01", "2024-08-04"})
	rule := SpikeRule{BaselineDays: 7, Factor: MustParseMoney("3"), MinAmount: MustParseMoney("1000000")}
	ratio := MustParseMoney("50000")
	spikes := []Spike{
		{Day: "2024-09-01", Service: "Instance", Amount: MustParseMoney("5000000"), Baseline: MustParseMoney("100"), Ratio: &ratio},
		{Day: "2024-09-02", Service: "Sto|rage", Amount: MustParseMoney("2000000")},
	}
	for i := range 5 {
		spikes = append(spikes, Spike{Day: "2024-09-03", Service: fmt.Sprint("S", i), Amount: MustParseMoney("1000001")})
	}
	got, err := Report{Summary: s, From: "2024-09-01", To: "2024-09-04", Forecast: s.Total, Currency: "VND",
		History: ReportHistory{Comparison: &c, Spikes: spikes, SpikesRule: &rule}}.Markdown()
	if err != nil {
		t.Fatal(err)
	}
	// 3,251,200.8 - 2,893,000 = 358,200.8; / 2,893,000 = 12.3816…%
	for _, want := range []string{
		"- **Daily spend:** `▅█▁▁` (highest: 2,000,000 VND on 2024-09-02)\n" +
			"- **Change:** +12.4% (+358,201 VND) vs 2024-08-01..2024-08-04 (4 days, 2,893,000 VND)\n",
		"#### Spikes (over 3× the median of the 7 days before, and over 1,000,000 VND)\n\n" +
			"| Day | Service | Amount | Baseline | × |\n| :-- | :-- | --: | --: | --: |\n" +
			"| 2024-09-01 | Instance | 5,000,000 VND | 100 VND | 50000 |\n" +
			"| 2024-09-02 | Sto\\|rage | 2,000,000 VND | 0 VND | – |\n" +
			"| 2024-09-03 | S0 | 1,000,001 VND | 0 VND | – |\n",
		"| 2024-09-03 | S2 | 1,000,001 VND | 0 VND | – |\n\n2 more spikes.\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the report lacks %q:\n%s", want, got)
		}
	}
	var none Summary
	fromNothing := Compare(&s, &none, DayRange{"2024-08-01", "2024-08-04"})
	got, err = Report{Summary: s, From: "2024-09-01", To: "2024-09-04", Forecast: s.Total, Currency: "VND",
		History: ReportHistory{Comparison: &fromNothing, SpikesRule: &rule}}.Markdown()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"- **Change:** +3,251,201 VND vs 2024-08-01..2024-08-04 (4 days), which had no spend\n", "No spikes.\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("the report lacks %q:\n%s", want, got)
		}
	}
	if text := ChangeText(MustParseMoney("-30"), MustParseMoney("1000")); text != "-3.0%" {
		t.Errorf("ChangeText = %s", text)
	}
}
