// Package provider maps the FPT Cloud billing API and the billing
// aggregations onto Terraform data sources.
//
// The packages of this module, each with its job and what it may import
// (depguard in .golangci.yml enforces the rules marked *):
//
//	main.go                  serves the provider (NewServer); imports provider.
//	internal/provider        Terraform only: the provider, schemas, models, validators, one Read a data
//	                         source, mapping results to state. Every file imports terraform-plugin-* or
//	                         fastlist. Imports any package below but bench.
//	internal/fastlist        writes large list attributes straight into the protocol's MessagePack;
//	                         imports terraform-plugin-go, no package of this module (*).
//	internal/bills           the read pipeline of fptcloud_bills: fetch, snapshot restarts, the day
//	                         cache's policy and codec, filters, sorting; the statements' time window.
//	                         Imports fptapi, billing, daycache, clock; no terraform-plugin-* (*).
//	internal/fptapi          the API client: transport, auth, envelope, retries, one file an endpoint,
//	                         paging, decoding. Imports memo, calendar; no terraform-plugin-* (*).
//	internal/fptapi/record   the field tables of the bill line and the statement: the one definition
//	                         of each record; `make generate` writes every *_gen.go file from them.
//	internal/billing         pure functions: exact money, grouping, periods, time zones, ranges,
//	                         forecast, comparison, spikes, the report. Imports calendar; no
//	                         terraform-plugin-* (*); billing and fptapi never import each other.
//	internal/calendar        days as YYYY-MM-DD: the shape check and the days of a range; imports
//	                         nothing of this module, no terraform-plugin-* (*).
//	internal/daycache        an opaque, HMAC-keyed, bounded store of closed days; no terraform-plugin-* (*).
//	internal/memo            identical work once per process; no terraform-plugin-* (*).
//	internal/clock           the injected clock; no terraform-plugin-* (*).
//	internal/emulator        the deterministic FPT billing API emulator (an http.Handler) that tests and
//	                         the demo talk to; imports fptapi's records and billing; no
//	                         terraform-plugin-* (*).
//	internal/bench/floor     the plan floor provider, a yardstick for benchmarks: only *_bench_test.go
//	                         files and internal/bench import it (*).
//	cmd/fptcloud-emulator    the emulator as a program.
//
// Dependencies point one way: provider → bills → fptapi, billing, daycache.
package provider

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/bills"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/clock"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/memo"
)

// Environment variables read when the provider block leaves an attribute unset.
const (
	EnvToken        = "FPTCLOUD_TOKEN"
	EnvRefreshToken = "FPTCLOUD_REFRESH_TOKEN"
	EnvRegion       = "FPTCLOUD_REGION"
	EnvTenantName   = "FPTCLOUD_TENANT_NAME"
	EnvAPIURL       = "FPTCLOUD_API_URL"
)

// Defaults of the provider configuration.
const (
	defaultTimeoutMinutes = 10
	japanRegion           = "JP/JCSI2"
)

var (
	_ provider.Provider              = (*fptcloudProvider)(nil)
	_ provider.ProviderWithFunctions = (*fptcloudProvider)(nil)
)

// Options are the provider's injected dependencies; tests fix the clock and
// shorten the retry backoff.
type Options struct {
	Clock      clock.Clock
	MinBackoff time.Duration
	MaxBackoff time.Duration
	HTTPClient *http.Client
}

type fptcloudProvider struct {
	version string
	opts    Options
}

// New returns the provider factory. Serve it through NewServer, as main
// does: that server writes the large lists (fptcloud_bills' items,
// fptcloud_resource_statements' statements) into the state; served by the
// framework alone, a read that returns one fails.
func New(version string) func() provider.Provider {
	return NewWithOptions(version, Options{})
}

// NewWithOptions returns a provider factory with injected dependencies.
func NewWithOptions(version string, opts Options) func() provider.Provider {
	if opts.Clock == nil {
		opts.Clock = clock.Real{}
	}
	return func() provider.Provider {
		return &fptcloudProvider{version: version, opts: opts}
	}
}

// providerModel is the provider block.
type providerModel struct {
	Token        types.String `tfsdk:"token"`
	RefreshToken types.String `tfsdk:"refresh_token"`
	Region       types.String `tfsdk:"region"`
	TenantName   types.String `tfsdk:"tenant_name"`
	APIEndpoint  types.String `tfsdk:"api_endpoint"`
	Timeout      types.Int64  `tfsdk:"timeout"`
	MaxRetries   types.Int64  `tfsdk:"max_retries"`
	TimeZone     types.String `tfsdk:"time_zone"`
	BillEndpoint types.String `tfsdk:"bills_endpoint"`

	CacheDir       types.String `tfsdk:"cache_dir"`
	CacheMaxAge    types.String `tfsdk:"cache_max_age"`
	CacheMaxSizeMB types.Int64  `tfsdk:"cache_max_size_mb"`
}

func (p *fptcloudProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "fptcloud"
	resp.Version = p.version
}

func (p *fptcloudProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The `fptcloud` provider reads FPT Cloud billing data (bills, billing groups, " +
			"service types and resource statements) so that cost can be printed in outputs and checked " +
			"against a budget in `check` blocks during `terraform plan`. It only reads: it creates nothing. " +
			"An empty string (`\"\"`) in any provider setting is the same as leaving it out: the setting's environment " +
			"variable applies, or else its default, as in HashiCorp's providers.",
		Attributes: dayCacheAttributes(map[string]schema.Attribute{
			"token": schema.StringAttribute{
				MarkdownDescription: "API access token, sent as `Authorization: Bearer <token>`. " +
					"Can also be set with the `FPTCLOUD_TOKEN` environment variable. Required when a data source is read.",
				Optional:  true,
				Sensitive: true,
			},
			"refresh_token": schema.StringAttribute{
				MarkdownDescription: "Refresh token, sent as the `refresh-token` header where the API asks for it. " +
					"Can also be set with the `FPTCLOUD_REFRESH_TOKEN` environment variable.",
				Optional:  true,
				Sensitive: true,
			},
			"region": schema.StringAttribute{
				MarkdownDescription: "FPT Cloud region, such as `VN/HAN` or `JP/JCSI2`. It picks the default API address: " +
					"`JP/JCSI2` uses `https://console-api.fptcloud.jp/api`, every other region `https://console-api.fptcloud.com/api`. " +
					"Can also be set with the `FPTCLOUD_REGION` environment variable.",
				Optional: true,
			},
			"tenant_name": schema.StringAttribute{
				MarkdownDescription: "Tenant name, kept for compatibility with the FPT Cloud provider's configuration. " +
					"Can also be set with the `FPTCLOUD_TENANT_NAME` environment variable.",
				Optional: true,
			},
			"api_endpoint": schema.StringAttribute{
				MarkdownDescription: "Base URL of the API, overriding the one `region` picks, such as `https://console-api.fptcloud.com/api`. " +
					"Must use `https`, except for loopback addresses (`localhost`, `127.0.0.1`, `::1`) such as a local emulator. " +
					"Can also be set with the `FPTCLOUD_API_URL` environment variable.",
				Optional: true,
			},
			"timeout": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("Minutes that one data source read may take, retries included: from `1` to `1440` "+
					"(a day). Defaults to `%d`. A data source's own `timeouts { read }` overrides it. A request the API refuses with "+
					"its rate limit (HTTP 429, or 503 with `Retry-After`) is retried until this time is up, whatever `max_retries` says.",
					defaultTimeoutMinutes),
				Optional:   true,
				Validators: []validator.Int64{int64Between(1, 24*60)},
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How many times a request is retried after a transient fault other than a rate limit "+
					"(HTTP 502, 503 without `Retry-After`, 504, a reset connection or a truncated body), with jittered exponential backoff: "+
					"from `0` to `20`. Defaults to `%d`; `0` disables these retries. A rate limit (HTTP 429, or 503 with `Retry-After`) "+
					"does not count against it: it is retried, after the `Retry-After` the API asks plus jitter, until the read's "+
					"timeout (`timeout`, or the data source's `timeouts { read }`), and the provider sends fewer requests at once "+
					"while the API keeps refusing.", fptapi.DefaultMaxRetries),
				Optional:   true,
				Validators: []validator.Int64{int64Between(0, 20)},
			},
			"time_zone": schema.StringAttribute{
				MarkdownDescription: "Time zone in which days, date range presets (such as `month_to_date`) and periods are " +
					"computed: a UTC offset such as `+07:00` or an IANA name such as `Asia/Ho_Chi_Minh`. Defaults to `+07:00`, " +
					"the time zone of FPT Cloud accounts.",
				Optional:   true,
				Validators: []validator.String{timeZoneValidator()},
			},
			"bills_endpoint": billsEndpointAttribute(),
		}),
	}
}

func (p *fptcloudProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	for name, value := range map[string]types.String{
		"token": cfg.Token, "refresh_token": cfg.RefreshToken, "region": cfg.Region,
		"tenant_name": cfg.TenantName, "api_endpoint": cfg.APIEndpoint, "time_zone": cfg.TimeZone,
		"bills_endpoint": cfg.BillEndpoint,
	} {
		if value.IsUnknown() {
			resp.Diagnostics.AddAttributeError(path.Root(name), "Unknown provider setting",
				fmt.Sprintf("The provider's %q is not known until apply, but billing data is read during plan. "+
					"Set it from a variable, a literal or its environment variable instead of a resource attribute.", name))
		}
	}
	if cfg.Timeout.IsUnknown() || cfg.MaxRetries.IsUnknown() {
		resp.Diagnostics.AddError("Unknown provider setting",
			"The provider's timeout and max_retries must be known during plan: set them from a variable or a literal.")
	}
	if resp.Diagnostics.HasError() {
		return
	}

	data := &providerData{
		clock:      p.opts.Clock,
		timeout:    time.Duration(int64OrDefault(cfg.Timeout, defaultTimeoutMinutes)) * time.Minute,
		tenantName: stringOrEnv(cfg.TenantName, EnvTenantName),

		billSummaries: memo.New[*bills.Result](billSummaryEntries),
	}
	zone := cfg.TimeZone.ValueString()
	if zone == "" {
		zone = billing.DefaultTimeZone
	}
	loc, err := billing.ParseTimeZone(zone)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("time_zone"), "Invalid time zone", err.Error())
		return
	}
	data.location = loc

	token := stringOrEnv(cfg.Token, EnvToken)
	refreshToken := stringOrEnv(cfg.RefreshToken, EnvRefreshToken)
	data.secrets = []string{token, refreshToken}
	endpointAttr := path.Root("api_endpoint")
	endpoint := stringOrEnv(cfg.APIEndpoint, EnvAPIURL)
	if endpoint == "" {
		endpoint = defaultEndpoint(stringOrEnv(cfg.Region, EnvRegion))
	}
	if _, err := fptapi.ParseBaseURL(endpoint); err != nil {
		resp.Diagnostics.AddAttributeError(endpointAttr, "Invalid API endpoint",
			fmt.Sprintf("api_endpoint (or %s): %s.", EnvAPIURL, err))
		return
	}
	billMode, err := billsEndpoint(cfg.BillEndpoint)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("bills_endpoint"), "Invalid bills endpoint", err.Error())
		return
	}
	if token == "" {
		// Reported when a data source is read, so that configurations that
		// read nothing (validate, mocks) need no token.
		data.configError = fmt.Sprintf("No FPT Cloud API token is configured. Set token in the provider block, "+
			"or the %s environment variable, to an access token from the FPT Cloud console.", EnvToken)
	} else {
		client, err := fptapi.New(fptapi.Config{
			BaseURL:      endpoint,
			Token:        token,
			RefreshToken: refreshToken,
			UserAgent:    fmt.Sprintf("terraform-provider-fptcloud/%s (+https://registry.terraform.io/providers/fptcloud-billing/fptcloud) Terraform/%s", p.version, req.TerraformVersion),
			MaxRetries:   int(int64OrDefault(cfg.MaxRetries, fptapi.DefaultMaxRetries)),
			MinBackoff:   p.opts.MinBackoff,
			MaxBackoff:   p.opts.MaxBackoff,
			HTTPClient:   p.opts.HTTPClient,
			Logger:       tflogLogger{},
			BillMode:     billMode,
		})
		if err != nil {
			resp.Diagnostics.AddError("Cannot configure the FPT Cloud API client", err.Error())
			return
		}
		data.client = client
		data.dayCache = openDayCache(ctx, &cfg, endpoint, token, p.opts.Clock, loc, &resp.Diagnostics)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	tflog.Debug(ctx, "configured the FPT Cloud provider", map[string]any{
		"api_endpoint": endpoint, "time_zone": loc.String(), "timeout": data.timeout.String(), "bills_endpoint": string(billMode),
	})
	resp.DataSourceData = data
}

func (p *fptcloudProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewBillInfoDataSource,
		NewBillServiceTypesDataSource,
		NewBillsDataSource,
		NewResourceStatementsDataSource,
	}
}

func (p *fptcloudProvider) Resources(_ context.Context) []func() resource.Resource {
	return nil
}

func (p *fptcloudProvider) Functions(_ context.Context) []func() function.Function {
	return []func() function.Function{
		NewFormatMoneyFunction,
		NewPercentOfFunction,
		NewExceedsFunction,
		NewTopTotalsFunction,
	}
}

// defaultEndpoint is the API base URL of a region.
func defaultEndpoint(region string) string {
	if strings.EqualFold(strings.TrimSpace(region), japanRegion) {
		return fptapi.JapanBaseURL
	}
	return fptapi.DefaultBaseURL
}

// stringOrEnv is a string setting, or else its environment variable: an
// empty string counts as unset, as for every setting of the provider.
func stringOrEnv(v types.String, env string) string {
	if s := v.ValueString(); s != "" {
		return s
	}
	return os.Getenv(env)
}

func int64OrDefault(v types.Int64, def int64) int64 {
	if v.IsNull() || v.IsUnknown() {
		return def
	}
	return v.ValueInt64()
}
