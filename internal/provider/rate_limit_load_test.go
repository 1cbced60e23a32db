package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
)

// loadWorkspaces is how many workspaces plan at once in the load test.
const loadWorkspaces = 8

// TestAccRateLimit_manyWorkspaces reads a month with its comparison and
// spike detection from eight provider instances at once, as eight
// workspaces planning at the same moment would: each under its own local
// name (ws1..ws8), so that each is its own provider server, configured once,
// with its own API client and nothing shared but the emulator, which serves
// 5 requests a second over all of them and refuses the rest with 429 and
// Retry-After. Every read must succeed, with a total equal to the exact sum
// of the emulator's lines, and the emulator must have refused requests, or
// the test would prove nothing. Each Terraform command of the step (plan,
// apply, the plans after it) reads the eight again, about 32 requests each
// time: more than a client that retries a 429 four times, each after
// exactly its Retry-After, gets through at 5 a second (such a client fails
// this test).
func TestAccRateLimit_manyWorkspaces(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Config{RateLimit: 5})
	factories := map[string]func() (tfprotov6.ProviderServer, error){}
	var config strings.Builder
	config.WriteString("terraform {\n  required_providers {\n")
	for i := 1; i <= loadWorkspaces; i++ {
		fmt.Fprintf(&config, "    ws%d = { source = \"hashicorp/ws%d\" }\n", i, i)
		factories[fmt.Sprintf("ws%d", i)] = func() (tfprotov6.ProviderServer, error) {
			return NewServer("test", env.options())(), nil
		}
	}
	config.WriteString("  }\n}\n")
	var prices []string
	for _, l := range env.Emulator.Data.Bills.Range("2024-08-01", "2024-08-31") {
		prices = append(prices, l.TotalPrice.String())
	}
	want := moneyCheck(sumOf(t, prices))
	var checks []statecheck.StateCheck
	for i := 1; i <= loadWorkspaces; i++ {
		fmt.Fprintf(&config, `
provider "ws%[1]d" {
  api_endpoint = %[2]q
  token        = %[3]q
}

data "fptcloud_bills" "ws%[1]d" {
  provider        = ws%[1]d
  range           = "last_month"
  include_items   = false
  compare_to      = "previous_month"
  spike_detection = {}
}
`, i, env.URL, testToken)
		checks = append(checks, statecheck.ExpectKnownValue(fmt.Sprintf("data.fptcloud_bills.ws%d", i), tfjsonpath.New("total_price"), want))
	}
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		Steps: []resource.TestStep{{
			Config:            config.String(),
			ConfigStateChecks: checks,
		}},
	})
	refused, total := env.Emulator.Refused(), env.Emulator.TotalRequests()
	t.Logf("%d requests, %d refused with 429", total, refused)
	if refused == 0 {
		t.Fatalf("the emulator refused none of %d requests: the reads never met the rate limit", total)
	}
}
