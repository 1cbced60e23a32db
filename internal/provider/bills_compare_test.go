package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/bills"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/clock"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/memo"
)

// The expectations below are computed from the emulator's lines with
// big.Rat and plain loops, not with the provider's billing package.

// requestLog records the bill requests an emulator serves: the range and
// page of each POST, the day of each GET.
type requestLog struct {
	mu    sync.Mutex
	pages map[string]int // "from..to page N" -> times asked
	days  map[string]int // search_date -> times asked
}

func (r *requestLog) ServeWith(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if strings.HasSuffix(req.URL.Path, fptapi.BillsEndpoint) {
			r.mu.Lock()
			switch req.Method {
			case http.MethodPost:
				body, _ := io.ReadAll(req.Body)
				req.Body = io.NopCloser(bytes.NewReader(body))
				var page struct {
					From string `json:"from_date"`
					To   string `json:"to_date"`
					Page int    `json:"page"`
				}
				_ = json.Unmarshal(body, &page)
				r.pages[fmt.Sprintf("%s..%s page %d", page.From, page.To, page.Page)]++
			case http.MethodGet:
				r.days[req.URL.Query().Get("search_date")]++
			}
			r.mu.Unlock()
		}
		next.ServeHTTP(w, req)
	})
}

// ranges lists the ranges (or days) asked for, sorted. Every page and day
// must have been asked as often as the others: once per provider process
// (a test step starts one for each terraform command), never twice by one.
// With perDay, the paging endpoint is not served and its calls are left out.
func (r *requestLog) ranges(t *testing.T, perDay bool) []string {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	seen := map[string]bool{}
	times := map[int][]string{}
	if !perDay {
		for key, n := range r.pages {
			times[n] = append(times[n], key)
			seen[strings.Fields(key)[0]] = true
		}
	}
	for day, n := range r.days {
		times[n] = append(times[n], day)
		seen[day] = true
	}
	if len(times) > 1 {
		t.Errorf("some pages or days were asked more often than others: %v", times)
	}
	var out []string
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// newLoggedEnv is newTestEnv with every bill request logged.
func newLoggedEnv(t *testing.T, cfg emulator.Config) (*testEnv, *requestLog) {
	t.Helper()
	cfg.Token = testToken
	cfg.Now = func() time.Time { return testNow }
	srv := emulator.New(cfg)
	log := &requestLog{pages: map[string]int{}, days: map[string]int{}}
	ts := httptest.NewServer(log.ServeWith(srv))
	t.Cleanup(ts.Close)
	return &testEnv{Emulator: srv, URL: ts.URL + "/api", Clock: clock.Fixed(testNow)}, log
}

// ratCheck expects the exact value r, which must be a finite decimal.
func ratCheck(t *testing.T, r *big.Rat) knownvalue.Check {
	t.Helper()
	text := strings.TrimRight(r.FloatString(40), "0")
	return numberCheck(t, strings.TrimSuffix(text, "."))
}

// roundHalfAway rounds r to two decimals, halves away from zero.
func roundHalfAway(r *big.Rat) *big.Rat {
	scaled := new(big.Rat).Mul(r, big.NewRat(100, 1))
	half := big.NewRat(1, 2)
	if scaled.Sign() < 0 {
		scaled.Sub(scaled, half)
	} else {
		scaled.Add(scaled, half)
	}
	q := new(big.Int).Quo(scaled.Num(), scaled.Denom()) // truncates toward zero
	return new(big.Rat).SetFrac(q, big.NewInt(100))
}

// periodSums is what one range of lines adds up to, by service and VPC.
type periodSums struct {
	count            int
	total            *big.Rat
	byService, byVPC map[string]*big.Rat
	daily            map[string]map[string]*big.Rat // service -> day -> sum
}

func sumLines(lines []fptapi.BillLine, keep func(fptapi.BillLine) bool) periodSums {
	s := periodSums{total: new(big.Rat), byService: map[string]*big.Rat{}, byVPC: map[string]*big.Rat{},
		daily: map[string]map[string]*big.Rat{}}
	add := func(m map[string]*big.Rat, k string, v *big.Rat) {
		if m[k] == nil {
			m[k] = new(big.Rat)
		}
		m[k].Add(m[k], v)
	}
	for _, l := range lines {
		if keep != nil && !keep(l) {
			continue
		}
		p := rat(l.TotalPrice.String())
		s.count++
		s.total.Add(s.total, p)
		add(s.byService, l.Service, p)
		add(s.byVPC, orNone(l.VPCName), p)
		if s.daily[l.Service] == nil {
			s.daily[l.Service] = map[string]*big.Rat{}
		}
		add(s.daily[l.Service], l.Day, p)
	}
	return s
}

// comparisonCheck expects the comparison of cur, the range's days up to
// currentTo, against prev over from..to.
func comparisonCheck(t *testing.T, cur, prev periodSums, from, to, currentTo string) knownvalue.Check {
	change := func(a, b map[string]*big.Rat) knownvalue.Check {
		checks := map[string]knownvalue.Check{}
		for k := range a {
			checks[k] = nil
		}
		for k := range b {
			checks[k] = nil
		}
		for k := range checks {
			d := new(big.Rat)
			if a[k] != nil {
				d.Add(d, a[k])
			}
			if b[k] != nil {
				d.Sub(d, b[k])
			}
			checks[k] = ratCheck(t, d)
		}
		return knownvalue.MapExact(checks)
	}
	diff := new(big.Rat).Sub(cur.total, prev.total)
	var percent knownvalue.Check = knownvalue.Null()
	if prev.total.Sign() != 0 {
		p := new(big.Rat).Quo(diff, new(big.Rat).Abs(prev.total))
		percent = ratCheck(t, roundHalfAway(p.Mul(p, big.NewRat(100, 1))))
	}
	// Null when the earlier range cost nothing; with spend, null only
	// when that spend was all recurring charges.
	var usagePercent knownvalue.Check = knownvalue.Null()
	if prev.total.Sign() != 0 {
		usagePercent = nullOrNumber{}
	}
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"from":                knownvalue.StringExact(from),
		"to":                  knownvalue.StringExact(to),
		"total_price":         ratCheck(t, prev.total),
		"item_count":          knownvalue.Int64Exact(int64(prev.count)),
		"current_to":          knownvalue.StringExact(currentTo),
		"current_total_price": ratCheck(t, cur.total),
		"change":              ratCheck(t, diff),
		"change_percent":      percent,
		"change_by_service":   change(cur.byService, prev.byService),
		"change_by_vpc":       change(cur.byVPC, prev.byVPC),
		// The recurring charges' figures are tested exactly by
		// TestAccBills_monthlyFeeIsNoSpike; here they are amounts of 0 or more.
		"current_recurring_price": numberAbove{limit: big.NewRat(0, 1), atLeast: true},
		"recurring_price":         numberAbove{limit: big.NewRat(0, 1), atLeast: true},
		"usage_change":            knownvalue.NotNull(),
		"usage_change_percent":    usagePercent,
	})
}

// spikesCheck applies the spike rule to daily sums with plain loops: the
// median of the n days before each day of from..to, 0 for a day without a
// line.
func spikesCheck(t *testing.T, daily map[string]map[string]*big.Rat, from, to string, n int, factor, least string) (knownvalue.Check, int) {
	f, _ := time.Parse(time.DateOnly, from)
	end, _ := time.Parse(time.DateOnly, to)
	var services []string
	for s := range daily {
		services = append(services, s)
	}
	sort.Strings(services)
	amount := func(s string, d time.Time) *big.Rat {
		if v := daily[s][d.Format(time.DateOnly)]; v != nil {
			return v
		}
		return new(big.Rat)
	}
	var checks []knownvalue.Check
	for d := f; !d.After(end); d = d.AddDate(0, 0, 1) {
		for _, s := range services {
			window := make([]*big.Rat, n)
			for k := range window {
				window[k] = amount(s, d.AddDate(0, 0, -1-k))
			}
			sort.Slice(window, func(i, j int) bool { return window[i].Cmp(window[j]) < 0 })
			median := new(big.Rat).Set(window[n/2])
			if n%2 == 0 {
				median.Add(window[n/2-1], window[n/2]).Quo(median, big.NewRat(2, 1))
			}
			a := amount(s, d)
			if a.Cmp(new(big.Rat).Mul(rat(factor), median)) <= 0 || a.Cmp(rat(least)) <= 0 {
				continue
			}
			// A recurring charge: the same day of the month before (the
			// last day for a last day) stood out of its 7 days before by e;
			// this day's excess over its median is at most 2e.
			if e := monthBeforeCharge(amount, s, d); e != nil && new(big.Rat).Sub(a, median).Cmp(new(big.Rat).Mul(e, big.NewRat(2, 1))) <= 0 {
				continue
			} else if e != nil {
				median = new(big.Rat).Add(median, e)
			}
			var ratio knownvalue.Check = knownvalue.Null()
			if median.Sign() > 0 {
				ratio = ratCheck(t, roundHalfAway(new(big.Rat).Quo(a, median)))
			}
			checks = append(checks, knownvalue.ObjectExact(map[string]knownvalue.Check{
				"day": knownvalue.StringExact(d.Format(time.DateOnly)), "service": knownvalue.StringExact(s),
				"amount": ratCheck(t, a), "baseline": ratCheck(t, median), "ratio": ratio,
			}))
		}
	}
	return knownvalue.ListExact(checks), len(checks)
}

// nullOrNumber is a knownvalue.Check that a value is null or a number.
type nullOrNumber struct{}

func (nullOrNumber) CheckValue(v any) error {
	if v == nil {
		return nil
	}
	if _, ok := v.(json.Number); !ok {
		return fmt.Errorf("%v (%T) is neither null nor a number", v, v)
	}
	return nil
}

func (nullOrNumber) String() string { return "null or a number" }

// monthBeforeCharge is the charge service billed on d's day a month
// before (the month before's last day when d is its month's last day):
// that day's excess over the median of its 7 days before, when it is above
// half that median and above 4 × 1.4826 × their MAD and none of them is
// half of it above the median; nil when there is none.
func monthBeforeCharge(amount func(string, time.Time) *big.Rat, service string, d time.Time) *big.Rat {
	last := time.Date(d.Year(), d.Month(), 0, 0, 0, 0, 0, time.UTC) // the month before's last day
	p := last
	if d.AddDate(0, 0, 1).Day() != 1 && d.Day() < last.Day() {
		p = time.Date(last.Year(), last.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
	}
	var week []*big.Rat
	for i := 1; i <= 7; i++ {
		week = append(week, amount(service, p.AddDate(0, 0, -i)))
	}
	m := ratMedian(week)
	e := new(big.Rat).Sub(amount(service, p), m)
	bar := new(big.Rat).Mul(rat("5.9304"), ratMAD(week))
	if half := new(big.Rat).Quo(m, big.NewRat(2, 1)); half.Cmp(bar) > 0 {
		bar = half
	}
	if e.Cmp(bar) <= 0 || e.Sign() <= 0 {
		return nil
	}
	for _, v := range week {
		if new(big.Rat).Mul(new(big.Rat).Sub(v, m), big.NewRat(2, 1)).Cmp(e) >= 0 {
			return nil
		}
	}
	return e
}

// TestAccBills_compareAndSpikes reads month_to_date against the same days
// of last month with spikes on the emulator's data, and checks every figure
// against sums and medians computed here. Another data source reads last
// month's days: it costs no request, and no page or day is asked twice.
func TestAccBills_compareAndSpikes(t *testing.T) {
	t.Parallel()
	env, log := newLoggedEnv(t, emulator.Config{})
	data := env.Emulator.Data
	// 2024-09-20 10:00 at +07:00: month_to_date is 2024-09-01..2024-09-20,
	// whose complete days 2024-09-01..2024-09-19 are compared with
	// 2024-08-01..2024-08-19.
	prev := sumLines(data.BillLines("2024-08-01", "2024-08-19"), nil)
	// A one-off on the 10th: a spike. The fee on the 1st is a recurring
	// charge, no spike.
	data.Bills.Extra = []fptapi.BillLine{{Day: "2024-09-10", StartTime: "2024-09-10 08:00:00", Service: "Database",
		Name: "pg-main", TotalPrice: "25000000"}}
	all := sumLines(data.BillLines("2024-09-01", "2024-09-20"), nil)
	cur := sumLines(data.BillLines("2024-09-01", "2024-09-19"), nil)
	window := sumLines(data.BillLines("2024-07-20", "2024-09-20"), nil)
	spikes, found := spikesCheck(t, window.daily, "2024-09-01", "2024-09-20", 7, "3", "1000000")
	if found == 0 {
		t.Fatal("the emulator's month has no spike: the test would prove nothing")
	}
	config := env.providerBlock("") + `
data "fptcloud_bills" "month" {
  range           = "month_to_date"
  include_items   = false
  compare_to      = "previous_month"
  spike_detection = {}
}

data "fptcloud_bills" "last_month_days" {
  from          = "2024-08-01"
  to            = "2024-08-19"
  include_items = false
}
`
	addr := "data.fptcloud_bills.month"
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: append(expectLines(data.BillLines("2024-08-01", "2024-08-19"), nil).checks(t, "last_month_days"),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("total_price"), ratCheck(t, all.total)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("item_count"), knownvalue.Int64Exact(int64(all.count))),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("comparison"), comparisonCheck(t, cur, prev, "2024-08-01", "2024-08-19", "2024-09-19")),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("spike_detection"), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"baseline_days": knownvalue.Int64Exact(7), "factor": knownvalue.Int64Exact(3), "min_amount": knownvalue.Int64Exact(1000000),
				})),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("spikes"), spikes),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("summary_markdown"), containsAll{
					// Both ranges hold a monthly fee on the 1st: usage apart.
					"- **Change:** usage ", " vs 2024-08-01..2024-08-19 (19 days); recurring charges ",
					"#### Spikes (over 3× the median of the 7 days before, and over 1,000,000 VND)\n\n| Day | Service | Amount | Baseline | × |",
				}),
			),
		}},
	})
	// The range and its complete days, the same days of last month, the
	// baseline days before the range that last month's days do not hold,
	// and the forecast's history (from 7 days before the 1st of July, for
	// the recurring charges) that no other read holds; each page once.
	got := strings.Join(log.ranges(t, false), " ")
	if want := "2024-06-24..2024-07-31 2024-08-01..2024-08-19 2024-08-20..2024-08-24 2024-08-25..2024-08-31 " +
		"2024-09-01..2024-09-19 2024-09-01..2024-09-20"; got != want {
		t.Errorf("the plan read %s, want %s", got, want)
	}
}

// TestAccBills_compareReadsOnce counts requests: a plan with compare_to
// and spikes makes those of the range, the previous range and the baseline
// days, each once, and a second data source over the previous range adds
// none. Over the per-day endpoint each day is asked at most once.
func TestAccBills_compareReadsOnce(t *testing.T) {
	t.Parallel()
	for _, deprecated := range []bool{false, true} {
		t.Run(fmt.Sprintf("deprecated_only_%v", deprecated), func(t *testing.T) {
			t.Parallel()
			env, log := newLoggedEnv(t, emulator.Config{LinesPerDay: 300, DeprecatedOnly: deprecated})
			run := func(config string) int64 {
				before := env.Emulator.Requests(fptapi.BillsEndpoint)
				accTest(t, resource.TestCase{
					ProtoV6ProviderFactories: env.factories(),
					Steps:                    []resource.TestStep{{Config: env.providerBlock("") + config}},
				})
				return env.Emulator.Requests(fptapi.BillsEndpoint) - before
			}
			main := `
data "fptcloud_bills" "week" {
  from            = "2024-09-10"
  to              = "2024-09-16"
  include_items   = false
  compare_to      = "previous_period"
  spike_detection = { baseline_days = 10 }
}
`
			alone := run(`
data "fptcloud_bills" "week" {
  from          = "2024-09-10"
  to            = "2024-09-16"
  include_items = false
}
`)
			*log = requestLog{pages: map[string]int{}, days: map[string]int{}}
			with := run(main)
			ranges := log.ranges(t, deprecated)
			*log = requestLog{pages: map[string]int{}, days: map[string]int{}}
			withSecond := run(main + `
data "fptcloud_bills" "week_before" {
  from          = "2024-09-03"
  to            = "2024-09-09"
  include_items = false
}
`)
			log.ranges(t, deprecated)
			if deprecated {
				// 17 days: the week, the week before, and 3 more baseline days,
				// each once per provider process; the paging endpoint's 405s aside.
				gets := len(log.days) * log.days["2024-09-16"]
				if len(ranges) != 17 || ranges[0] != "2024-08-31" || ranges[16] != "2024-09-16" || with < int64(gets) {
					t.Errorf("per day: %d requests for the days %v, want 17 days from 2024-08-31 to 2024-09-16", with, ranges)
				}
				return
			}
			if with != withSecond {
				t.Errorf("a second data source over the previous range made %d requests more", withSecond-with)
			}
			// 300 lines a day in pages of 1000: 3 pages a week, 1 page for 3
			// days, as many times as the step starts a provider.
			if got := strings.Join(ranges, " "); got != "2024-08-31..2024-09-02 2024-09-03..2024-09-09 2024-09-10..2024-09-16" {
				t.Errorf("the plan read %s", got)
			}
			if alone%3 != 0 || with != alone/3*(3+3+1) {
				t.Errorf("the week alone took %d requests (3 a provider process), with its history %d (want 7 a process)", alone, with)
			}
		})
	}
}

// TestAccBills_compareEdges puts lines with a tag of their own around a
// leap day: a spike on the range's first day whose baseline is all before
// from, a service only in the range, one only in the previous range, and a
// filter whose previous range is empty.
func TestAccBills_compareEdges(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Config{LinesPerDay: 2})
	tag, fresh := "edge-test", "only-now"
	var extra []fptapi.BillLine
	add := func(day, service, price, tag string) {
		extra = append(extra, fptapi.BillLine{Day: day, StartTime: day + " 09:00:00", Service: service, Name: "x-" + service,
			TotalPrice: json.Number(price), Tag: &tag})
	}
	for _, day := range []string{"2024-02-23", "2024-02-24", "2024-02-25", "2024-02-26", "2024-02-27", "2024-02-28", "2024-02-29"} {
		add(day, "Instance", "100.5", tag)
	}
	add("2024-03-01", "Instance", "5000000.1", tag) // 49,751.24 × the baseline
	add("2024-03-02", "Storage", "2000000", tag)    // new: a baseline of 0
	add("2024-02-28", "Backup", "7", tag)           // only before
	add("2024-03-03", "Instance", "301.5", tag)     // 3 × 100.5: not more than 3×
	add("2024-03-02", "Database", "2500000", fresh)
	env.Emulator.Data.Bills.Extra = extra
	lines := env.Emulator.Data.BillLines("2024-02-01", "2024-03-31")
	tagged := func(want string) func(fptapi.BillLine) bool {
		return func(l fptapi.BillLine) bool { return l.Tag != nil && *l.Tag == want }
	}
	inRange := func(from, to string, keep func(fptapi.BillLine) bool) func(fptapi.BillLine) bool {
		return func(l fptapi.BillLine) bool { return l.Day >= from && l.Day <= to && keep(l) }
	}
	cur := sumLines(lines, inRange("2024-03-01", "2024-03-03", tagged(tag)))
	prev := sumLines(lines, inRange("2024-02-27", "2024-02-29", tagged(tag)))
	window := sumLines(lines, inRange("2024-02-23", "2024-03-03", tagged(tag)))
	spikes, found := spikesCheck(t, window.daily, "2024-03-01", "2024-03-03", 7, "3", "1000000")
	if found != 2 {
		t.Fatalf("the reference finds %d spikes, the data was made for 2", found)
	}
	freshCur := sumLines(lines, inRange("2024-03-01", "2024-03-03", tagged(fresh)))
	freshPrev := sumLines(lines, inRange("2024-02-27", "2024-02-29", tagged(fresh)))
	addr := "data.fptcloud_bills.edges"
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.providerBlock("") + fmt.Sprintf(`
data "fptcloud_bills" "edges" {
  from            = "2024-03-01"
  to              = "2024-03-03"
  tags            = [%q]
  compare_to      = "previous_period"
  spike_detection = { min_amount = 1000000, factor = 3 }
}

data "fptcloud_bills" "fresh" {
  from            = "2024-03-01"
  to              = "2024-03-03"
  tags            = [%q]
  compare_to      = "previous_period"
  spike_detection = { min_amount = 0, baseline_days = 2, factor = 1.5 }
}

data "fptcloud_bills" "plain" {
  from = "2024-03-01"
  tags = [%q]
}
`, tag, fresh, tag),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("comparison"), comparisonCheck(t, cur, prev, "2024-02-27", "2024-02-29", "2024-03-03")),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("comparison").AtMapKey("change_by_service"), knownvalue.MapExact(map[string]knownvalue.Check{
					"Instance": numberCheck(t, "5000000.1"), // 5,000,000.1 + 301.5 - 3 × 100.5
					"Storage":  knownvalue.Int64Exact(2_000_000),
					"Backup":   knownvalue.Int64Exact(-7),
				})),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("spikes"), spikes),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("spikes").AtSliceIndex(0), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"day": knownvalue.StringExact("2024-03-01"), "service": knownvalue.StringExact("Instance"),
					"amount": numberCheck(t, "5000000.1"), "baseline": numberCheck(t, "100.5"),
					"ratio": numberCheck(t, "49751.24"),
				})),
				statecheck.ExpectKnownValue("data.fptcloud_bills.fresh", tfjsonpath.New("comparison"),
					comparisonCheck(t, freshCur, freshPrev, "2024-02-27", "2024-02-29", "2024-03-03")),
				statecheck.ExpectKnownValue("data.fptcloud_bills.fresh", tfjsonpath.New("comparison").AtMapKey("change_percent"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.fptcloud_bills.fresh", tfjsonpath.New("spikes"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"day": knownvalue.StringExact("2024-03-02"), "service": knownvalue.StringExact("Database"),
						"amount": knownvalue.Int64Exact(2_500_000), "baseline": knownvalue.Int64Exact(0), "ratio": knownvalue.Null(),
					}),
				})),
				statecheck.ExpectKnownValue("data.fptcloud_bills.fresh", tfjsonpath.New("summary_markdown"), containsAll{
					"- **Change:** +2,500,000 VND over 2024-03-01..2024-03-03 (3 days) vs 2024-02-27..2024-02-29 (3 days), which had no spend\n",
				}),
				statecheck.ExpectKnownValue("data.fptcloud_bills.plain", tfjsonpath.New("comparison"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.fptcloud_bills.plain", tfjsonpath.New("spikes"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.fptcloud_bills.plain", tfjsonpath.New("spike_detection"), knownvalue.Null()),
			},
		}},
	})
}

// TestAccBills_compareTimeZone resolves the presets at -10:00, where the
// fixed clock's moment (2024-09-20 10:00 at +07:00) is still 2024-09-19.
func TestAccBills_compareTimeZone(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Config{})
	data := env.Emulator.Data
	// Both ranges include today, 2024-09-19: their complete days are
	// compared, to 2024-09-18.
	week := sumLines(data.BillLines("2024-09-13", "2024-09-18"), nil)
	before := sumLines(data.BillLines("2024-09-06", "2024-09-11"), nil)
	month := sumLines(data.BillLines("2024-09-01", "2024-09-18"), nil)
	lastMonth := sumLines(data.BillLines("2024-08-01", "2024-08-18"), nil)
	window := sumLines(data.BillLines("2024-08-29", "2024-09-19"), nil)
	spikes, _ := spikesCheck(t, window.daily, "2024-09-13", "2024-09-19", 15, "2.5", "500000")
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.providerBlock(`time_zone = "-10:00"`) + `
data "fptcloud_bills" "week" {
  range           = "last_7_days"
  include_items   = false
  compare_to      = "previous_period"
  spike_detection = { baseline_days = 15, factor = 2.5, min_amount = 500000 }
}

data "fptcloud_bills" "month" {
  range         = "month_to_date"
  include_items = false
  compare_to    = "previous_month"
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.fptcloud_bills.week", tfjsonpath.New("from"), knownvalue.StringExact("2024-09-13")),
				statecheck.ExpectKnownValue("data.fptcloud_bills.week", tfjsonpath.New("comparison"),
					comparisonCheck(t, week, before, "2024-09-06", "2024-09-11", "2024-09-18")),
				statecheck.ExpectKnownValue("data.fptcloud_bills.week", tfjsonpath.New("spikes"), spikes),
				statecheck.ExpectKnownValue("data.fptcloud_bills.month", tfjsonpath.New("comparison"),
					comparisonCheck(t, month, lastMonth, "2024-08-01", "2024-08-18", "2024-09-18")),
			},
		}},
	})
}

func TestAccBills_compareBadInput(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Config{})
	for name, tc := range map[string]struct{ args, want string }{
		"unknown_comparison": {`compare_to = "last_year"`, `compare_to = "last_year": the value must be one of "previous_period", "previous_month" or "previous_weeks".`},
		"month_overlap": {`compare_to = "previous_month"
  to = "2024-03-10"`, `spans more than a month, so the same days of the month before (2023-12-01..2024-02-10) overlap it; use "previous_period"`},
		"factor_one":      {`spike_detection = { factor = 1 }`, "spike_detection.factor = 1: the value must be greater than 1, such as 3"},
		"baseline_zero":   {`spike_detection = { baseline_days = 0 }`, "spike_detection.baseline_days = 0: the value must be between 1 and 90."},
		"baseline_long":   {`spike_detection = { baseline_days = 91 }`, "spike_detection.baseline_days = 91: the value must be between 1 and 90."},
		"negative_amount": {`spike_detection = { min_amount = -5 }`, "spike_detection.min_amount = -5: the value must be at least 0, such as 1000000"},
	} {
		t.Run(name, func(t *testing.T) {
			accTest(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(),
				Steps: []resource.TestStep{{
					Config: env.providerBlock("") + fmt.Sprintf(`
data "fptcloud_bills" "test" {
  from = "2024-01-01"
  %s
}
`, tc.args),
					ExpectError: errorPattern(tc.want),
				}},
			})
		})
	}
	if n := env.Emulator.Requests(fptapi.BillsEndpoint); n != 0 {
		t.Errorf("bad input made %d requests", n)
	}
}

func TestBillsHistoryDefaults(t *testing.T) {
	m := billsModel{SpikeDetection: &spikeDetectionModel{}}
	var diags diag.Diagnostics
	h, ok := newBillsHistory(&m, "2024-03-01", "2024-03-03", testNow, testPlus7, &diags)
	if !ok || h.Spikes == nil || h.Spikes.BaselineDays != 7 || h.Spikes.Factor.String() != "3" || h.Spikes.MinAmount.String() != "1000000" {
		t.Fatalf("defaults: %+v, %v", h, diags)
	}
	if len(h.Baseline) != 1 || h.Baseline[0] != (billing.DayRange{From: "2024-02-23", To: "2024-02-29"}) {
		t.Errorf("baseline ranges %v", h.Baseline)
	}
}

// TestBillsWithHistoryReadsOnce counts the requests of one provider
// process: the range, its previous period and the baseline days before
// them are read concurrently, every page (or, per day, every day) exactly
// once, and a later read of the previous range costs no request.
func TestBillsWithHistoryReadsOnce(t *testing.T) {
	for _, deprecated := range []bool{false, true} {
		t.Run(fmt.Sprintf("deprecated_only_%v", deprecated), func(t *testing.T) {
			env, log := newLoggedEnv(t, emulator.Config{LinesPerDay: 300, DeprecatedOnly: deprecated})
			client, err := fptapi.New(fptapi.Config{BaseURL: env.URL, Token: testToken})
			if err != nil {
				t.Fatal(err)
			}
			data := &providerData{client: client, billSummaries: memo.New[*bills.Result](billSummaryEntries)}
			model := billsModel{CompareTo: types.StringValue(billing.ComparePreviousMonth),
				SpikeDetection: &spikeDetectionModel{BaselineDays: types.Int64Value(12)}}
			var diags diag.Diagnostics
			// The month before 2024-03-01..2024-03-05 is 2024-02-01..2024-02-05;
			// the 12 days before from are 2024-02-18..2024-02-29, over a leap day.
			h, ok := newBillsHistory(&model, "2024-03-01", "2024-03-05", testNow, testPlus7, &diags)
			if !ok {
				t.Fatal(diags)
			}
			q := bills.Query{From: "2024-03-01", To: "2024-03-05", Location: testPlus7, Period: billing.Day,
				IncludeItems: true, MaxItems: defaultBillsMaxItems}
			result, history, err := data.billsWithHistory(context.Background(), q, h)
			if err != nil {
				t.Fatal(err)
			}
			if result.Summary.Count != 5*300 || int64(len(result.Items)) != 5*300 || history.Earlier.Summary.Count != 5*300 ||
				len(history.Baseline) != 1 || history.Baseline[0].Summary.Count != 12*300 {
				t.Fatalf("counts: range %d (%d items), previous %d, baseline %v", result.Summary.Count, len(result.Items),
					history.Earlier.Summary.Count, history.Baseline)
			}
			requests := env.Emulator.Requests(fptapi.BillsEndpoint)
			for key, n := range log.pages {
				if n != 1 && !deprecated {
					t.Errorf("%s was asked %d times", key, n)
				}
			}
			for day, n := range log.days {
				if n != 1 {
					t.Errorf("the day %s was asked %d times", day, n)
				}
			}
			ranges := strings.Join(log.ranges(t, deprecated), " ")
			if deprecated {
				if len(log.days) != 5+5+12 {
					t.Errorf("per day, the read asked for %d days, want 22: %s", len(log.days), ranges)
				}
			} else if ranges != "2024-02-01..2024-02-05 2024-02-18..2024-02-29 2024-03-01..2024-03-05" || requests != 2+2+4 {
				t.Errorf("the read asked for %s in %d requests, want 3 ranges in 8", ranges, requests)
			}

			// Another data source over last month's days, without items: no call.
			again, err := data.bills(context.Background(), bills.Query{From: "2024-02-01", To: "2024-02-05", Location: testPlus7,
				Period: billing.Day, MaxItems: defaultBillsMaxItems})
			if err != nil || again != history.Earlier || env.Emulator.Requests(fptapi.BillsEndpoint) != requests {
				t.Errorf("reading the previous range again: %v, shared %v, %d more requests", err, again == history.Earlier,
					env.Emulator.Requests(fptapi.BillsEndpoint)-requests)
			}
		})
	}
}

// TestBillsValidateConfig_compareTo checks that terraform validate, which
// configures no provider and reads nothing, refuses a compare_to that the
// literal days do not allow, with plan's message, and passes the others.
func TestBillsValidateConfig_compareTo(t *testing.T) {
	ctx := context.Background()
	server := NewServer("test", Options{})()
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	typ := schemas.DataSourceSchemas["fptcloud_bills"].ValueType()
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	for name, tc := range map[string]struct {
		args map[string]tftypes.Value
		want string // "" for no diagnostic
	}{
		"sixty_days_previous_month": {map[string]tftypes.Value{"from": str("2024-07-01"), "to": str("2024-08-29"), "compare_to": str("previous_month")},
			`compare_to = "previous_month": 2024-07-01..2024-08-29 spans more than a month, so the same days of the month before (2024-06-01..2024-07-29) overlap it; use "previous_period", or a range of at most a month.`},
		"sixty_days_previous_period": {map[string]tftypes.Value{"from": str("2024-07-01"), "to": str("2024-08-29"), "compare_to": str("previous_period")}, ""},
		"one_month_previous_month":   {map[string]tftypes.Value{"from": str("2024-08-01"), "to": str("2024-08-31"), "compare_to": str("previous_month")}, ""},
		"one_day_previous_month":     {map[string]tftypes.Value{"from": str("2024-08-05"), "compare_to": str("previous_month")}, ""},
		"unknown_to": {map[string]tftypes.Value{"from": str("2024-07-01"), "to": tftypes.NewValue(tftypes.String, tftypes.UnknownValue),
			"compare_to": str("previous_month")}, ""},
		"range_preset": {map[string]tftypes.Value{"range": str("year_to_date"), "compare_to": str("previous_month")}, ""}, // checked at plan
	} {
		t.Run(name, func(t *testing.T) {
			resp, err := server.ValidateDataResourceConfig(ctx, &tfprotov6.ValidateDataResourceConfigRequest{
				TypeName: "fptcloud_bills", Config: objectValue(t, typ, tc.args),
			})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, d := range resp.Diagnostics {
				got = append(got, d.Summary+": "+d.Detail)
			}
			switch {
			case tc.want == "" && len(got) > 0:
				t.Errorf("diagnostics %q, want none", got)
			case tc.want != "" && (len(got) != 1 || got[0] != "Invalid comparison: "+tc.want):
				t.Errorf("diagnostics %q, want one: Invalid comparison: %s", got, tc.want)
			}
		})
	}
}
