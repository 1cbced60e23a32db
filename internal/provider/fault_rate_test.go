package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

// captureState is a state check that records every data source's
// attributes as JSON, keyed by address, so that two runs can be compared
// byte for byte. Terraform's JSON state keeps numbers as their exact text,
// so totals are compared to the last digit.
type captureState struct {
	values map[string]json.RawMessage
}

func (c *captureState) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	if req.State == nil || req.State.Values == nil || req.State.Values.RootModule == nil {
		resp.Error = errors.New("the state has no root module")
		return
	}
	c.values = map[string]json.RawMessage{}
	for _, r := range req.State.Values.RootModule.Resources {
		raw, err := json.Marshal(r.AttributeValues)
		if err != nil {
			resp.Error = fmt.Errorf("%s: %w", r.Address, err)
			return
		}
		c.values[r.Address] = raw
	}
}

// faultRateCase is one configuration read through a clean emulator and
// through one that fails a fifth of the requests with transient faults.
type faultRateCase struct {
	name     string
	emulator emulator.Config
	endpoint string // where the scripted faults go
	config   string
	nonEmpty map[string]string // address -> a JSON fragment its clean state must hold
}

// readWithFaults reads tc.config against an emulator and returns the
// captured state and how many requests the emulator saw. With faults, the
// emulator fails each request with probability 0.2, drawing from every
// transient kind with its own seeded generator, after first serving one
// fault of each transient kind in a row to tc.endpoint, so that every kind
// is met at least once whatever the random draws. max_retries = 20 outlasts
// the scripted run of faults plus any plausible random streak (a request
// fails 12 more times in a row with probability 0.2^12, about 4e-9).
func readWithFaults(t *testing.T, tc faultRateCase, faults bool) (map[string]json.RawMessage, int64) {
	t.Helper()
	cfg := tc.emulator
	// Under a second, Retry-After is sent as "0" and the client's own short
	// backoff applies; the HTTP-date form still asks for up to a second.
	cfg.RetryAfter = time.Millisecond
	if faults {
		cfg.Seed = 1 // the data's seed: the same data in both runs
		cfg.FaultRate = 0.2
		cfg.Faults = emulator.TransientFaults
	}
	env := newTestEnv(t, cfg)
	if faults {
		env.Emulator.InjectFaults(tc.endpoint, emulator.TransientFaults...)
	}
	captured := &captureState{}
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config:            env.providerBlock("max_retries = 20") + tc.config,
			ConfigStateChecks: []statecheck.StateCheck{captured},
		}},
	})
	return captured.values, env.Emulator.TotalRequests()
}

func faultRateCases() []faultRateCase {
	// 12 lines a day for 90 days is 1080 lines: two POST pages, or 90 GETs.
	bills := `
data "fptcloud_bills" "quarter" {
  from          = "2024-06-22"
  to            = "2024-09-19"
  period        = "week"
  include_items = false
}

data "fptcloud_bills" "items" {
  from     = "2024-09-15"
  to       = "2024-09-19"
  services = ["Instance", "Storage"]
}

data "fptcloud_bills" "month" {
  range         = "month_to_date"
  include_items = false
}
`
	billsNonEmpty := map[string]string{
		"data.fptcloud_bills.quarter": `"item_count":1080`,
		"data.fptcloud_bills.items":   `"items":[{`,
		"data.fptcloud_bills.month":   `"forecast_total_price":`,
	}
	return []faultRateCase{
		{
			name: "bill_info", endpoint: fptapi.BillInfoEndpoint,
			config:   `data "fptcloud_bill_info" "test" {}`,
			nonEmpty: map[string]string{"data.fptcloud_bill_info.test": `"billing_groups":[{`},
		},
		{
			name: "bill_service_types", endpoint: fptapi.ServiceTypesEndpoint,
			config:   `data "fptcloud_bill_service_types" "test" {}`,
			nonEmpty: map[string]string{"data.fptcloud_bill_service_types.test": `"service_types":[{`},
		},
		{
			name: "bills_paging", endpoint: fptapi.BillsEndpoint,
			emulator: emulator.Config{LinesPerDay: 12},
			config:   bills, nonEmpty: billsNonEmpty,
		},
		{
			name: "bills_by_date", endpoint: fptapi.BillsEndpoint,
			emulator: emulator.Config{LinesPerDay: 12, DeprecatedOnly: true},
			config:   bills, nonEmpty: billsNonEmpty,
		},
		{
			name: "resource_statements", endpoint: fptapi.StatementsEndpoint,
			emulator: emulator.Config{Statements: 300},
			config: `
data "fptcloud_resource_statements" "all" {
  page_size = 25
}

data "fptcloud_resource_statements" "unpaid_vms" {
  resource_type = "vm"
  status        = "unpaid"
  sort_field    = "amount"
  sort_order    = "desc"
  page_size     = 10
}
`,
			nonEmpty: map[string]string{
				"data.fptcloud_resource_statements.all":        `"statements":[{`,
				"data.fptcloud_resource_statements.unpaid_vms": `"statements":[{`,
			},
		},
	}
}

// TestAccFaultRate_stateIdentity reads every data source against a clean
// emulator and against one that fails 20% of the requests with every kind
// of transient fault the client retries (429 with either form of
// Retry-After, 502, 503, 504, a proxy's HTML 502, a reset connection and a
// 200 whose body is cut short), and requires the two states to be
// byte-identical.
func TestAccFaultRate_stateIdentity(t *testing.T) {
	t.Parallel()
	var paging, byDate map[string]json.RawMessage
	for _, tc := range faultRateCases() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			clean, cleanRequests := readWithFaults(t, tc, false)
			faulty, faultyRequests := readWithFaults(t, tc, true)
			for addr, fragment := range tc.nonEmpty {
				if !bytes.Contains(clean[addr], []byte(fragment)) {
					t.Fatalf("%s holds no %s: the comparison would prove nothing\n%.400s", addr, fragment, clean[addr])
				}
			}
			if len(clean) != len(faulty) {
				t.Fatalf("%d data sources in the clean state, %d in the faulty one", len(clean), len(faulty))
			}
			for _, addr := range sortedKeys(clean) {
				if !bytes.Equal(clean[addr], faulty[addr]) {
					t.Errorf("%s differs under faults:\nclean:  %.600s\nfaulty: %.600s", addr, clean[addr], faulty[addr])
				}
			}
			if least := cleanRequests + int64(len(emulator.TransientFaults)); faultyRequests < least {
				t.Errorf("the faulty emulator saw %d requests, want at least %d (the clean run's %d plus one per scripted fault)",
					faultyRequests, least, cleanRequests)
			}
			t.Logf("%d requests clean, %d with faults", cleanRequests, faultyRequests)
			switch tc.name {
			case "bills_paging":
				paging = clean
			case "bills_by_date":
				byDate = clean
			}
		})
	}
	t.Cleanup(func() {
		// Both bill endpoints must give the same state, too.
		if paging == nil || byDate == nil || t.Failed() {
			return
		}
		for addr, v := range paging {
			if !bytes.Equal(v, byDate[addr]) {
				t.Errorf("%s differs between the paging endpoint and the per-day fallback", addr)
			}
		}
	})
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
