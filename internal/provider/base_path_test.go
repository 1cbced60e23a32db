package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
)

// TestAccWrongBasePath: an api_endpoint without the API's /api base path
// fails every data source with an error that names api_endpoint and
// FPTCLOUD_API_URL and says the address should end in /api, as the real
// API's host would answer such a path with 404.
func TestAccWrongBasePath(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Config{})
	root := strings.TrimSuffix(env.URL, emulator.BasePath)
	if root == env.URL {
		t.Fatalf("the emulator's URL %s does not end in %s", env.URL, emulator.BasePath)
	}
	wrong := &testEnv{Emulator: env.Emulator, URL: root, Clock: env.Clock}
	for name, config := range map[string]string{
		"bill_info":     billInfoConfig,
		"bills":         `data "fptcloud_bills" "test" { range = "month_to_date" }`,
		"statements":    `data "fptcloud_resource_statements" "test" {}`,
		"service_types": `data "fptcloud_bill_service_types" "test" {}`,
	} {
		t.Run(name, func(t *testing.T) {
			accTest(t, resource.TestCase{
				ProtoV6ProviderFactories: wrong.factories(),
				Steps: []resource.TestStep{{
					Config:      wrong.providerBlock("") + config,
					ExpectError: errorPattern("HTTP 404", "api_endpoint (or FPTCLOUD_API_URL)", "should end in /api"),
				}},
			})
		})
	}
}
