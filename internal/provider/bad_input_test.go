package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

// badInput is one invalid configuration and the diagnostic it must give:
// one that names the attribute at fault.
type badInput struct {
	name   string
	config string // the data source block (or, for the provider, its arguments)
	want   *regexp.Regexp
}

// TestAccBadInput_dataSources refuses, before any request, each invalid
// argument of every data source that the per-data-source tests leave out.
func TestAccBadInput_dataSources(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Config{})
	bills := func(body string) string { return "data \"fptcloud_bills\" \"test\" {\n" + body + "\n}\n" }
	statements := func(body string) string {
		return "data \"fptcloud_resource_statements\" \"test\" {\n" + body + "\n}\n"
	}
	cases := []badInput{
		{"bill_info_timeouts_read", `data "fptcloud_bill_info" "test" {
  timeouts { read = "soon" }
}`, errorPattern("Invalid timeouts.read", `timeouts.read = "soon": the value must be a string containing a sequence of decimal numbers`)},
		{"service_types_timeouts_read", `data "fptcloud_bill_service_types" "test" {
  timeouts { read = "-1x" }
}`, errorPattern("Invalid timeouts.read", `timeouts.read = "-1x": the value must be a string containing a sequence of decimal numbers`)},

		{"bills_to_shape", bills(`from = "2024-09-01"
  to = "2024-9-30"`), errorPattern("Invalid to", `to = "2024-9-30": the value must be a date in the form YYYY-MM-DD, such as 2024-09-01.`)},
		{"bills_to_not_a_day", bills(`from = "2024-09-01"
  to = "2024-09-31"`), errorPattern("Invalid to", `to = "2024-09-31": the value is not a day of the calendar; write a real day`)},
		{"bills_range_and_to", bills(`range = "today"
  to = "2024-09-01"`), errorPattern("Invalid to", `to = "2024-09-01": the value cannot be set with range, which sets both ends`)},
		{"bills_report_budget_zero", bills(`range = "today"
  report = { budget = 0 }`), errorPattern("Invalid report.budget", "report.budget = 0: the value must be greater than 0, such as 150000000.")},
		{"bills_report_max_characters_small", bills(`range = "today"
  report = { max_characters = 1999 }`), errorPattern("Invalid report.max_characters", "report.max_characters = 1999: the value must be at least 2000.")},
		{"bills_max_items_zero", bills(`range = "today"
  max_items = 0`), errorPattern("Invalid max_items", "max_items = 0: the value must be at least 1.")},
		{"bills_services_empty", bills(`range = "today"
  services = []`), errorPattern("Invalid services", "services = []: the list must contain at least 1 element.")},
		{"bills_services_empty_name", bills(`range = "today"
  services = ["Instance", ""]`), errorPattern("Invalid services[1]", `services[1] = "": the string length must be at least 1.`)},
		{"bills_vpc_names_empty", bills(`range = "today"
  vpc_names = []`), errorPattern("vpc_names = []: the list must contain at least 1 element.")},
		{"bills_vpc_names_empty_name", bills(`range = "today"
  vpc_names = [""]`), errorPattern(`vpc_names[0] = "": the string length must be at least 1.`)},
		{"bills_tags_empty", bills(`range = "today"
  tags = []`), errorPattern("tags = []: the list must contain at least 1 element.")},
		{"bills_tags_empty_name", bills(`range = "today"
  tags = [""]`), errorPattern(`tags[0] = "": the string length must be at least 1.`)},
		{"bills_include_items_not_bool", bills(`range = "today"
  include_items = "sometimes"`), errorPattern("include_items", "a bool is required")},
		{"bills_unknown_argument", bills(`range = "today"
  form = "2024-09-01"`), errorPattern(`An argument named "form" is not expected here`)},
		{"bills_timeouts_read", bills(`range = "today"
  timeouts { read = "10 minutes" }`), errorPattern(`timeouts.read = "10 minutes": the value must be a string containing a sequence of decimal numbers`)},

		{"statements_resource_type_empty", statements(`resource_type = ""`),
			errorPattern("Invalid resource_type", `resource_type = "": the string length must be at least 1.`)},
		{"statements_status_empty", statements(`status = ""`),
			errorPattern(`status = "": the string length must be at least 1.`)},
		{"statements_type_empty", statements(`type = ""`),
			errorPattern(`type = "": the string length must be at least 1.`)},
		{"statements_filter_key_empty", statements(`filters = [{ key = "", value = "x" }]`),
			errorPattern("Invalid filters[0].key", `filters[0].key = "": the string length must be at least 1.`)},
		{"statements_filter_value_missing", statements(`filters = [{ key = "status" }]`),
			errorPattern(`attribute "value" is required`)},
		{"statements_second_filter_op", statements(`filters = [{ key = "status", value = "paid" }, { key = "amount", op = ">=", value = "1" }]`),
			errorPattern(`filters[1].op = ">=": the value must be one of "eq", "ne", "contains", "gt", "gte", "lt" or "lte".`)},
		{"statements_started_before_shape", statements(`started_before = "2024-09-01 00:00"`),
			errorPattern("Invalid started_before", `started_before = "2024-09-01 00:00": the value is neither an RFC 3339 time`)},
		{"statements_started_after_not_a_day", statements(`started_after = "2024-02-30"`),
			errorPattern("started_after", "2024-02-30")},
		{"statements_sort_field", statements(`sort_field = "price"`),
			errorPattern(`sort_field = "price": the value must be one of "id", `)},
		{"statements_page_size_zero", statements(`page_size = 0`),
			errorPattern("page_size = 0: the value must be between 1 and 1000.")},
		{"statements_max_items_zero", statements(`max_items = 0`),
			errorPattern("max_items = 0: the value must be at least 1.")},
		{"statements_timeouts_read", statements(`timeouts { read = "1 hour" }`),
			errorPattern(`timeouts.read = "1 hour": the value must be a string containing`)},
	}
	steps := make([]resource.TestStep, 0, len(cases))
	for _, tc := range cases {
		steps = append(steps, resource.TestStep{Config: env.providerBlock("") + tc.config, ExpectError: tc.want})
	}
	accTest(t, resource.TestCase{ProtoV6ProviderFactories: env.factories(), Steps: steps})
	if got := env.Emulator.TotalRequests(); got != 0 {
		t.Errorf("%d requests were sent for invalid configurations, want none", got)
	}
}

// TestAccCLIBadInput_provider covers the provider arguments that
// TestAccProviderConfig_invalid leaves out, including settings that are not
// known until apply.
func TestAccCLIBadInput_provider(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Config{})
	cases := []badInput{
		{"api_endpoint_scheme", `api_endpoint = "ftp://console-api.fptcloud.com/api"
  token = "x"`, errorPattern("api_endpoint", `has scheme "ftp"; use https`)},
		{"api_endpoint_credentials", `api_endpoint = "https://user:secret@console-api.fptcloud.com/api"
  token = "x"`, errorPattern("api_endpoint", "must not contain credentials")},
		{"api_endpoint_private_http", `api_endpoint = "http://10.0.0.1:8080/api"
  token = "x"`, errorPattern("api_endpoint", "plain http to a host that is not loopback")},
		{"timeout_too_long", `token = "x"
  timeout = 1441`, errorPattern("Invalid timeout", "timeout = 1441: the value must be between 1 and 1440.")},
		{"max_retries_too_many", `token = "x"
  max_retries = 21`, errorPattern("max_retries = 21: the value must be between 0 and 20.")},
		{"token_not_a_string", `token = ["x"]`, errorPattern("token", "string required")},
		{"token_unknown_at_plan", `token = terraform_data.later.output`,
			errorPattern("Unknown provider setting", `The provider's "token" is not known until apply`)},
		{"refresh_token_unknown_at_plan", `token = "x"
  refresh_token = terraform_data.later.output`, errorPattern("Unknown provider setting", `The provider's "refresh_token" is not known until apply`)},
		{"tenant_name_unknown_at_plan", `token = "x"
  tenant_name = terraform_data.later.output`, errorPattern("Unknown provider setting", `The provider's "tenant_name" is not known until apply`)},
		{"timeout_unknown_at_plan", `token = "x"
  timeout = terraform_data.later.output`, errorPattern("Unknown provider setting", "timeout and max_retries must be known during plan")},
		{"region_unknown_at_plan", `token = "x"
  region = terraform_data.later.output`, errorPattern("Unknown provider setting", `The provider's "region" is not known until apply`)},
		{"api_endpoint_unknown_at_plan", `token = "x"
  api_endpoint = terraform_data.later.output`, errorPattern("Unknown provider setting", `The provider's "api_endpoint" is not known until apply`)},
		{"time_zone_unknown_at_plan", `token = "x"
  time_zone = terraform_data.later.output`, errorPattern("Unknown provider setting", `The provider's "time_zone" is not known until apply`)},
		{"max_retries_unknown_at_plan", `token = "x"
  max_retries = terraform_data.later.output`, errorPattern("Unknown provider setting", "timeout and max_retries must be known during plan")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			accTest(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(),
				Steps: []resource.TestStep{{
					Config: "provider \"fptcloud\" {\n  " + tc.config + "\n}\n" +
						"resource \"terraform_data\" \"later\" {\n  input = 3\n}\n" + billInfoConfig,
					ExpectError: tc.want,
				}},
			})
		})
	}
	if got := env.Emulator.TotalRequests(); got != 0 {
		t.Errorf("%d requests were sent for invalid provider settings, want none", got)
	}
}

// TestAccCLIUnknownValues feeds data source arguments from a resource whose
// output is known only after apply. The plan must succeed with the reads
// deferred (their results unknown), and apply must read with the real
// values.
func TestAccCLIUnknownValues(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Config{LinesPerDay: 6})
	config := env.providerBlock("") + `
resource "terraform_data" "window" {
  input = {
    from   = "2024-09-01"
    to     = "2024-09-03"
    status = "unpaid"
    after  = "2024-08-01"
  }
}

data "fptcloud_bills" "test" {
  from     = terraform_data.window.output.from
  to       = terraform_data.window.output.to
  services = [for s in ["Instance"] : s if terraform_data.window.output.status != ""]
}

data "fptcloud_resource_statements" "test" {
  status        = terraform_data.window.output.status
  started_after = terraform_data.window.output.after
  filters       = [{ key = "resource_type", value = terraform_data.window.output.status == "unpaid" ? "vm" : "volume" }]
}
`
	bills := expectLines(env.Emulator.Data.BillLines("2024-09-01", "2024-09-03"), func(l fptapi.BillLine) bool {
		return l.Service == "Instance"
	})
	if len(bills.lines) == 0 {
		t.Fatal("the emulator has no Instance lines in the range: the test would prove little")
	}
	checks := append(bills.checks(t, "test"),
		statecheck.ExpectKnownValue("data.fptcloud_bills.test", tfjsonpath.New("from"), knownvalue.StringExact("2024-09-01")),
		statecheck.ExpectKnownValue("data.fptcloud_bills.test", tfjsonpath.New("to"), knownvalue.StringExact("2024-09-03")),
		statecheck.ExpectKnownValue("data.fptcloud_resource_statements.test", tfjsonpath.New("status"), knownvalue.StringExact("unpaid")),
	)
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectUnknownValue("data.fptcloud_bills.test", tfjsonpath.New("total_price")),
				plancheck.ExpectUnknownValue("data.fptcloud_resource_statements.test", tfjsonpath.New("statements")),
			}},
			ConfigStateChecks: checks,
		}},
	})
	if env.Emulator.Requests(fptapi.BillsEndpoint) == 0 || env.Emulator.Requests(fptapi.StatementsEndpoint) == 0 {
		t.Error("the data sources were never read")
	}
}
