package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
)

// TestAccCLINestedSettingErrorLine: an invalid nested setting makes Terraform
// show the line that holds it (the list element, or the nested object's
// attribute), not the first line of the data block, and the diagnostic
// names the whole path.
func TestAccCLINestedSettingErrorLine(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Config{})
	cases := map[string]struct {
		config  string
		summary string
		line    string // the configuration line Terraform must show
	}{
		"filters_op": {`
data "fptcloud_resource_statements" "test" {
  filters = [
    { key = "status", op = "eq", value = "paid" },
    { key = "amount", op = "bogus", value = "1" },
  ]
}`, "Invalid filters[1].op", `{ key = "amount", op = "bogus", value = "1" },`},
		"filters_key": {`
data "fptcloud_resource_statements" "test" {
  filters = [{ key = "", value = "vm" }]
}`, "Invalid filters[0].key", `filters = [{ key = "", value = "vm" }]`},
		"spike_factor": {`
data "fptcloud_bills" "test" {
  range = "month_to_date"
  spike_detection = {
    factor = 1
  }
}`, "Invalid spike_detection.factor", `spike_detection = {`},
		"spike_baseline_days": {`
data "fptcloud_bills" "test" {
  range           = "month_to_date"
  spike_detection = { baseline_days = 0 }
}`, "Invalid spike_detection.baseline_days", `spike_detection = { baseline_days = 0 }`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			// Terraform prints "on <file> line N, in data ...:" and then
			// "N: <that line>"; the line shown must be tc.line.
			shown := regexp.MustCompile(`(?s)` + regexp.QuoteMeta(tc.summary) + `.*line \d+, in data "fptcloud_\w+" "test":\s+\d+:\s+` +
				regexp.QuoteMeta(tc.line))
			accTest(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(),
				Steps: []resource.TestStep{{
					Config:      env.providerBlock("") + tc.config,
					ExpectError: shown,
				}},
			})
		})
	}
}
