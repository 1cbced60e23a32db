package provider

import (
	"context"
	"errors"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/calendar"
)

func (d *billsDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		fromOrRange{},
	}
}

// ValidateConfig checks what the attribute validators cannot: real calendar
// days, from not after to, the longest span, and a compare_to that the
// range allows.
func (d *billsDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	var from, to types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("from"), &from)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("to"), &to)...)
	if resp.Diagnostics.HasError() || from.IsUnknown() || to.IsUnknown() {
		return
	}
	for name, v := range map[string]types.String{"from": from, "to": to} {
		if s := v.ValueString(); calendar.IsDay(s) { // the pattern's own validator reports other shapes
			if _, err := billing.ParseDate(s); err != nil {
				addInvalidValue(&resp.Diagnostics, path.Root(name), shownValue(v),
					err.Error()+"; write a real day of the calendar as YYYY-MM-DD, such as 2024-09-01")
			}
		}
	}
	if resp.Diagnostics.HasError() || from.IsNull() || !calendar.IsDay(from.ValueString()) {
		return
	}
	toText := from.ValueString()
	if !to.IsNull() {
		if !calendar.IsDay(to.ValueString()) {
			return
		}
		toText = to.ValueString()
	}
	if err := billing.CheckRange(from.ValueString(), toText); err != nil {
		addRangeError(&resp.Diagnostics, err)
		return
	}
	// With literal days, compare_to is checked here too, so that
	// terraform validate catches what plan would.
	var compareTo types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("compare_to"), &compareTo)...)
	if compareTo.IsNull() || compareTo.IsUnknown() || !slices.Contains(billing.CompareModes, compareTo.ValueString()) {
		return // the attribute's own validator reports other values
	}
	if _, err := billing.PreviousRange(compareTo.ValueString(), from.ValueString(), toText); err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("compare_to"), "Invalid comparison", err.Error()+".")
	}
}

// addRangeError reports a range that CheckRange refused on the end at fault.
func addRangeError(diags *diag.Diagnostics, err error) {
	var rangeErr *billing.RangeError
	switch {
	case err == nil:
	case errors.As(err, &rangeErr):
		diags.AddAttributeError(path.Root(rangeErr.Field), "Invalid date range", rangeErr.Message+".")
	default:
		diags.AddError("Invalid date range", err.Error())
	}
}
