package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/bills"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/clock"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/memo"
)

// providerData is what Configure hands to every data source.
type providerData struct {
	client      *fptapi.Client // nil when configError is set
	configError string
	clock       clock.Clock
	location    *time.Location
	timeout     time.Duration
	tenantName  string
	secrets     []string // masked in every log line

	billSummaries *memo.Cache[*bills.Result] // fptcloud_bills results without items
	dayCache      *bills.DayCache            // closed days' bill lines across runs; nil when off
}

// configureDataSource is the shared body of the data sources' Configure.
func configureDataSource(req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) *providerData {
	if req.ProviderData == nil {
		return nil // the provider is not configured yet (validation)
	}
	data, ok := req.ProviderData.(*providerData)
	if !ok {
		resp.Diagnostics.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; please report it.", req.ProviderData))
		return nil
	}
	return data
}

// beginRead opens the Read of a data source: it reads the configuration
// into model, whose read timeout is timeouts, and prepares the read's
// context (readContext). The returned cancel must be called; on false the
// diagnostics say why the read cannot go on.
func (p *providerData) beginRead(ctx context.Context, config tfsdk.Config, model any, timeouts *timeouts.Value,
	diags *diag.Diagnostics,
) (context.Context, context.CancelFunc, bool) {
	diags.Append(config.Get(ctx, model)...)
	readTimeout, d := timeouts.Read(ctx, 0)
	diags.Append(d...)
	if diags.HasError() {
		return ctx, func() {}, false
	}
	return p.readContext(ctx, readTimeout, diags)
}

// readContext prepares a data source read: it masks the secrets in every
// log line, applies the read's deadline and checks the provider is usable.
// The returned cancel must be called.
func (p *providerData) readContext(ctx context.Context, timeout time.Duration, diags *diag.Diagnostics) (context.Context, context.CancelFunc, bool) {
	if p == nil {
		diags.AddError("Provider not configured",
			"The fptcloud provider was not configured before the data source was read. This is a bug in the provider; please report it.")
		return ctx, func() {}, false
	}
	for _, secret := range p.secrets {
		if secret != "" {
			ctx = tflog.MaskAllFieldValuesStrings(ctx, secret)
			ctx = tflog.MaskMessageStrings(ctx, secret)
		}
	}
	ctx = tflog.MaskFieldValuesWithFieldKeys(ctx, "Authorization", "authorization", "refresh-token", "token", "refresh_token")
	if p.configError != "" {
		diags.AddError("Missing FPT Cloud API token", p.configError)
		return ctx, func() {}, false
	}
	if timeout <= 0 {
		timeout = p.timeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	return ctx, cancel, true
}

// addAPIError reports a failed API call: what was being read, the endpoint,
// the HTTP status, the API's message and what to do.
func addAPIError(diags *diag.Diagnostics, what string, err error) {
	var apiErr *fptapi.APIError
	switch {
	case errors.As(err, &apiErr):
		diags.AddError(fmt.Sprintf("Cannot read %s", what), fmt.Sprintf("%s\n\n%s", apiErr.Error(), apiErr.Hint()))
	case errors.Is(err, context.DeadlineExceeded):
		diags.AddError(fmt.Sprintf("Timed out reading %s", what),
			fmt.Sprintf("%s\n\nThe read did not finish within its timeout. Raise the provider's timeout (minutes) "+
				"or the data source's timeouts { read }, or narrow the request.", err))
	case errors.Is(err, context.Canceled):
		diags.AddError(fmt.Sprintf("Reading %s was cancelled", what), err.Error())
	default:
		diags.AddError(fmt.Sprintf("Cannot read %s", what),
			fmt.Sprintf("%s\n\nThe FPT Cloud API could not be reached. Check the network, api_endpoint (or %s) and region.", err, EnvAPIURL))
	}
}

// tflogLogger forwards the API client's log lines to Terraform's log.
//
// Each line goes through its own copy of the context's logger fields
// (tflog.SetField copies them): tflog masks those fields in place, so pages
// requested concurrently with one context would otherwise write to the same
// map at once and crash the provider.
type tflogLogger struct{}

func (tflogLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	tflog.Debug(tflog.SetField(ctx, "component", "fptapi"), msg, fields)
}

func (tflogLogger) Warn(ctx context.Context, msg string, fields map[string]any) {
	tflog.Warn(tflog.SetField(ctx, "component", "fptapi"), msg, fields)
}
