package provider

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

// billsEndpointChecks are the totals of the week of billsWeekConfig, from
// the emulator's lines.
func billsEndpointChecks(t *testing.T, env *testEnv) []statecheck.StateCheck {
	t.Helper()
	return expectLines(env.Emulator.Data.BillLines("2024-09-01", "2024-09-07"), nil).checks(t, "test")
}

// TestAccBillsEndpoint_modes reads the same week with each bills_endpoint,
// set in the provider block or in the environment: the same totals each
// time, from the endpoints the mode allows.
func TestAccBillsEndpoint_modes(t *testing.T) {
	cases := []struct {
		name       string
		block, env string // bills_endpoint in the provider block / FPTCLOUD_BILLS_ENDPOINT
		paging     int    // the emulator's PagingStatus
		posts      bool   // the paging endpoint must be asked
		gets       bool   // the per-day endpoint must be asked
	}{
		{name: "default_auto", posts: true},
		{name: "auto", block: "auto", posts: true},
		{name: "paging", block: "paging", posts: true},
		{name: "by_date", block: "by_date", gets: true},
		{name: "by_date_from_environment", env: "by_date", gets: true},
		{name: "block_wins_over_environment", block: "paging", env: "by_date", posts: true},
		{name: "auto_falls_back_on_400", block: "auto", paging: http.StatusBadRequest, posts: true, gets: true},
		{name: "auto_falls_back_on_422", env: "auto", paging: http.StatusUnprocessableEntity, posts: true, gets: true},
		{name: "by_date_where_paging_is_refused", block: "by_date", paging: http.StatusUnprocessableEntity, gets: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(EnvBillsEndpoint, tc.env)
			env := newTestEnv(t, emulator.Config{LinesPerDay: 30, PagingStatus: tc.paging})
			block := ""
			if tc.block != "" {
				block = fmt.Sprintf("bills_endpoint = %q", tc.block)
			}
			accTest(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(),
				Steps: []resource.TestStep{{
					Config:            env.providerBlock(block) + billsWeekConfig,
					ConfigStateChecks: billsEndpointChecks(t, env),
				}},
			})
			posts := env.Emulator.RequestsOf(http.MethodPost, fptapi.BillsEndpoint)
			gets := env.Emulator.RequestsOf(http.MethodGet, fptapi.BillsEndpoint)
			if (posts > 0) != tc.posts || (gets > 0) != tc.gets {
				t.Errorf("%d POST and %d GET requests; want POST: %v, GET: %v", posts, gets, tc.posts, tc.gets)
			}
			// A test step reads the data source more than once (plan, apply,
			// refresh), each time with a new provider: one GET per day each time.
			if tc.gets && gets%7 != 0 {
				t.Errorf("%d per-day requests for a week, want 7 per read", gets)
			}
		})
	}
}

// TestAccBillsEndpoint_pagingRefused: with bills_endpoint = "paging", a
// paging endpoint that refuses the request fails the read, and the
// diagnostic names the API's answer and the way around it.
func TestAccBillsEndpoint_pagingRefused(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusBadRequest, http.StatusUnprocessableEntity, http.StatusNotFound} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t, emulator.Config{PagingStatus: status})
			accTest(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(),
				Steps: []resource.TestStep{{
					Config: env.providerBlock(`bills_endpoint = "paging"`) + billsWeekConfig,
					ExpectError: errorPattern(fmt.Sprintf("POST %s: HTTP %d", fptapi.BillsEndpoint, status),
						`bills_endpoint = "by_date"`, "FPTCLOUD_BILLS_ENDPOINT=by_date"),
				}},
			})
			if gets := env.Emulator.RequestsOf(http.MethodGet, fptapi.BillsEndpoint); gets != 0 {
				t.Errorf("%d per-day requests with bills_endpoint = \"paging\"", gets)
			}
		})
	}
}

// TestAccBillsEndpoint_neverFallsBackOnAuthOrServerErrors: in auto mode,
// 401, 403, 429 and 5xx from the paging endpoint are reported, not a
// reason to read day by day.
func TestAccBillsEndpoint_neverFallsBackOnAuthOrServerErrors(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusServiceUnavailable} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t, emulator.Config{PagingStatus: status})
			config := billsWeekConfig
			if status == http.StatusTooManyRequests { // a rate limit is retried until the read's timeout
				config = strings.Replace(config, `to   = "2024-09-07"`, `to   = "2024-09-07"
  timeouts {
    read = "2s"
  }`, 1)
			}
			accTest(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(),
				Steps: []resource.TestStep{{
					Config:      env.providerBlock("max_retries = 1") + config,
					ExpectError: errorPattern(fmt.Sprintf("POST %s: HTTP %d", fptapi.BillsEndpoint, status)),
				}},
			})
			if gets := env.Emulator.RequestsOf(http.MethodGet, fptapi.BillsEndpoint); gets != 0 {
				t.Errorf("%d per-day requests after HTTP %d, want none", gets, status)
			}
		})
	}
}

// TestAccBillsEndpoint_invalid: a value that is not a mode is refused,
// naming the attribute (or the environment variable) and the choices.
func TestAccBillsEndpoint_invalid(t *testing.T) {
	env := newTestEnv(t, emulator.Config{})
	t.Run("block", func(t *testing.T) {
		accTest(t, resource.TestCase{
			ProtoV6ProviderFactories: env.factories(),
			Steps: []resource.TestStep{{
				Config:      env.providerBlock(`bills_endpoint = "pages"`) + billsWeekConfig,
				ExpectError: errorPattern("Invalid bills_endpoint", `bills_endpoint = "pages": the value must be one of "auto", "paging" or "by_date".`),
			}},
		})
	})
	t.Run("environment", func(t *testing.T) {
		t.Setenv(EnvBillsEndpoint, "per_day")
		accTest(t, resource.TestCase{
			ProtoV6ProviderFactories: env.factories(),
			Steps: []resource.TestStep{{
				Config:      env.providerBlock("") + billsWeekConfig,
				ExpectError: errorPattern("Invalid bills endpoint", `FPTCLOUD_BILLS_ENDPOINT is "per_day"`, `"auto", "paging" or "by_date"`),
			}},
		})
	})
	if got := env.Emulator.TotalRequests(); got != 0 {
		t.Errorf("%d requests were sent with an invalid bills_endpoint", got)
	}
}

// TestAccCLIBillsEndpoint_unknownAtPlan: bills_endpoint from a value known only
// after apply is refused, as every provider setting.
func TestAccCLIBillsEndpoint_unknownAtPlan(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Config{})
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: `
resource "terraform_data" "mode" {
  input = "by_date"
}
` + env.providerBlock("bills_endpoint = terraform_data.mode.output") + billsWeekConfig,
			ExpectError: errorPattern("Unknown provider setting", `"bills_endpoint"`),
		}},
	})
	if got := env.Emulator.TotalRequests(); got != 0 {
		t.Errorf("%d requests were sent with an unknown bills_endpoint", got)
	}
}
