package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

// oneSnapshot is a state check that the totals of a fptcloud_bills data
// source are those of the emulator's lines at one instant: item_count,
// total_price and totals_by_service all from the same arrival count. It
// records the instant it found.
type oneSnapshot struct {
	t        *testing.T
	addr     string
	emulator *emulator.Server
	from, to string
	found    *int
}

func (c oneSnapshot) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	if req.State == nil || req.State.Values == nil || req.State.Values.RootModule == nil {
		resp.Error = fmt.Errorf("no state")
		return
	}
	var attrs map[string]any
	for _, r := range req.State.Values.RootModule.Resources {
		if r.Address == c.addr {
			attrs = r.AttributeValues
		}
	}
	if attrs == nil {
		resp.Error = fmt.Errorf("%s is not in state", c.addr)
		return
	}
	count, err := stateNumber(attrs["item_count"])
	if err != nil {
		resp.Error = fmt.Errorf("item_count: %w", err)
		return
	}
	total, err := stateNumber(attrs["total_price"])
	if err != nil {
		resp.Error = fmt.Errorf("total_price: %w", err)
		return
	}
	byService, _ := attrs["totals_by_service"].(map[string]any)
	for v := c.emulator.Data.Bills.Arrived(); v >= 0; v-- {
		e := expectLines(c.emulator.Data.Bills.RangeAt(c.from, c.to, v), nil)
		if count.Cmp(big.NewFloat(float64(len(e.lines)))) != 0 || total.Cmp(shown(sumOf(c.t, e.prices).BigFloat())) != 0 ||
			len(byService) != len(e.byService) {
			continue
		}
		same := true
		for service, prices := range e.byService {
			got, err := stateNumber(byService[service])
			if err != nil || got.Cmp(shown(sumOf(c.t, prices).BigFloat())) != 0 {
				same = false
			}
		}
		if same {
			*c.found = v
			return
		}
	}
	resp.Error = fmt.Errorf("%s: item_count %s and total_price %s are the emulator's data at no instant (%d lines arrived)",
		c.addr, count.Text('f', -1), total.Text('f', -1), c.emulator.Data.Bills.Arrived())
}

// stateNumber reads a number of the JSON state, keeping its exact text.
func stateNumber(v any) (*big.Float, error) {
	var text string
	switch n := v.(type) {
	case json.Number:
		text = n.String()
	case float64:
		text = fmt.Sprint(n)
	default:
		return nil, fmt.Errorf("%v (%T) is not a number", v, v)
	}
	f, _, err := big.ParseFloat(text, 10, 512, big.ToNearestEven)
	return f, err
}

// TestAccBills_monthToDateWhileLinesArrive reads month_to_date while the
// current day's lines arrive, shifting every later line across pages,
// until they stop: the read starts again each time it sees the data move,
// and its totals are those of one instant of the data. The large range is
// streamed page by page (its totals without items); the small one is read
// whole with items.
func TestAccBills_monthToDateWhileLinesArrive(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name         string
		linesPerDay  int
		includeItems bool
	}{
		{"streamed_totals", 600, false}, // 19 days and today's lines to 10:00, 11651 lines in 12 pages
		{"whole_with_items", 53, true},  // 19 days and today's lines to 10:00, 1030 lines in 2 pages
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// The same plan against data that holds still: how many requests it costs.
			still := newTestEnv(t, emulator.Config{LinesPerDay: tc.linesPerDay})
			found := -1
			runMonthToDate(t, still, tc.includeItems, &found)
			baseline := still.Emulator.RequestsOf(http.MethodPost, fptapi.BillsEndpoint)

			// "Today" is 2024-09-20 (testNow): its lines are the ones arriving.
			env := newTestEnv(t, emulator.Config{LinesPerDay: tc.linesPerDay, ArriveEvery: 2, Arrivals: 3, ArrivalDay: "2024-09-20"})
			runMonthToDate(t, env, tc.includeItems, &found)
			posts := env.Emulator.RequestsOf(http.MethodPost, fptapi.BillsEndpoint)
			t.Logf("the state is the data after %d of %d arrivals; %d POST requests, %d when the data holds still",
				found, env.Emulator.Data.Bills.Arrived(), posts, baseline)
			if env.Emulator.Data.Bills.Arrived() != 3 {
				t.Errorf("%d lines arrived, want 3: the read ended before the data held still", env.Emulator.Data.Bills.Arrived())
			}
			// The second request of the first read brings a line: that read
			// must have started again, costing more than reads of still data.
			if posts <= baseline {
				t.Errorf("%d POST requests, no more than the %d of data that holds still: the read never started again", posts, baseline)
			}
		})
	}
}

// runMonthToDate plans a month_to_date read against env and checks that
// its totals are the data of one instant.
func runMonthToDate(t *testing.T, env *testEnv, includeItems bool, found *int) {
	t.Helper()
	checks := []statecheck.StateCheck{
		statecheck.ExpectKnownValue("data.fptcloud_bills.mtd", tfjsonpath.New("from"), knownvalue.StringExact("2024-09-01")),
		statecheck.ExpectKnownValue("data.fptcloud_bills.mtd", tfjsonpath.New("to"), knownvalue.StringExact("2024-09-20")),
		oneSnapshot{t: t, addr: "data.fptcloud_bills.mtd", emulator: env.Emulator, from: "2024-09-01", to: "2024-09-20", found: found},
	}
	if includeItems {
		// The items are the lines summed: as many as item_count says.
		checks = append(checks, statecheck.CompareValuePairs("data.fptcloud_bills.mtd", tfjsonpath.New("item_count"),
			"data.fptcloud_bills.mtd", tfjsonpath.New("items"), lengthEquals{}))
	}
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.providerBlock("") + fmt.Sprintf(`
data "fptcloud_bills" "mtd" {
  range         = "month_to_date"
  include_items = %v
  # The range's read alone: the complete_days forecast also reads the days
  # before the range at the same time, and which read a line's arrival
  # then interrupts would depend on timing.
  forecast_method = "linear"
}

check "budget" {
  assert {
    condition     = data.fptcloud_bills.mtd.total_price > 0
    error_message = "No cost this month."
  }
}
`, includeItems),
			ConfigStateChecks: checks,
		}},
	})
}

// lengthEquals compares a number with the length of a list.
type lengthEquals struct{}

func (lengthEquals) CompareValues(values ...any) error {
	if len(values) != 2 {
		return fmt.Errorf("want 2 values, got %d", len(values))
	}
	n, err := stateNumber(values[0])
	if err != nil {
		return err
	}
	list, ok := values[1].([]any)
	if !ok {
		return fmt.Errorf("%T is not a list", values[1])
	}
	if n.Cmp(big.NewFloat(float64(len(list)))) != 0 {
		return fmt.Errorf("item_count is %s but there are %d items", n.Text('f', -1), len(list))
	}
	return nil
}

// statementsSnapshot is a state check that a fptcloud_resource_statements
// data source holds the emulator's statements of one instant: its
// item_count, total and total_amount all from the same arrival count.
type statementsSnapshot struct {
	t        *testing.T
	addr     string
	emulator *emulator.Server
}

func (c statementsSnapshot) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	if req.State == nil || req.State.Values == nil || req.State.Values.RootModule == nil {
		resp.Error = fmt.Errorf("no state")
		return
	}
	var attrs map[string]any
	for _, r := range req.State.Values.RootModule.Resources {
		if r.Address == c.addr {
			attrs = r.AttributeValues
		}
	}
	values := map[string]*big.Float{}
	for _, name := range []string{"item_count", "total", "total_amount"} {
		n, err := stateNumber(attrs[name])
		if err != nil {
			resp.Error = fmt.Errorf("%s %s: %w", c.addr, name, err)
			return
		}
		values[name] = n
	}
	for v := c.emulator.StatementsArrived(); v >= 0; v-- {
		list := c.emulator.StatementsAt(v)
		amounts := make([]string, len(list))
		for i, st := range list {
			amounts[i] = st.Amount.String()
		}
		n := big.NewFloat(float64(len(list)))
		if values["item_count"].Cmp(n) == 0 && values["total"].Cmp(n) == 0 &&
			values["total_amount"].Cmp(shown(sumOf(c.t, amounts).BigFloat())) == 0 {
			return
		}
	}
	resp.Error = fmt.Errorf("%s: item_count %s, total %s and total_amount %s are the emulator's statements at no instant",
		c.addr, values["item_count"].Text('f', -1), values["total"].Text('f', -1), values["total_amount"].Text('f', -1))
}

// TestAccResourceStatements_whileStatementsArrive reads every statement
// while new ones arrive first in the default order, shifting every page,
// until they stop: the totals are those of one instant.
func TestAccResourceStatements_whileStatementsArrive(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Config{Statements: 450, ArriveEvery: 2, Arrivals: 3})
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.providerBlock("") + `
data "fptcloud_resource_statements" "all" {
  page_size = 100
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statementsSnapshot{t: t, addr: "data.fptcloud_resource_statements.all", emulator: env.Emulator},
			},
		}},
	})
	if got := env.Emulator.StatementsArrived(); got != 3 {
		t.Errorf("%d statements arrived, want 3", got)
	}
}
