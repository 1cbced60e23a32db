package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/clock"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/testsupport"
)

// testToken is the emulator's token in tests. It is long and unusual so
// that a leak test can find it anywhere.
const (
	testToken        = "tok-3f9a1c7e-SECRET-5b2d"
	testRefreshToken = "ref-8e4d2b6a-SECRET-1c9f"
)

// testNow is "today" in tests that use the fixed clock: 2024-09-20 10:00 at +07:00.
var testNow = time.Date(2024, 9, 20, 3, 0, 0, 0, time.UTC)

// testEnv is one emulator and a provider factory pointed at it.
type testEnv struct {
	Emulator *emulator.Server
	URL      string
	Clock    clock.Clock
}

// newTestEnv starts an in-process emulator for one test.
func newTestEnv(t *testing.T, cfg emulator.Config) *testEnv {
	t.Helper()
	srv, url := testsupport.ServeEmulator(t, cfg, testToken, testNow)
	return &testEnv{Emulator: srv, URL: url, Clock: clock.Fixed(testNow)}
}

// factories builds the provider under test with a fixed clock and short backoffs.
func (e *testEnv) factories() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"fptcloud": func() (tfprotov6.ProviderServer, error) {
			return NewServer("test", e.options())(), nil
		},
	}
}

// options are the provider's dependencies in tests.
func (e *testEnv) options() Options {
	return Options{Clock: e.Clock, MinBackoff: 5 * time.Millisecond, MaxBackoff: 50 * time.Millisecond}
}

// providerBlock configures the provider against the emulator with extra
// provider arguments appended.
func (e *testEnv) providerBlock(extra string) string {
	return fmt.Sprintf(`
provider "fptcloud" {
  api_endpoint  = %q
  token         = %q
  refresh_token = %q
  %s
}
`, e.URL, testToken, testRefreshToken, extra)
}

// errorPattern matches a diagnostic that holds each part in order. Terraform
// wraps long diagnostics, so any run of spaces in a part matches any white space.
func errorPattern(parts ...string) *regexp.Regexp {
	quoted := make([]string, len(parts))
	for i, part := range parts {
		words := strings.Fields(part)
		for j, w := range words {
			words[j] = regexp.QuoteMeta(w)
		}
		quoted[i] = strings.Join(words, `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(quoted, ".*"))
}

// testFaultCases reads a data source (dataConfig) whose requests go to
// method and endpoint while the emulator serves each kind of fault first. A fault that
// a retry cures must give the fault-free state (okChecks); the others must
// give a diagnostic that names the endpoint, the status, the API's message
// and the remedy.
func testFaultCases(t *testing.T, method, endpoint, dataConfig string, okChecks func(env *testEnv) []statecheck.StateCheck) {
	t.Helper()
	cases := []struct {
		name      string
		faults    []emulator.FaultKind
		wantError *regexp.Regexp // nil: the read must succeed after retries
	}{
		{name: "unauthorized", faults: []emulator.FaultKind{emulator.Fault401},
			wantError: errorPattern(method+" "+endpoint+": HTTP 401 Unauthorized", "access token is invalid", "FPTCLOUD_TOKEN")},
		{name: "forbidden", faults: []emulator.FaultKind{emulator.Fault403},
			wantError: errorPattern(endpoint+": HTTP 403 Forbidden", "billing:read", "lacks the billing permission")},
		{name: "internal_error_not_retried", faults: []emulator.FaultKind{emulator.Fault500},
			wantError: errorPattern(endpoint+": HTTP 500 Internal Server Error", "Internal server error")},
		{name: "unavailable_then_ok", faults: []emulator.FaultKind{emulator.Fault503}},
		{name: "bad_gateway_and_gateway_timeout_then_ok", faults: []emulator.FaultKind{emulator.Fault502, emulator.Fault504}},
		{name: "rate_limited_then_ok", faults: []emulator.FaultKind{emulator.Fault429}},
		{name: "rate_limited_http_date_then_ok", faults: []emulator.FaultKind{emulator.Fault429Date}},
		{name: "reset_then_ok", faults: []emulator.FaultKind{emulator.FaultReset}},
		{name: "truncated_then_ok", faults: []emulator.FaultKind{emulator.FaultTrunc}},
		{name: "html_error_page", faults: repeatFault(emulator.FaultHTML, 5),
			wantError: errorPattern(endpoint+`: HTTP 502 Bad Gateway (body starts: "<!DOCTYPE html>`, "…\")", "proxy's error page")},
		{name: "api_status_failure", faults: []emulator.FaultKind{emulator.FaultAPI},
			wantError: errorPattern(endpoint + ": HTTP 200 OK: Billing data is being recalculated")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// Honouring Retry-After is fptapi's to test (TestRetryAfterHonoured):
			// here a 429 asks for no wait ("Retry-After: 0", or an HTTP date
			// a second ahead), so that the table does not wait whole seconds.
			env := newTestEnv(t, emulator.Config{RetryAfter: time.Millisecond})
			env.Emulator.InjectFaults(endpoint, tc.faults...)
			step := resource.TestStep{Config: env.providerBlock("max_retries = 4") + dataConfig}
			if tc.wantError != nil {
				step.ExpectError = tc.wantError
			} else {
				step.ConfigStateChecks = okChecks(env)
			}
			accTest(t, resource.TestCase{ProtoV6ProviderFactories: env.factories(), Steps: []resource.TestStep{step}})
			// A fault that is never retried costs one request; a transient one
			// is retried until the faults run out (five attempts with max_retries = 4).
			got, faults := env.Emulator.Requests(endpoint), int64(len(tc.faults))
			switch {
			case tc.wantError == nil && got <= faults:
				t.Errorf("%s saw %d requests, want more than the %d faults (a retry)", endpoint, got, faults)
			case tc.wantError != nil && got != faults:
				t.Errorf("%s saw %d requests, want exactly %d (one per fault, no retry past a permanent error)", endpoint, got, faults)
			}
		})
	}
}

func repeatFault(kind emulator.FaultKind, n int) []emulator.FaultKind {
	kinds := make([]emulator.FaultKind, n)
	for i := range kinds {
		kinds[i] = kind
	}
	return kinds
}
