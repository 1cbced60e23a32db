package provider

import (
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

const billInfoConfig = `
data "fptcloud_bill_info" "test" {}
`

// expectBillingGroups is what the state must hold for groups.
func expectBillingGroups(groups []fptapi.BillingGroup) (knownvalue.Check, knownvalue.Check) {
	objects := make([]knownvalue.Check, 0, len(groups))
	names := make([]knownvalue.Check, 0, len(groups))
	for _, g := range groups {
		configs := make([]knownvalue.Check, 0, len(g.ConfigNames))
		for _, c := range g.ConfigNames {
			configs = append(configs, knownvalue.StringExact(c))
		}
		objects = append(objects, knownvalue.ObjectExact(map[string]knownvalue.Check{
			"name":         knownvalue.StringExact(g.Name),
			"config_names": knownvalue.ListExact(configs),
		}))
		names = append(names, knownvalue.StringExact(g.Name))
	}
	return knownvalue.ListExact(objects), knownvalue.ListExact(names)
}

func TestAccBillInfo(t *testing.T) {
	t.Parallel()
	for _, style := range []string{"int", "bool"} {
		t.Run("status_"+style, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t, emulator.Config{StatusStyle: style})
			if len(env.Emulator.Data.BillingGroups) == 0 {
				t.Fatal("the emulator generated no billing groups")
			}
			groups, names := expectBillingGroups(env.Emulator.Data.BillingGroups)
			accTest(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(),
				Steps: []resource.TestStep{{
					Config: env.providerBlock("") + billInfoConfig,
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue("data.fptcloud_bill_info.test", tfjsonpath.New("billing_groups"), groups),
						statecheck.ExpectKnownValue("data.fptcloud_bill_info.test", tfjsonpath.New("group_names"), names),
					},
				}},
			})
		})
	}
}

func TestAccBillInfo_empty(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Config{})
	env.Emulator.Data.BillingGroups = nil
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.providerBlock("") + billInfoConfig,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.fptcloud_bill_info.test", tfjsonpath.New("billing_groups"), knownvalue.ListSizeExact(0)),
				statecheck.ExpectKnownValue("data.fptcloud_bill_info.test", tfjsonpath.New("group_names"), knownvalue.ListSizeExact(0)),
			},
		}},
	})
}

// TestAccBillInfo_faults runs the data source against each API fault and
// checks the diagnostic a user sees, or that a retry recovers.
func TestAccBillInfo_faults(t *testing.T) {
	t.Parallel()
	testFaultCases(t, "GET", fptapi.BillInfoEndpoint, billInfoConfig, func(env *testEnv) []statecheck.StateCheck {
		groups, _ := expectBillingGroups(env.Emulator.Data.BillingGroups)
		return []statecheck.StateCheck{
			statecheck.ExpectKnownValue("data.fptcloud_bill_info.test", tfjsonpath.New("billing_groups"), groups),
		}
	})
}

// TestAccBillInfo_readTimeout stalls the API past the data source's own
// read timeout: the read must end at the deadline with advice, not hang.
func TestAccBillInfo_readTimeout(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Config{SlowDelay: time.Minute})
	env.Emulator.InjectFaults(fptapi.BillInfoEndpoint, emulator.FaultSlow)
	start := time.Now() // elapsed time, not a date
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.providerBlock("") + `
data "fptcloud_bill_info" "test" {
  timeouts {
    read = "2s"
  }
}
`,
			ExpectError: errorPattern("Timed out reading billing groups", "context deadline exceeded", "timeouts { read }"),
		}},
	})
	if elapsed := time.Since(start); elapsed > 20*time.Second {
		t.Errorf("the read took %v: the 2s read timeout did not bound it", elapsed)
	}
}
