package provider

import (
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

// TestAccReadTimeout stalls each endpoint past its data source's read
// timeout: every read must end at its deadline with advice, not hang, and
// the retries must not outlive it.
func TestAccReadTimeout(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, endpoint, config, what string
	}{
		{"service_types", fptapi.ServiceTypesEndpoint, `
data "fptcloud_bill_service_types" "test" {
  timeouts {
    read = "2s"
  }
}
`, "Timed out reading service types"},
		{"bills", fptapi.BillsEndpoint, `
data "fptcloud_bills" "test" {
  from = "2024-09-01"
  timeouts {
    read = "2s"
  }
}
`, "Timed out reading bills of 2024-09-01..2024-09-01"},
		{"resource_statements", fptapi.StatementsEndpoint, `
data "fptcloud_resource_statements" "test" {
  timeouts {
    read = "2s"
  }
}
`, "Timed out reading resource statements"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t, emulator.Config{SlowDelay: time.Minute})
			// A stalled request, then more of them: a retry must not start a
			// fresh wait past the deadline.
			env.Emulator.InjectFaults(tc.endpoint, repeatFault(emulator.FaultSlow, 5)...)
			start := time.Now() // elapsed time, not a date
			accTest(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(),
				Steps: []resource.TestStep{{
					Config:      env.providerBlock("max_retries = 4") + tc.config,
					ExpectError: errorPattern(tc.what, "context deadline exceeded", "timeouts { read }"),
				}},
			})
			if elapsed := time.Since(start); elapsed > 20*time.Second {
				t.Errorf("the read took %v: the 2s read timeout did not bound it", elapsed)
			}
		})
	}
}
