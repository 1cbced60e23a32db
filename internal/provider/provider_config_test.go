package provider

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

// TestAccProviderConfig_invalid checks that each bad provider setting is
// refused with a message that names the setting and the fix.
func TestAccProviderConfig_invalid(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Config{})
	cases := map[string]struct {
		provider string
		want     []string
	}{
		"plain_http_to_remote_host": {`api_endpoint = "http://console-api.fptcloud.com/api"
  token = "x"`, []string{"api_endpoint", "plain http to a host that is not loopback", "use https"}},
		"not_a_url": {`api_endpoint = "console-api.fptcloud.com"
  token = "x"`, []string{"api_endpoint", "has no host"}},
		"bad_time_zone": {`token = "x"
  time_zone = "Mars/Olympus"`, []string{"time_zone", "neither a UTC offset", "IANA time zone name"}},
		"offset_out_of_range": {`token = "x"
  time_zone = "+25:00"`, []string{"time_zone", "not a valid UTC offset"}},
		"timeout_zero": {`token = "x"
  timeout = 0`, []string{"timeout", "between 1 and 1440"}},
		"max_retries_negative": {`token = "x"
  max_retries = -1`, []string{"max_retries", "between 0 and 20"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			accTest(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(),
				Steps: []resource.TestStep{{
					Config:      "provider \"fptcloud\" {\n  " + tc.provider + "\n}\n" + billInfoConfig,
					ExpectError: errorPattern(tc.want...),
				}},
			})
		})
	}
}

func TestAccProviderConfig_missingToken(t *testing.T) {
	env := newTestEnv(t, emulator.Config{})
	t.Setenv(EnvToken, "")
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config:      `provider "fptcloud" { api_endpoint = "` + env.URL + `" }` + billInfoConfig,
			ExpectError: errorPattern("Missing FPT Cloud API token", "Set token in the provider block", "FPTCLOUD_TOKEN"),
		}},
	})
	if got := env.Emulator.TotalRequests(); got != 0 {
		t.Errorf("%d requests were sent without a token", got)
	}
}

// TestAccProviderConfig_environment configures the provider only through
// the environment variables of the FPT Cloud provider.
func TestAccProviderConfig_environment(t *testing.T) {
	env := newTestEnv(t, emulator.Config{})
	t.Setenv(EnvToken, testToken)
	t.Setenv(EnvAPIURL, env.URL)
	t.Setenv(EnvRefreshToken, testRefreshToken)
	t.Setenv(EnvRegion, "JP/JCSI2") // api_endpoint from the environment still wins
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: `provider "fptcloud" {}` + billInfoConfig,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.fptcloud_bill_info.test", tfjsonpath.New("group_names"),
					knownvalue.ListSizeExact(len(env.Emulator.Data.BillingGroups))),
			},
		}},
	})
}

func TestDefaultEndpoint(t *testing.T) {
	for region, want := range map[string]string{
		"JP/JCSI2": "https://console-api.fptcloud.jp/api", "jp/jcsi2": "https://console-api.fptcloud.jp/api",
		"VN/HAN": "https://console-api.fptcloud.com/api", "": "https://console-api.fptcloud.com/api",
	} {
		if got := defaultEndpoint(region); got != want {
			t.Errorf("defaultEndpoint(%q) = %q, want %q", region, got, want)
		}
	}
}

// TestSchemasAreDocumented fails on any provider or data source attribute
// without a MarkdownDescription, and on a data source without an example or
// a generated documentation page.
func TestSchemasAreDocumented(t *testing.T) {
	ctx := context.Background()
	p := New("test")()
	var pResp provider.SchemaResponse
	p.Schema(ctx, provider.SchemaRequest{}, &pResp)
	if pResp.Schema.MarkdownDescription == "" {
		t.Error("the provider has no MarkdownDescription")
	}
	for name, attr := range pResp.Schema.Attributes {
		if attr.GetMarkdownDescription() == "" {
			t.Errorf("provider attribute %q has no MarkdownDescription", name)
		}
	}
	for _, newDS := range p.DataSources(ctx) {
		ds := newDS()
		var meta datasource.MetadataResponse
		ds.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: "fptcloud"}, &meta)
		var resp datasource.SchemaResponse
		ds.Schema(ctx, datasource.SchemaRequest{}, &resp)
		if resp.Schema.MarkdownDescription == "" {
			t.Errorf("%s has no MarkdownDescription", meta.TypeName)
		}
		checkAttributes(t, meta.TypeName, resp.Schema.Attributes)
		for blockName, block := range resp.Schema.Blocks {
			if block.GetMarkdownDescription() == "" {
				t.Errorf("%s block %q has no MarkdownDescription", meta.TypeName, blockName)
			}
			if nested, ok := block.(dsschema.SingleNestedBlock); ok {
				checkAttributes(t, meta.TypeName+"."+blockName, nested.Attributes)
			}
		}
		root := filepath.Join("..", "..")
		for _, file := range []string{
			filepath.Join(root, "examples", "data-sources", meta.TypeName, "data-source.tf"),
			filepath.Join(root, "docs", "data-sources", strings.TrimPrefix(meta.TypeName, "fptcloud_")+".md"),
		} {
			if _, err := os.Stat(file); err != nil {
				t.Errorf("%s: %v", meta.TypeName, err)
			}
		}
	}
}

func checkAttributes(t *testing.T, where string, attrs map[string]dsschema.Attribute) {
	t.Helper()
	for name, attr := range attrs {
		if attr.GetMarkdownDescription() == "" {
			t.Errorf("%s attribute %q has no MarkdownDescription", where, name)
		}
		switch a := attr.(type) {
		case dsschema.ListNestedAttribute:
			checkAttributes(t, where+"."+name, a.NestedObject.Attributes)
		case dsschema.SetNestedAttribute:
			checkAttributes(t, where+"."+name, a.NestedObject.Attributes)
		case dsschema.SingleNestedAttribute:
			checkAttributes(t, where+"."+name, a.Attributes)
		case dsschema.MapNestedAttribute:
			checkAttributes(t, where+"."+name, a.NestedObject.Attributes)
		}
	}
}

// TestAccCLIProviderConfig_emptyStringIsUnset: an empty string in the provider
// block is the same as leaving the setting out, for every setting, so the
// environment variable (or else the default) applies, as in HashiCorp's
// providers: `token = var.token` with an empty default falls back to
// FPTCLOUD_TOKEN.
func TestAccCLIProviderConfig_emptyStringIsUnset(t *testing.T) {
	env := newTestEnv(t, emulator.Config{})
	t.Setenv(EnvToken, testToken)
	t.Setenv(EnvAPIURL, env.URL)
	t.Setenv(EnvBillsEndpoint, "by_date")
	t.Setenv(EnvCacheDir, "")
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: `
provider "fptcloud" {
  token          = ""
  refresh_token  = ""
  region         = ""
  tenant_name    = ""
  api_endpoint   = ""
  time_zone      = ""
  bills_endpoint = ""
  cache_dir      = ""
  cache_max_age  = ""
}
` + billInfoConfig + `
data "fptcloud_bills" "day" {
  from = "2024-09-05"
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.fptcloud_bill_info.test", tfjsonpath.New("group_names"),
					knownvalue.ListSizeExact(len(env.Emulator.Data.BillingGroups))),
				statecheck.ExpectKnownValue("data.fptcloud_bills.day", tfjsonpath.New("item_count"),
					knownvalue.Int64Exact(int64(len(env.Emulator.Data.BillLines("2024-09-05", "2024-09-05"))))),
			},
		}},
	})
	// bills_endpoint = "" took FPTCLOUD_BILLS_ENDPOINT=by_date.
	if posts, gets := env.Emulator.RequestsOf(http.MethodPost, fptapi.BillsEndpoint), env.Emulator.RequestsOf(http.MethodGet, fptapi.BillsEndpoint); posts != 0 || gets == 0 {
		t.Errorf("%d POST and %d GET bill requests; want only GET, from FPTCLOUD_BILLS_ENDPOINT=by_date", posts, gets)
	}
}
