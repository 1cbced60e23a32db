package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing"
)

// timeZoneValidator accepts a UTC offset or an IANA time zone name.
type timeZoneValidator struct{}

var _ validator.String = timeZoneValidator{}

func (timeZoneValidator) Description(context.Context) string {
	return "must be a UTC offset such as +07:00 or an IANA time zone name such as Asia/Ho_Chi_Minh"
}

func (v timeZoneValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (timeZoneValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := billing.ParseTimeZone(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid time zone", err.Error())
	}
}
