package provider

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/clock"
)

// badValueEnv serves a paging endpoint whose one line is line, and counts
// the requests.
func badValueEnv(t *testing.T, line string) (*testEnv, *atomic.Int64) {
	t.Helper()
	var requests atomic.Int64
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		requests.Add(1)
		_, _ = fmt.Fprintf(w, `{"status":0,"message":"","total":1,"page":1,"page_size":1000,"data":[%s]}`, line)
	}))
	t.Cleanup(ts.Close)
	return &testEnv{URL: ts.URL, Clock: clock.Fixed(testNow)}, &requests
}

// TestAccBills_badValue: a line whose field cannot be used fails the read
// at once, with no retry, naming the field, the value, the line and the
// page, and without blaming a proxy.
func TestAccBills_badValue(t *testing.T) {
	t.Parallel()
	const line = `{"day":"2024-09-03","start_time":"2024-09-03 10:00:00","service":"Instance","name":"web-01",%q:%s}`
	cases := []struct {
		name, field, value string
		want               []string
	}{
		{"price_not_a_number", "total_price", `"abc"`, []string{
			"POST /v1/billing/bills: HTTP 200 OK: bill line 1 of page 1",
			`(day 2024-09-03, service "Instance", name "web-01")`, `"total_price" is "abc", which is not a number`,
			"not a transient fault, so the read was not retried"}},
		{"disk_is_an_object", "disk", `{"size":40}`, []string{
			"bill line 1 of page 1", `"disk" is {"size":40}, which is not a number`}},
		{"start_time_not_a_time", "start_time", `"yesterday"`, []string{
			`The bill line of 2024-09-03 for Instance "web-01" (line 1 of page 1 of POST /v1/billing/bills)`, "yesterday"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			value := fmt.Sprintf(line, tc.field, tc.value)
			if tc.field != "total_price" {
				value = fmt.Sprintf(`{"day":"2024-09-03","start_time":"2024-09-03 10:00:00","service":"Instance","name":"web-01","total_price":1,%q:%s}`, tc.field, tc.value)
			}
			env, requests := badValueEnv(t, value)
			accTest(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(),
				Steps: []resource.TestStep{{
					Config:      env.providerBlock("max_retries = 4") + billsWeekConfig,
					ExpectError: errorPattern(tc.want...),
				}},
			})
			if got := requests.Load(); got != 1 {
				t.Errorf("%d requests, want 1: a bad value is not retried", got)
			}
		})
	}
}
