package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
)

// TestAccFunctions_topTotals sorts amounts that Terraform's sort (strings)
// and binary floating point both get wrong: 9 before 10, two amounts that
// differ in the 20th digit, a credit, equal amounts by key; and keeps every
// digit through tostring.
func TestAccCLIFunctions_topTotals(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Config{})
	entry := func(key, amount string) knownvalue.Check {
		return knownvalue.ObjectExact(map[string]knownvalue.Check{"key": knownvalue.StringExact(key), "amount": numberCheck(t, amount)})
	}
	accTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{skipWithoutProviderFunctions},
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: `
locals {
  totals = {
    "nine"     = 9
    "ten"      = 10
    "máy-chủ"  = 1234567890123456789.01
    "バケット" = 1234567890123456789.001
    "credit"   = -2.5
    "b-equal"  = 7
    "a-equal"  = 7
  }
}
output "top3" { value = provider::fptcloud::top_totals(local.totals, 3) }
output "all"  { value = [for e in provider::fptcloud::top_totals(local.totals, 100) : e.key] }
output "none" { value = provider::fptcloud::top_totals(local.totals, 0) }
output "text" { value = [for e in provider::fptcloud::top_totals(local.totals, 2) : tostring(e.amount)] }
output "empty" { value = provider::fptcloud::top_totals({}, 5) }
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("top3", knownvalue.ListExact([]knownvalue.Check{
					entry("máy-chủ", "1234567890123456789.01"), entry("バケット", "1234567890123456789.001"), entry("ten", "10"),
				})),
				statecheck.ExpectKnownOutputValue("all", knownvalue.ListExact([]knownvalue.Check{
					knownvalue.StringExact("máy-chủ"), knownvalue.StringExact("バケット"), knownvalue.StringExact("ten"),
					knownvalue.StringExact("nine"), knownvalue.StringExact("a-equal"), knownvalue.StringExact("b-equal"),
					knownvalue.StringExact("credit"),
				})),
				statecheck.ExpectKnownOutputValue("none", knownvalue.ListExact([]knownvalue.Check{})),
				statecheck.ExpectKnownOutputValue("text", knownvalue.ListExact([]knownvalue.Check{
					knownvalue.StringExact("1234567890123456789.01"), knownvalue.StringExact("1234567890123456789.001"),
				})),
				statecheck.ExpectKnownOutputValue("empty", knownvalue.ListExact([]knownvalue.Check{})),
			},
		}},
	})
	for name, tc := range map[string]struct {
		expr string
		want []string
	}{
		"negative_n":  {`provider::fptcloud::top_totals({ a = 1 }, -1)`, []string{`"n" parameter: n is -1`, "0 or more"}},
		"null_amount": {`provider::fptcloud::top_totals({ a = 1, b = null }, 1)`, []string{`"totals"`, "null"}},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			accTest(t, resource.TestCase{
				TerraformVersionChecks:   []tfversion.TerraformVersionCheck{skipWithoutProviderFunctions},
				ProtoV6ProviderFactories: env.factories(),
				Steps:                    []resource.TestStep{{Config: `output "x" { value = ` + tc.expr + ` }`, ExpectError: errorPattern(tc.want...)}},
			})
		})
	}
}
