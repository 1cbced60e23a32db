package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

const serviceTypesConfig = `
data "fptcloud_bill_service_types" "test" {}
`

func expectServiceTypes(env *testEnv) []statecheck.StateCheck {
	objects := make([]knownvalue.Check, 0, len(env.Emulator.Data.ServiceTypes))
	names := make([]knownvalue.Check, 0, len(env.Emulator.Data.ServiceTypes))
	for _, st := range env.Emulator.Data.ServiceTypes {
		objects = append(objects, knownvalue.ObjectExact(map[string]knownvalue.Check{
			"code": knownvalue.StringExact(st.Code),
			"name": knownvalue.StringExact(st.Name),
		}))
		names = append(names, knownvalue.StringExact(st.Name))
	}
	return []statecheck.StateCheck{
		statecheck.ExpectKnownValue("data.fptcloud_bill_service_types.test", tfjsonpath.New("service_types"), knownvalue.ListExact(objects)),
		statecheck.ExpectKnownValue("data.fptcloud_bill_service_types.test", tfjsonpath.New("names"), knownvalue.ListExact(names)),
	}
}

func TestAccBillServiceTypes(t *testing.T) {
	t.Parallel()
	for _, style := range []string{"int", "bool"} {
		t.Run("status_"+style, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t, emulator.Config{StatusStyle: style})
			if len(env.Emulator.Data.ServiceTypes) == 0 {
				t.Fatal("the emulator generated no service types")
			}
			accTest(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(),
				Steps: []resource.TestStep{{
					Config:            env.providerBlock("") + serviceTypesConfig,
					ConfigStateChecks: expectServiceTypes(env),
				}},
			})
		})
	}
}

func TestAccBillServiceTypes_empty(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Config{})
	env.Emulator.Data.ServiceTypes = nil
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.providerBlock("") + serviceTypesConfig,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.fptcloud_bill_service_types.test", tfjsonpath.New("service_types"), knownvalue.ListSizeExact(0)),
				statecheck.ExpectKnownValue("data.fptcloud_bill_service_types.test", tfjsonpath.New("names"), knownvalue.ListSizeExact(0)),
			},
		}},
	})
}

func TestAccBillServiceTypes_faults(t *testing.T) {
	t.Parallel()
	testFaultCases(t, "GET", fptapi.ServiceTypesEndpoint, serviceTypesConfig, expectServiceTypes)
}
