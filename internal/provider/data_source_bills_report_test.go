package provider

import (
	"fmt"
	"math/big"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/clock"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

// containsAll checks that a string value holds each of its parts.
type containsAll []string

func (c containsAll) CheckValue(v any) error {
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("expected a string, got %T", v)
	}
	for _, part := range c {
		if !strings.Contains(s, part) {
			return fmt.Errorf("%q is not in:\n%s", part, s)
		}
	}
	return nil
}

func (c containsAll) String() string { return fmt.Sprintf("contains %q", []string(c)) }

// shareOf is amount / total as a percentage with one decimal, rounded half
// away from zero, worked out on big.Rat.
func shareOf(t *testing.T, amount, total billing.Money) string {
	t.Helper()
	a, ok1 := new(big.Rat).SetString(amount.String())
	b, ok2 := new(big.Rat).SetString(total.String())
	if !ok1 || !ok2 || b.Sign() <= 0 {
		t.Fatalf("share of %s in %s", amount, total)
	}
	tenths := new(big.Rat).Quo(a, b)
	tenths.Mul(tenths, big.NewRat(1000, 1)) // percent × 10
	tenths.Add(tenths, big.NewRat(1, 2))    // amounts are not negative: round half up
	q := new(big.Int).Quo(tenths.Num(), tenths.Denom())
	return fmt.Sprintf("%d.%d%%", q.Int64()/10, q.Int64()%10)
}

// topRows are the table rows a report must show for groups: the largest
// five, ties by name, with amount and share.
func topRows(t *testing.T, groups map[string][]string, total billing.Money) []string {
	t.Helper()
	type row struct {
		key string
		sum billing.Money
	}
	var rows []row
	for k, prices := range groups {
		rows = append(rows, row{k, sumOf(t, prices)})
	}
	sort.Slice(rows, func(i, j int) bool {
		if c := rows[i].sum.Cmp(rows[j].sum); c != 0 {
			return c > 0
		}
		return rows[i].key < rows[j].key
	})
	var out []string
	for _, r := range rows[:min(5, len(rows))] {
		amount, err := billing.Format(r.sum, "VND")
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("| %s | %s | %s |\n", strings.ReplaceAll(r.key, "|", `\|`), amount, shareOf(t, r.sum, total)))
	}
	return out
}

// TestAccBills_totalsByNameAndReport prices one named resource and checks
// the Markdown report against sums over the emulator's lines.
func TestAccBills_totalsByNameAndReport(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Config{LinesPerDay: 60})
	lines := env.Emulator.Data.BillLines("2024-09-01", "2024-09-07")
	e := expectLines(lines, nil)
	byName := map[string][]string{}
	for _, l := range lines {
		byName[l.Name] = append(byName[l.Name], l.TotalPrice.String())
	}
	if len(byName["web-01"]) == 0 || len(byName) < 6 {
		t.Fatalf("the week has %d lines of web-01 among %d names: the data does not exercise totals_by_name", len(byName["web-01"]), len(byName))
	}
	total := sumOf(t, e.prices)
	formatted, err := billing.Format(total, "VND")
	if err != nil {
		t.Fatal(err)
	}
	// The daily line has one bar a day; this week has spend every day.
	// The week is over: no forecast line and no forecast columns.
	report := containsAll{
		"### FPT Cloud spend, 2024-09-01..2024-09-07\n",
		fmt.Sprintf("- **Total:** %s over %d bill lines\n- **Final:** yes, every day of the range is closed (data through 2024-09-07)\n",
			formatted, len(lines)),
		"#### Top services\n\n| Service | Amount | Share |\n| :-- | --: | --: |\n" +
			strings.Join(topRows(t, e.byService, total), ""),
		"#### Top VPCs\n\n| VPC | Amount | Share |\n| :-- | --: | --: |\n" + strings.Join(topRows(t, e.byVPC, total), ""),
	}
	if len(e.byVPC["(none)"]) == 0 {
		t.Fatal("no line without a VPC: the data does not exercise the (none) row")
	}

	config := env.providerBlock("") + `
data "fptcloud_bills" "week" {
  from          = "2024-09-01"
  to            = "2024-09-07"
  include_items = false
}

output "web_01" {
  value = data.fptcloud_bills.week.totals_by_name["web-01"]
}

data "fptcloud_bills" "nothing" {
  from     = "2024-09-01"
  to       = "2024-09-02"
  services = ["No Such Service"]
}
`
	addr := "data.fptcloud_bills.week"
	checks := append(e.checks(t, "week"),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("totals_by_name"), moneyMapCheck(t, byName)),
		statecheck.ExpectKnownOutputValue("web_01", moneyCheck(sumOf(t, byName["web-01"]))),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("total_price"), moneyCheck(total)),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("summary_markdown"), report),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("is_final"), knownvalue.Bool(true)),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("data_through"), knownvalue.StringExact("2024-09-07")),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("read_at"), knownvalue.StringExact("2024-09-20T10:00:00+07:00")),

		statecheck.ExpectKnownValue("data.fptcloud_bills.nothing", tfjsonpath.New("item_count"), knownvalue.Int64Exact(0)),
		statecheck.ExpectKnownValue("data.fptcloud_bills.nothing", tfjsonpath.New("totals_by_name"), knownvalue.MapSizeExact(0)),
		statecheck.ExpectKnownValue("data.fptcloud_bills.nothing", tfjsonpath.New("data_through"), knownvalue.Null()),
		statecheck.ExpectKnownValue("data.fptcloud_bills.nothing", tfjsonpath.New("summary_markdown"), containsAll{
			"- **Total:** 0 VND over 0 bill lines\n",
			"- **Final:** yes, every day of the range is closed (no lines yet)\n",
			"- **Daily spend:** `▁▁`\n",
			"#### Top services\n\nNo spend.\n",
		}),
	)
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps:                    []resource.TestStep{{Config: config, ConfigStateChecks: checks}},
	})
}

// TestAccBills_reportDailyLine checks the daily spend line: one bar a day
// of the range, the highest day full, whatever the period.
func TestAccBills_reportDailyLine(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Config{LinesPerDay: 4})
	// A large fee on the third day makes it the highest by far: the other
	// days are under 1/14 of it and show the lowest bar.
	env.Emulator.Data.Bills.Extra = []fptapi.BillLine{
		{Day: "2024-09-03", StartTime: "2024-09-03 12:00:00", Service: "Instance", Name: "one-off", TotalPrice: "987654321098.5"},
	}
	days := map[string][]string{}
	for _, l := range env.Emulator.Data.BillLines("2024-09-01", "2024-09-04") {
		day := lineStart(t, l, testPlus7).Format(time.DateOnly)
		days[day] = append(days[day], l.TotalPrice.String())
	}
	peak := sumOf(t, days["2024-09-03"])
	for _, d := range []string{"2024-09-01", "2024-09-02", "2024-09-04"} {
		if len(days[d]) == 0 || new(big.Rat).Mul(sumOf(t, days[d]).Rat(), big.NewRat(14, 1)).Cmp(peak.Rat()) >= 0 {
			t.Fatalf("%s: the data does not make 2024-09-03 the highest day", d)
		}
	}
	highest, err := billing.Format(peak, "VND")
	if err != nil {
		t.Fatal(err)
	}
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.providerBlock("") + `
data "fptcloud_bills" "test" {
  from          = "2024-09-01"
  to            = "2024-09-04"
  period        = "month"
  include_items = false
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.fptcloud_bills.test", tfjsonpath.New("summary_markdown"), containsAll{
					"- **Daily spend:** `▁▁█▁` (highest: " + highest + " on 2024-09-03)\n",
				}),
			},
		}},
	})
}

// freshnessStep reads a range ending on 2024-09-20 and a preset at now in zone.
func freshnessStep(env *testEnv, zone string, final bool, readAt string) resource.TestStep {
	return resource.TestStep{
		Config: env.providerBlock(fmt.Sprintf("time_zone = %q", zone)) + `
data "fptcloud_bills" "test" {
  from          = "2024-09-19"
  to            = "2024-09-20"
  include_items = false
}
`,
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue("data.fptcloud_bills.test", tfjsonpath.New("is_final"), knownvalue.Bool(final)),
			statecheck.ExpectKnownValue("data.fptcloud_bills.test", tfjsonpath.New("data_through"), knownvalue.StringExact("2024-09-20")),
			statecheck.ExpectKnownValue("data.fptcloud_bills.test", tfjsonpath.New("read_at"), knownvalue.StringExact(readAt)),
		},
	}
}

// TestAccBills_freshness checks is_final on the fixed clock (yesterday is
// over but not closed), and that it turns true exactly at midnight two days
// after `to` in the provider's time zone, when the day cache counts `to` as
// closed.
func TestAccBills_freshness(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Config{LinesPerDay: 4})
	presets := map[string]bool{"yesterday": false, "last_month": true, "today": false, "month_to_date": false, "last_7_days": false}
	var config strings.Builder
	var checks []statecheck.StateCheck
	for preset, final := range presets {
		fmt.Fprintf(&config, "\ndata \"fptcloud_bills\" %q {\n  range         = %q\n  include_items = false\n}\n", preset, preset)
		checks = append(checks, statecheck.ExpectKnownValue("data.fptcloud_bills."+preset, tfjsonpath.New("is_final"), knownvalue.Bool(final)))
	}
	config.WriteString(`
data "fptcloud_bills" "after_today" {
  from          = "2024-09-20"
  to            = "2024-09-30"
  include_items = false
}
`)
	checks = append(checks,
		statecheck.ExpectKnownValue("data.fptcloud_bills.after_today", tfjsonpath.New("is_final"), knownvalue.Bool(false)),
		statecheck.ExpectKnownValue("data.fptcloud_bills.yesterday", tfjsonpath.New("data_through"), knownvalue.StringExact("2024-09-19")),
		statecheck.ExpectKnownValue("data.fptcloud_bills.yesterday", tfjsonpath.New("summary_markdown"),
			containsAll{"(data through 2024-09-19)"}),
		statecheck.ExpectKnownValue("data.fptcloud_bills.today", tfjsonpath.New("summary_markdown"),
			containsAll{"- **Final:** no, the range is not closed and its figures can still change (data through 2024-09-20)\n"}),
	)
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps:                    []resource.TestStep{{Config: env.providerBlock("") + config.String(), ConfigStateChecks: checks}},
	})

	// 2024-09-20 is closed at 00:00 on the 22nd: 17:00 UTC on the 21st at
	// +07:00, seven hours before it is in UTC. On the 21st it is over, not
	// closed.
	cases := []struct {
		now    time.Time
		zone   string
		final  bool
		readAt string
	}{
		{time.Date(2024, 9, 20, 17, 0, 0, 0, time.UTC), "+07:00", false, "2024-09-21T00:00:00+07:00"},
		{time.Date(2024, 9, 21, 16, 59, 59, 0, time.UTC), "+07:00", false, "2024-09-21T23:59:59+07:00"},
		{time.Date(2024, 9, 21, 17, 0, 0, 0, time.UTC), "+07:00", true, "2024-09-22T00:00:00+07:00"},
		{time.Date(2024, 9, 21, 17, 0, 0, 0, time.UTC), "UTC", false, "2024-09-21T17:00:00Z"},
		{time.Date(2024, 9, 21, 23, 59, 59, 0, time.UTC), "UTC", false, "2024-09-21T23:59:59Z"},
		{time.Date(2024, 9, 22, 0, 0, 0, 0, time.UTC), "UTC", true, "2024-09-22T00:00:00Z"},
	}
	for _, tc := range cases {
		env.Clock = clock.Fixed(tc.now)
		accTest(t, resource.TestCase{
			ProtoV6ProviderFactories: env.factories(),
			Steps:                    []resource.TestStep{freshnessStep(env, tc.zone, tc.final, tc.readAt)},
		})
	}
}
