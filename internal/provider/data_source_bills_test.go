package provider

import (
	"context"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/bills"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/testsupport"
)

// The expectations below are computed from the emulator's own lines with
// plain loops, not with the provider's aggregation.

var testPlus7 = time.FixedZone("+07:00", 7*3600)

// lineStart reads a line's start_time the way the API contract defines it.
func lineStart(t *testing.T, l fptapi.BillLine, loc *time.Location) time.Time {
	t.Helper()
	var start time.Time
	var err error
	if strings.Contains(l.StartTime, "T") {
		start, err = time.Parse(time.RFC3339, l.StartTime)
	} else {
		start, err = time.ParseInLocation("2006-01-02 15:04:05", l.StartTime, loc)
	}
	if err != nil {
		t.Fatalf("start_time %q: %v", l.StartTime, err)
	}
	return start.In(loc)
}

func orNone(s *string) string {
	if s == nil || *s == "" {
		return "(none)"
	}
	return *s
}

// sumOf adds prices exactly, checked against big.Rat arithmetic.
func sumOf(t *testing.T, prices []string) billing.Money { return testsupport.SumPrices(t, prices) }

func moneyCheck(m billing.Money) knownvalue.Check { return knownvalue.NumberExact(shown(m.BigFloat())) }

// shown is f as Terraform renders it in state and outputs. The plugin
// protocol carries a non-integer that a float64 holds exactly as a float64,
// and Terraform prints such a number with the shortest text that identifies
// the float64: at most 17 significant digits, so 1000000000020874.375 shows
// as 1000000000020874.4. Its value inside Terraform (in a check block) stays
// exact. Every other number travels as text and shows every digit.
func shown(f *big.Float) *big.Float {
	if f.IsInt() {
		return f
	}
	v, acc := f.Float64()
	if acc != big.Exact {
		return f
	}
	g, _, err := big.ParseFloat(new(big.Float).SetFloat64(v).Text('f', -1), 10, 512, big.ToNearestEven)
	if err != nil {
		panic(err)
	}
	return g
}

func moneyMapCheck(t *testing.T, groups map[string][]string) knownvalue.Check {
	checks := map[string]knownvalue.Check{}
	for k, prices := range groups {
		checks[k] = moneyCheck(sumOf(t, prices))
	}
	return knownvalue.MapExact(checks)
}

// billsExpect is what a data source over lines must show.
type billsExpect struct {
	lines                   []fptapi.BillLine
	prices                  []string
	byService, byVPC, byTag map[string][]string
}

func expectLines(lines []fptapi.BillLine, keep func(l fptapi.BillLine) bool) billsExpect {
	e := billsExpect{byService: map[string][]string{}, byVPC: map[string][]string{}, byTag: map[string][]string{}}
	for _, l := range lines {
		if keep != nil && !keep(l) {
			continue
		}
		p := l.TotalPrice.String()
		e.lines = append(e.lines, l)
		e.prices = append(e.prices, p)
		e.byService[l.Service] = append(e.byService[l.Service], p)
		e.byVPC[orNone(l.VPCName)] = append(e.byVPC[orNone(l.VPCName)], p)
		e.byTag[orNone(l.Tag)] = append(e.byTag[orNone(l.Tag)], p)
	}
	return e
}

// checks are the state checks of data source name against e.
func (e billsExpect) checks(t *testing.T, name string) []statecheck.StateCheck {
	addr := "data.fptcloud_bills." + name
	return []statecheck.StateCheck{
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("item_count"), knownvalue.Int64Exact(int64(len(e.lines)))),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("total_price"), moneyCheck(sumOf(t, e.prices))),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("totals_by_service"), moneyMapCheck(t, e.byService)),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("totals_by_vpc"), moneyMapCheck(t, e.byVPC)),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("totals_by_tag"), moneyMapCheck(t, e.byTag)),
	}
}

func optStringCheck(s *string) knownvalue.Check {
	if s == nil {
		return knownvalue.Null()
	}
	return knownvalue.StringExact(*s)
}

func numberCheck(t *testing.T, text string) knownvalue.Check {
	f, _, err := big.ParseFloat(text, 10, 512, big.ToNearestEven)
	if err != nil {
		t.Fatal(err)
	}
	return knownvalue.NumberExact(shown(f))
}

func optNumberCheck(t *testing.T, n interface{ String() string }, isNil bool) knownvalue.Check {
	if isNil {
		return knownvalue.Null()
	}
	return numberCheck(t, n.String())
}

// itemsCheck expects lines as items, every field.
func itemsCheck(t *testing.T, lines []fptapi.BillLine) knownvalue.Check {
	items := make([]knownvalue.Check, 0, len(lines))
	for _, l := range lines {
		items = append(items, knownvalue.ObjectExact(map[string]knownvalue.Check{
			"org_name": optStringCheck(l.OrgName), "tenant_name": optStringCheck(l.TenantName),
			"vpc_name": optStringCheck(l.VPCName), "pool_name": optStringCheck(l.PoolName),
			"day": knownvalue.StringExact(l.Day), "start_time": knownvalue.StringExact(l.StartTime),
			"service": knownvalue.StringExact(l.Service), "name": knownvalue.StringExact(l.Name),
			"attach_vm": optStringCheck(l.AttachVM), "storage_policy": optStringCheck(l.StoragePolicy),
			"machine":       optStringCheck(l.Machine),
			"disk":          optNumberCheck(t, l.Disk, l.Disk == nil),
			"disk_total":    optNumberCheck(t, l.DiskTotal, l.DiskTotal == nil),
			"vcpu":          optNumberCheck(t, l.VCPU, l.VCPU == nil),
			"vcpu_total":    optNumberCheck(t, l.VCPUTotal, l.VCPUTotal == nil),
			"ram":           optNumberCheck(t, l.RAM, l.RAM == nil),
			"ram_total":     optNumberCheck(t, l.RAMTotal, l.RAMTotal == nil),
			"running_time":  optNumberCheck(t, l.RunningTime, l.RunningTime == nil),
			"total_price":   numberCheck(t, l.TotalPrice.String()),
			"disk_quantity": optNumberCheck(t, l.DiskQuantity, l.DiskQuantity == nil),
			"cpu_quantity":  optNumberCheck(t, l.CPUQuantity, l.CPUQuantity == nil),
			"ram_quantity":  optNumberCheck(t, l.RAMQuantity, l.RAMQuantity == nil),
			"tag":           optStringCheck(l.Tag),
		}))
	}
	return knownvalue.ListExact(items)
}

// periodStart is the start of the period holding t, in t's location.
func periodStart(period string, t time.Time) time.Time {
	y, m, d := t.Date()
	switch period {
	case "hour":
		return time.Date(y, m, d, t.Hour(), 0, 0, 0, t.Location())
	case "week":
		back := int(t.Weekday()) - 1
		if back < 0 {
			back = 6 // Sunday ends the ISO week
		}
		return time.Date(y, m, d-back, 0, 0, 0, 0, t.Location())
	case "month":
		return time.Date(y, m, 1, 0, 0, 0, 0, t.Location())
	case "year":
		return time.Date(y, 1, 1, 0, 0, 0, 0, t.Location())
	}
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

func periodAfter(period string, s time.Time) time.Time {
	switch period {
	case "hour":
		return s.Add(time.Hour)
	case "week":
		return s.AddDate(0, 0, 7)
	case "month":
		return s.AddDate(0, 1, 0)
	case "year":
		return s.AddDate(1, 0, 0)
	}
	return s.AddDate(0, 0, 1)
}

// periodsCheck expects the periods of lines over from..to in loc: every
// period of the range, and those of lines outside it.
func periodsCheck(t *testing.T, period string, lines []fptapi.BillLine, from, to string, loc *time.Location) knownvalue.Check {
	t.Helper()
	prices := map[time.Time][]string{}
	for _, l := range lines {
		s := periodStart(period, lineStart(t, l, loc))
		prices[s] = append(prices[s], l.TotalPrice.String())
	}
	f, _ := time.ParseInLocation(time.DateOnly, from, loc)
	end, _ := time.ParseInLocation(time.DateOnly, to, loc)
	end = end.AddDate(0, 0, 1)
	starts := map[time.Time]bool{}
	for s := periodStart(period, f); s.Before(end); s = periodAfter(period, s) {
		starts[s] = true
	}
	for s := range prices {
		starts[s] = true
	}
	var ordered []time.Time
	for s := range starts {
		ordered = append(ordered, s)
	}
	for i := range ordered { // few periods: a plain insertion sort
		for j := i; j > 0 && ordered[j].Before(ordered[j-1]); j-- {
			ordered[j], ordered[j-1] = ordered[j-1], ordered[j]
		}
	}
	checks := make([]knownvalue.Check, 0, len(ordered))
	for _, s := range ordered {
		checks = append(checks, knownvalue.ObjectExact(map[string]knownvalue.Check{
			"start":       knownvalue.StringExact(s.Format(time.RFC3339)),
			"end":         knownvalue.StringExact(periodAfter(period, s).Format(time.RFC3339)),
			"total_price": moneyCheck(sumOf(t, prices[s])),
			"item_count":  knownvalue.Int64Exact(int64(len(prices[s]))),
		}))
	}
	return knownvalue.ListExact(checks)
}

const billsWeekConfig = `
data "fptcloud_bills" "test" {
  from = "2024-09-01"
  to   = "2024-09-07"
}

check "budget" {
  assert {
    condition     = data.fptcloud_bills.test.total_price > 0 && data.fptcloud_bills.test.forecast_total_price == data.fptcloud_bills.test.total_price
    error_message = "The week cost ${data.fptcloud_bills.test.total_price} VND."
  }
}
`

// TestAccBills_totals reads a week through each endpoint and checks every
// output against the emulator's lines.
func TestAccBills_totals(t *testing.T) {
	t.Parallel()
	for _, deprecated := range []bool{false, true} {
		t.Run(map[bool]string{false: "paging", true: "deprecated_by_date"}[deprecated], func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t, emulator.Config{DeprecatedOnly: deprecated})
			lines := env.Emulator.Data.BillLines("2024-09-01", "2024-09-07")
			e := expectLines(lines, nil)
			total := sumOf(t, e.prices)
			checks := append(e.checks(t, "test"),
				statecheck.ExpectKnownValue("data.fptcloud_bills.test", tfjsonpath.New("from"), knownvalue.StringExact("2024-09-01")),
				statecheck.ExpectKnownValue("data.fptcloud_bills.test", tfjsonpath.New("to"), knownvalue.StringExact("2024-09-07")),
				statecheck.ExpectKnownValue("data.fptcloud_bills.test", tfjsonpath.New("currency"), knownvalue.StringExact("VND")),
				statecheck.ExpectKnownValue("data.fptcloud_bills.test", tfjsonpath.New("period"), knownvalue.StringExact("day")),
				statecheck.ExpectKnownValue("data.fptcloud_bills.test", tfjsonpath.New("include_items"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue("data.fptcloud_bills.test", tfjsonpath.New("max_items"), knownvalue.Int64Exact(100000)),
				// The week is over on 2024-09-20: the forecast is the total.
				statecheck.ExpectKnownValue("data.fptcloud_bills.test", tfjsonpath.New("forecast_total_price"), moneyCheck(total)),
				statecheck.ExpectKnownValue("data.fptcloud_bills.test", tfjsonpath.New("periods"),
					periodsCheck(t, "day", lines, "2024-09-01", "2024-09-07", testPlus7)),
				statecheck.ExpectKnownValue("data.fptcloud_bills.test", tfjsonpath.New("items"), itemsCheck(t, lines)),
			)
			accTest(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(),
				Steps: []resource.TestStep{{
					Config:            env.providerBlock("") + billsWeekConfig,
					ConfigStateChecks: checks,
				}},
			})
		})
	}
}

// TestAccBills_filtersAndSharing reads one range with several filters, and
// checks that data sources over the same range share one set of requests.
func TestAccBills_filtersAndSharing(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Config{})
	lines := env.Emulator.Data.BillLines("2024-09-10", "2024-09-12")
	has := func(values ...string) func(string) bool {
		return func(v string) bool {
			for _, x := range values {
				if x == v {
					return true
				}
			}
			return false
		}
	}
	instance := expectLines(lines, func(l fptapi.BillLine) bool { return l.Service == "Instance" })
	twoServices := expectLines(lines, func(l fptapi.BillLine) bool { return has("Instance", "Storage")(l.Service) })
	noVPC := expectLines(lines, func(l fptapi.BillLine) bool { return l.VPCName == nil })
	mixed := expectLines(lines, func(l fptapi.BillLine) bool {
		return has("prod-vpc", "(none)")(orNone(l.VPCName)) && has("env:prod", "(none)")(orNone(l.Tag))
	})
	for name, e := range map[string]billsExpect{"instance": instance, "two_services": twoServices, "no_vpc": noVPC, "mixed": mixed} {
		if len(e.lines) == 0 || len(e.lines) == len(lines) {
			t.Fatalf("filter %s keeps %d of %d lines: the data does not exercise it", name, len(e.lines), len(lines))
		}
	}

	one := `
data "fptcloud_bills" "all" {
  from = "2024-09-10"
  to   = "2024-09-12"
}
`
	config := one + `
data "fptcloud_bills" "by_week" {
  from          = "2024-09-10"
  to            = "2024-09-12"
  period        = "week"
  include_items = false
}

data "fptcloud_bills" "instance" {
  from     = "2024-09-10"
  to       = "2024-09-12"
  services = ["Instance"]
}

data "fptcloud_bills" "two_services" {
  from          = "2024-09-10"
  to            = "2024-09-12"
  services      = ["Instance", "Storage"]
  include_items = false
}

data "fptcloud_bills" "no_vpc" {
  from      = "2024-09-10"
  to        = "2024-09-12"
  vpc_names = ["(none)"]
}

data "fptcloud_bills" "mixed" {
  from      = "2024-09-10"
  to        = "2024-09-12"
  vpc_names = ["prod-vpc", "(none)"]
  tags      = ["env:prod", "(none)"]
}
`
	checks := expectLines(lines, nil).checks(t, "all")
	checks = append(checks, expectLines(lines, nil).checks(t, "by_week")...)
	checks = append(checks, instance.checks(t, "instance")...)
	checks = append(checks, twoServices.checks(t, "two_services")...)
	checks = append(checks, noVPC.checks(t, "no_vpc")...)
	checks = append(checks, mixed.checks(t, "mixed")...)
	checks = append(checks,
		statecheck.ExpectKnownValue("data.fptcloud_bills.instance", tfjsonpath.New("items"), itemsCheck(t, instance.lines)),
		statecheck.ExpectKnownValue("data.fptcloud_bills.no_vpc", tfjsonpath.New("items"), itemsCheck(t, noVPC.lines)),
		statecheck.ExpectKnownValue("data.fptcloud_bills.two_services", tfjsonpath.New("items"), knownvalue.Null()),
	)

	// First one data source alone, to count the requests one read costs...
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps:                    []resource.TestStep{{Config: env.providerBlock("") + one}},
	})
	single := env.Emulator.Requests(fptapi.BillsEndpoint)
	// ...then six over the same range: only the single-service one asks
	// the API something else (it passes the service to the API).
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps:                    []resource.TestStep{{Config: env.providerBlock("") + config, ConfigStateChecks: checks}},
	})
	if got := env.Emulator.Requests(fptapi.BillsEndpoint) - single; got != 2*single {
		t.Errorf("six data sources made %d requests where one made %d; want %d (the unfiltered read shared)", got, single, 2*single)
	}
}

// TestAccBills_periods groups four days across a month end by each period.
func TestAccBills_periods(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Config{LinesPerDay: 30})
	from, to := "2024-08-30", "2024-09-02" // Friday to Monday
	lines := env.Emulator.Data.BillLines(from, to)
	var config strings.Builder
	var checks []statecheck.StateCheck
	for _, period := range billing.Periods {
		fmt.Fprintf(&config, `
data "fptcloud_bills" %q {
  from          = %q
  to            = %q
  period        = %q
  include_items = false
}
`, period, from, to, period)
		checks = append(checks, statecheck.ExpectKnownValue("data.fptcloud_bills."+period, tfjsonpath.New("periods"),
			periodsCheck(t, period, lines, from, to, testPlus7)))
	}
	checks = append(checks, statecheck.ExpectKnownValue("data.fptcloud_bills.hour", tfjsonpath.New("periods"), knownvalue.ListSizeExact(96)),
		statecheck.ExpectKnownValue("data.fptcloud_bills.week", tfjsonpath.New("periods").AtSliceIndex(0).AtMapKey("start"),
			knownvalue.StringExact("2024-08-26T00:00:00+07:00")))
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps:                    []resource.TestStep{{Config: env.providerBlock("") + config.String(), ConfigStateChecks: checks}},
	})
}

// TestAccBills_timeZones adds a line that starts at 23:30 UTC: at +07:00 it
// counts on the next day, in UTC on its own.
func TestAccBills_timeZones(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Config{LinesPerDay: 6})
	late := fptapi.BillLine{Day: "2024-09-01", StartTime: "2024-09-01T23:30:00Z", Service: "Instance", Name: "late-night", TotalPrice: "0.1"}
	env.Emulator.Data.Bills.Extra = []fptapi.BillLine{late}
	lines := env.Emulator.Data.BillLines("2024-09-01", "2024-09-02")
	config := `
data "fptcloud_bills" "test" {
  from = "2024-09-01"
  to   = "2024-09-02"
}
`
	step := func(zone string, loc *time.Location) resource.TestStep {
		return resource.TestStep{
			Config: env.providerBlock(fmt.Sprintf("time_zone = %q", zone)) + config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.fptcloud_bills.test", tfjsonpath.New("periods"),
					periodsCheck(t, "day", lines, "2024-09-01", "2024-09-02", loc)),
				// The late line is the last item of its day (2024-09-01 by the API).
				statecheck.ExpectKnownValue("data.fptcloud_bills.test", tfjsonpath.New("items").AtSliceIndex(6).AtMapKey("name"),
					knownvalue.StringExact("late-night")),
			},
		}
	}
	hcm, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	if got := periodStart("day", lineStart(t, late, hcm)).Format(time.DateOnly); got != "2024-09-02" {
		t.Fatalf("the late line is on %s at +07:00", got)
	}
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			step("Asia/Ho_Chi_Minh", hcm),
			step("UTC", time.UTC),
		},
	})
}

// TestAccBills_rangePresets resolves every preset on the fixed "today"
// (2024-09-20 10:00 at +07:00) and checks the forecast of month_to_date.
func TestAccBills_rangePresets(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Config{LinesPerDay: 8})
	want := map[string][2]string{
		"today": {"2024-09-20", "2024-09-20"}, "yesterday": {"2024-09-19", "2024-09-19"},
		"month_to_date": {"2024-09-01", "2024-09-20"}, "last_month": {"2024-08-01", "2024-08-31"},
		"last_7_days": {"2024-09-14", "2024-09-20"}, "last_30_days": {"2024-08-22", "2024-09-20"},
		"year_to_date": {"2024-01-01", "2024-09-20"},
	}
	var config strings.Builder
	var checks []statecheck.StateCheck
	for preset, days := range want {
		fmt.Fprintf(&config, `
data "fptcloud_bills" %q {
  range           = %q
  include_items   = false
  forecast_method = "linear"
}
`, preset, preset)
		addr := "data.fptcloud_bills." + preset
		checks = append(checks,
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("from"), knownvalue.StringExact(days[0])),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("to"), knownvalue.StringExact(days[1])),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("items"), knownvalue.Null()),
		)
		checks = append(checks, expectLines(env.Emulator.Data.BillLines(days[0], days[1]), nil).checks(t, preset)...)
	}

	// month_to_date at 10:00 on the 20th: 19 days and 10 hours (466 hours)
	// of September's 720 have passed.
	mtd := sumOf(t, expectLines(env.Emulator.Data.BillLines("2024-09-01", "2024-09-20"), nil).prices)
	r, _ := new(big.Rat).SetString(mtd.String())
	r.Mul(r, big.NewRat(720, 466))
	cents := new(big.Rat).Mul(r, big.NewRat(100, 1))
	q, rem := new(big.Int).QuoRem(cents.Num(), cents.Denom(), new(big.Int))
	if new(big.Int).Mul(rem, big.NewInt(2)).Cmp(cents.Denom()) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	forecast := new(big.Rat).SetFrac(q, big.NewInt(100))
	lastMonth := sumOf(t, expectLines(env.Emulator.Data.BillLines("2024-08-01", "2024-08-31"), nil).prices)
	checks = append(checks,
		statecheck.ExpectKnownValue("data.fptcloud_bills.month_to_date", tfjsonpath.New("forecast_total_price"),
			moneyCheck(billing.MustParseMoney(forecast.FloatString(2)))),
		statecheck.ExpectKnownValue("data.fptcloud_bills.last_month", tfjsonpath.New("forecast_total_price"), moneyCheck(lastMonth)),
	)
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps:                    []resource.TestStep{{Config: env.providerBlock("") + config.String(), ConfigStateChecks: checks}},
	})
}

// TestAccBills_maxItemsSaysHowMany checks that a read past max_items says
// how many lines match, as fptcloud_resource_statements does.
func TestAccBills_maxItemsSaysHowMany(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Config{})
	count := len(env.Emulator.Data.BillLines("2024-09-05", "2024-09-05"))
	if count < 2 {
		t.Fatalf("the emulator holds %d lines on 2024-09-05; the test needs more than one", count)
	}
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.providerBlock("") + `
data "fptcloud_bills" "test" {
  from      = "2024-09-05"
  to        = "2024-09-05"
  max_items = 1
}
`,
			ExpectError: errorPattern("Too many bill lines",
				fmt.Sprintf("%d bill lines match 2024-09-05..2024-09-05, more than max_items = 1.", count), "raise max_items"),
		}},
	})
}

// TestAccBills_validation checks each configuration error and its message.
func TestAccBills_validation(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Config{})
	step := func(body string, parts ...string) resource.TestStep {
		return resource.TestStep{
			Config:      env.providerBlock("") + "data \"fptcloud_bills\" \"test\" {\n" + body + "\n}\n",
			ExpectError: errorPattern(parts...),
		}
	}
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			step(`from = "2024-9-1"`, `from = "2024-9-1": the value must be a date in the form YYYY-MM-DD, such as 2024-09-01.`),
			step(`from = "2023-02-29"`, `Invalid from`, `from = "2023-02-29": the value is not a day of the calendar; write a real day of the calendar as YYYY-MM-DD, such as 2024-09-01.`),
			step(`
  from = "2024-09-10"
  to   = "2024-09-01"`, `Invalid date range`, `from (2024-09-10) is after to (2024-09-01); swap them`),
			step(`
  from = "2023-01-01"
  to   = "2024-01-02"`, `Invalid date range`, `spans 367 days, more than the 366 one read may cover`),
			step(`
  from  = "2024-09-01"
  range = "today"`, `Invalid range`, `range = "today": the value cannot be set with from`),
			step(`to = "2024-09-01"`, `Missing from or range`, `Set from, a day such as "2024-09-01"`),
			step(`
  range  = "today"
  period = "fortnight"`, `period = "fortnight": the value must be one of "hour", `),
			step(`range = "last_week"`, `range = "last_week": the value must be one of "today", `),
			step(`
  range     = "month_to_date"
  max_items = 100`, `Too many bill lines`, `bill lines match 2024-09-01..2024-09-20, more than max_items = 100`,
				`set include_items = false`),
		},
	})
}

func TestAccBills_faults(t *testing.T) {
	t.Parallel()
	config := `
data "fptcloud_bills" "test" {
  from = "2024-09-01"
}
`
	testFaultCases(t, "POST", fptapi.BillsEndpoint, config, func(env *testEnv) []statecheck.StateCheck {
		return expectLines(env.Emulator.Data.BillLines("2024-09-01", "2024-09-01"), nil).checks(t, "test")
	})
}

// TestReadBillsShared reads one range twice through one client, with
// different periods and items settings: the second read costs no request.
func TestReadBillsShared(t *testing.T) {
	env := newTestEnv(t, emulator.Config{LinesPerDay: 500})
	client, err := fptapi.New(fptapi.Config{BaseURL: env.URL, Token: testToken})
	if err != nil {
		t.Fatal(err)
	}
	q := bills.Query{From: "2024-09-01", To: "2024-09-05", Location: testPlus7, Period: billing.Day, IncludeItems: true, MaxItems: 10000}
	first, err := readBills(context.Background(), client, q)
	if err != nil {
		t.Fatal(err)
	}
	requests := env.Emulator.Requests(fptapi.BillsEndpoint)
	q.Period, q.IncludeItems = billing.Week, false
	second, err := readBills(context.Background(), client, q)
	if err != nil {
		t.Fatal(err)
	}
	if env.Emulator.Requests(fptapi.BillsEndpoint) != requests || requests != 3 {
		t.Errorf("two reads made %d requests, then %d; want 3 pages once", requests, env.Emulator.Requests(fptapi.BillsEndpoint))
	}
	if first.Summary.Total.Cmp(second.Summary.Total) != 0 || first.Summary.Count != 2500 || len(first.Items) != 2500 || second.Items != nil {
		t.Errorf("first %s over %d lines (%d items), second %s", first.Summary.Total, first.Summary.Count, len(first.Items), second.Summary.Total)
	}
}
