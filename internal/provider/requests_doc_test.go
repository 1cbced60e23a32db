package provider

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/clock"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/testsupport"
)

// TestAccDocumentedRequests: the settings that the provider page's "What
// the provider asks the API" names for each example request make the
// provider send that request, headers included.
func TestAccDocumentedRequests(t *testing.T) {
	t.Parallel()
	common, documented := testsupport.DocumentedRequests(t, "../../templates/index.md.tmpl", "## What the provider asks the API")
	configs := map[string]struct{ provider, data string }{
		"GET " + fptapi.BillInfoEndpoint:     {"", `data "fptcloud_bill_info" "test" {}`},
		"GET " + fptapi.ServiceTypesEndpoint: {"", `data "fptcloud_bill_service_types" "test" {}`},
		"POST " + fptapi.BillsEndpoint: {`bills_endpoint = "paging"`, `
data "fptcloud_bills" "test" {
  from      = "2024-09-01"
  to        = "2024-09-15"
  services  = ["Instance"]
  vpc_names = ["prod-vpc"]
}`},
		"GET " + fptapi.BillsEndpoint: {`bills_endpoint = "by_date"`, `data "fptcloud_bills" "test" { from = "2024-09-01" }`},
		"GET " + fptapi.StatementsEndpoint: {"", `
data "fptcloud_resource_statements" "test" {
  resource_type = "vm"
  started_after = "2024-09-01"
  sort_field    = "started_time"
  sort_order    = "desc"
}`},
	}
	if len(documented) != len(configs) {
		t.Errorf("the documentation shows %d requests, this test knows the settings of %d", len(documented), len(configs))
	}
	for _, doc := range documented {
		cfg, ok := configs[doc.Key()]
		if !ok {
			t.Errorf("no settings known for the documented %s", doc.Key())
			continue
		}
		t.Run(doc.Key(), func(t *testing.T) {
			t.Parallel()
			srv := emulator.New(emulator.Config{Token: testToken, Now: func() time.Time { return testNow }})
			rec := &testsupport.Recorder{}
			ts := httptest.NewServer(rec.Wrap(srv))
			t.Cleanup(ts.Close)
			env := &testEnv{Emulator: srv, URL: ts.URL + emulator.BasePath, Clock: clock.Fixed(testNow)}
			accTest(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(),
				Steps:                    []resource.TestStep{{Config: env.providerBlock(cfg.provider) + cfg.data}},
			})
			var diffs []string
			for _, sent := range rec.Seen() {
				diff := doc.Mismatch(sent)
				if diff == "" {
					headers := common.Clone()
					for name, values := range doc.Headers {
						headers[name] = values
					}
					for _, h := range testsupport.HeaderMismatches(headers, sent.Headers) {
						t.Error(h)
					}
					return
				}
				diffs = append(diffs, diff)
			}
			t.Errorf("none of the %d requests sent is the documented one:\n%s", len(diffs), strings.Join(diffs, "\n"))
		})
	}
}
