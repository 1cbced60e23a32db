package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/bills"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/memo"
)

// TestAccBills_longRangeReadOnce reads year_to_date (over 10,000 lines,
// more than the client keeps) from three data sources in one plan: the
// second and third reads cost no API call, so the plan makes the requests
// of one data source alone.
func TestAccBills_longRangeReadOnce(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Config{})
	lines := env.Emulator.Data.BillLines("2024-01-01", "2024-09-20")
	if len(lines) <= 10_000 {
		t.Fatalf("the range has %d lines; the test needs more than the client keeps", len(lines))
	}
	read := func(name string) string {
		return fmt.Sprintf(`
data "fptcloud_bills" %q {
  range         = "year_to_date"
  include_items = false
}
`, name)
	}
	run := func(config string, checks ...statecheck.StateCheck) int64 {
		before := env.Emulator.Requests(fptapi.BillsEndpoint)
		accTest(t, resource.TestCase{
			ProtoV6ProviderFactories: env.factories(),
			Steps:                    []resource.TestStep{{Config: env.providerBlock("") + config, ConfigStateChecks: checks}},
		})
		return env.Emulator.Requests(fptapi.BillsEndpoint) - before
	}
	one := run(read("a"), expectLines(lines, nil).checks(t, "a")...)
	three := run(read("a")+read("b")+read("c"), append(expectLines(lines, nil).checks(t, "c"),
		statecheck.CompareValuePairs("data.fptcloud_bills.a", tfjsonpath.New("periods"),
			"data.fptcloud_bills.b", tfjsonpath.New("periods"), compare.ValuesSame()))...)
	if one == 0 || three != one {
		t.Errorf("three data sources over one range made %d requests where one made %d", three, one)
	}
}

func TestProviderBillsCache(t *testing.T) {
	env := newTestEnv(t, emulator.Config{LinesPerDay: 300})
	client, err := fptapi.New(fptapi.Config{BaseURL: env.URL, Token: testToken})
	if err != nil {
		t.Fatal(err)
	}
	data := &providerData{client: client, billSummaries: memo.New[*bills.Result](billSummaryEntries)}
	q := bills.Query{From: "2024-08-01", To: "2024-09-10", Location: testPlus7, Period: billing.Week, MaxItems: defaultBillsMaxItems}
	requests := func() int64 { return env.Emulator.Requests(fptapi.BillsEndpoint) }

	first, err := data.bills(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	one := requests()
	if first.Summary.Count != 41*300 || one != 13 {
		t.Fatalf("first read: %d lines in %d requests, want %d in 13", first.Summary.Count, one, 41*300)
	}
	again, err := data.bills(context.Background(), q)
	if err != nil || again != first || requests() != one {
		t.Fatalf("second read: %v, shared %v, %d more requests", err, again == first, requests()-one)
	}

	// Whatever shapes the result is part of the key.
	for name, change := range map[string]func(*bills.Query){
		"period":   func(q *bills.Query) { q.Period = billing.Day },
		"to":       func(q *bills.Query) { q.To = "2024-09-09" },
		"zone":     func(q *bills.Query) { q.Location = time.UTC },
		"services": func(q *bills.Query) { q.Services = []string{"Instance", "Storage"} },
		"vpcs":     func(q *bills.Query) { q.VPCNames = []string{billing.NoneKey} },
		"tags":     func(q *bills.Query) { q.Tags = []string{"env:prod"} },
	} {
		other := q
		change(&other)
		if other.CacheKey() == q.CacheKey() {
			t.Errorf("changing %s keeps the cache key", name)
		}
	}
	other := q
	other.Services = []string{"Instance\x00Storage"}
	split := q
	split.Services = []string{"Instance", "Storage"}
	if other.CacheKey() == split.CacheKey() {
		t.Error("two lists of services share a cache key")
	}

	// A read that keeps its items is never kept here: the client streams
	// ranges this long again.
	q.IncludeItems = true
	withItems, err := data.bills(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if requests() != 2*one || len(withItems.Items) != int(first.Summary.Count) || data.billSummaries.Len() != 1 {
		t.Errorf("a read with items made %d requests (want %d) and left %d cached results", requests()-one, one, data.billSummaries.Len())
	}
}

// TestAccBills_yearStateSize reads a year at 1000 lines a day with
// include_items = false and measures the data source's state: it must stay
// under 100 KB.
func TestAccBills_yearStateSize(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("reads 366,000 bill lines")
	}
	env := newTestEnv(t, emulator.Config{LinesPerDay: 1000})
	var size int
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.providerBlock(`time_zone = "Asia/Ho_Chi_Minh"`) + `
data "fptcloud_bills" "year" {
  from          = "2023-09-21"
  to            = "2024-09-20"
  include_items = false
}
`,
			ConfigStateChecks: []statecheck.StateCheck{stateSize("data.fptcloud_bills.year", &size)},
		}},
	})
	t.Logf("state of a year without items: %d bytes", size)
	if size == 0 || size >= 100_000 {
		t.Errorf("the state of a year without items is %d bytes; want more than 0 and under 100 KB", size)
	}
}

// stateSize records the size of the JSON of a resource's attributes in state.
func stateSize(addr string, size *int) statecheck.StateCheck {
	return stateSizeCheck{addr: addr, size: size}
}

type stateSizeCheck struct {
	addr string
	size *int
}

func (c stateSizeCheck) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	if req.State == nil || req.State.Values == nil || req.State.Values.RootModule == nil {
		resp.Error = fmt.Errorf("no state")
		return
	}
	for _, r := range req.State.Values.RootModule.Resources {
		if r.Address != c.addr {
			continue
		}
		raw, err := json.Marshal(r.AttributeValues)
		if err != nil {
			resp.Error = err
			return
		}
		*c.size = len(raw)
		return
	}
	resp.Error = fmt.Errorf("%s is not in state", c.addr)
}
