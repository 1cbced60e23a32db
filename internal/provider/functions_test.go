package provider

import (
	"math/big"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
)

// TestAccCLIFunctions evaluates the money functions in Terraform, on values
// that binary floating point gets wrong.
func TestAccCLIFunctions(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Config{})
	exact := func(text string) knownvalue.Check {
		f, _, err := big.ParseFloat(text, 10, 512, big.ToNearestEven)
		if err != nil {
			t.Fatal(err)
		}
		return knownvalue.NumberExact(f)
	}
	accTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{skipWithoutProviderFunctions},
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: `
output "vnd"          { value = provider::fptcloud::format_money(12345678.5, "VND") }
output "usd"          { value = provider::fptcloud::format_money(1234.5, "USD") }
output "product"      { value = provider::fptcloud::format_money(12345678.9 * 3, "USD") }
output "negative"     { value = provider::fptcloud::format_money(-0.125, "USD") }
output "third"        { value = provider::fptcloud::percent_of(1, 3) }
output "float_trap"   { value = provider::fptcloud::percent_of(0.3, 0.1) }
output "exceeds_sum"  { value = provider::fptcloud::exceeds(0.1 + 0.2, 0.3) }
output "exceeds_cent" { value = provider::fptcloud::exceeds(1000000000000000.01, 1e15) }
output "exceeds_eq"   { value = provider::fptcloud::exceeds(100, 100.000) }
output "exceeds_zero" { value = provider::fptcloud::exceeds(0.01, 0) }
output "jpy"          { value = provider::fptcloud::format_money(1234.5, "JPY") }
output "kwd"          { value = provider::fptcloud::format_money(1.2345, "KWD") }
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("vnd", knownvalue.StringExact("12,345,679 VND")),
				statecheck.ExpectKnownOutputValue("usd", knownvalue.StringExact("1,234.50 USD")),
				statecheck.ExpectKnownOutputValue("product", knownvalue.StringExact("37,037,036.70 USD")),
				statecheck.ExpectKnownOutputValue("negative", knownvalue.StringExact("-0.13 USD")),
				statecheck.ExpectKnownOutputValue("third", exact("33.33")),
				statecheck.ExpectKnownOutputValue("float_trap", exact("300")),
				statecheck.ExpectKnownOutputValue("exceeds_sum", knownvalue.Bool(false)),
				statecheck.ExpectKnownOutputValue("exceeds_cent", knownvalue.Bool(true)),
				statecheck.ExpectKnownOutputValue("exceeds_eq", knownvalue.Bool(false)),
				statecheck.ExpectKnownOutputValue("exceeds_zero", knownvalue.Bool(true)),
				statecheck.ExpectKnownOutputValue("jpy", knownvalue.StringExact("1,235 JPY")),
				statecheck.ExpectKnownOutputValue("kwd", knownvalue.StringExact("1.235 KWD")),
			},
		}},
	})
}

func TestAccCLIFunctions_errors(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Config{})
	cases := map[string]struct {
		expr string
		want []string
	}{
		// Terraform names the parameter ("Invalid value for "budget"
		// parameter: ..."): the message must not name it again.
		"zero_budget":     {`provider::fptcloud::percent_of(5, 0)`, []string{`"budget" parameter: the budget is 0`, "pass a budget greater than 0"}},
		"negative_budget": {`provider::fptcloud::percent_of(50, -100)`, []string{`"budget" parameter: the budget is -100, below 0`, "pass a budget greater than 0"}},
		"negative_limit":  {`provider::fptcloud::exceeds(50, -100)`, []string{`"limit" parameter: the limit is -100, below 0`, "pass a limit of 0 or more"}},
		"bad_currency":    {`provider::fptcloud::format_money(5, "dollars")`, []string{`"currency" parameter: "dollars" is not an ISO 4217 currency code`}},
		"unknown_code":    {`provider::fptcloud::format_money(1000, "XYZ")`, []string{`"currency" parameter: "XYZ" is not an ISO 4217 currency code`, "such as VND"}},
		"lower_case_code": {`provider::fptcloud::format_money(1000, "vnd")`, []string{`"currency" parameter: "vnd" is not written in capitals`, `write "VND"`}},
		"null_argument":   {`provider::fptcloud::exceeds(null, 1)`, []string{"amount", "null"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			accTest(t, resource.TestCase{
				TerraformVersionChecks:   []tfversion.TerraformVersionCheck{skipWithoutProviderFunctions},
				ProtoV6ProviderFactories: env.factories(),
				Steps: []resource.TestStep{{
					Config:      `output "x" { value = ` + tc.expr + ` }`,
					ExpectError: errorPattern(tc.want...),
				}},
			})
		})
	}
}
