package provider

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing"
)

// Every attribute validator of the provider, its own and the framework's
// stock ones (wrapped with styledString, styledInt64 or styledList), reports
// a refused value in one style:
//
//	summary: Invalid <attribute path>
//	detail:  <attribute path> = <value>: the value <what is wrong>.
//
// such as `spike_detection.baseline_days = 0: the value must be between 1
// and 90.`

// addInvalidValue reports that the attribute at p refuses the value shown
// (as written in HCL) because of problem. A problem that starts with the
// value itself (an error such as `"x" is not ...`) names it "the value"
// instead, so that the value appears once.
func addInvalidValue(diags *diag.Diagnostics, p path.Path, shown, problem string) {
	problem = strings.TrimSuffix(problem, ".")
	if rest, ok := strings.CutPrefix(problem, shown+" "); ok {
		problem = "the value " + rest
	}
	diags.AddAttributeError(p, "Invalid "+p.String(), fmt.Sprintf("%s = %s: %s.", p, shown, problem))
}

// oneOfList matches the framework's `one of: ["a" "b"]`.
var (
	oneOfList   = regexp.MustCompile(`one of: \[(.*)\]$`)
	quotedValue = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)
)

// requirement turns a stock validator's description ("value must be
// between 1 and 90", "string length must be at least 1", `value must be one
// of: ["a" "b"]`, "must be a date ...") into the provider's wording.
func requirement(desc string) string {
	if strings.HasPrefix(desc, "must") {
		desc = "value " + desc
	}
	if m := oneOfList.FindStringSubmatchIndex(desc); m != nil {
		values := quotedValue.FindAllString(desc[m[2]:m[3]], -1)
		list := strings.Join(values, ", ")
		if n := len(values); n > 1 {
			list = strings.Join(values[:n-1], ", ") + " or " + values[n-1]
		}
		desc = desc[:m[0]] + "one of " + list
	}
	return "the " + desc
}

// restyle replaces the errors a stock validator reported on p with one in
// the provider's style, keeping its warnings.
func restyle(ctx context.Context, diags *diag.Diagnostics, got diag.Diagnostics, p path.Path, v attr.Value, d validator.Describer) {
	if !got.HasError() {
		diags.Append(got...)
		return
	}
	diags.Append(got.Warnings()...)
	addInvalidValue(diags, p, shownValue(v), requirement(d.Description(ctx)))
}

// shownValue is a configuration value as HCL shows it.
func shownValue(v attr.Value) string {
	if s, ok := v.(interface{ ValueString() string }); ok {
		return strconv.Quote(s.ValueString())
	}
	return v.String()
}

// styledString is a stock string validator that reports in the provider's style.
type styledString struct{ validator.String }

func (v styledString) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	var got validator.StringResponse
	v.String.ValidateString(ctx, req, &got)
	restyle(ctx, &resp.Diagnostics, got.Diagnostics, req.Path, req.ConfigValue, v.String)
}

// styledInt64 is a stock number validator that reports in the provider's style.
type styledInt64 struct{ validator.Int64 }

func (v styledInt64) ValidateInt64(ctx context.Context, req validator.Int64Request, resp *validator.Int64Response) {
	var got validator.Int64Response
	v.Int64.ValidateInt64(ctx, req, &got)
	restyle(ctx, &resp.Diagnostics, got.Diagnostics, req.Path, req.ConfigValue, v.Int64)
}

// styledList is a stock list validator that reports in the provider's style.
type styledList struct{ validator.List }

func (v styledList) ValidateList(ctx context.Context, req validator.ListRequest, resp *validator.ListResponse) {
	var got validator.ListResponse
	v.List.ValidateList(ctx, req, &got)
	restyle(ctx, &resp.Diagnostics, got.Diagnostics, req.Path, req.ConfigValue, v.List)
}

// timeZoneValidator accepts a UTC offset or an IANA time zone name; the
// empty string is unset (the default applies).
type timeZoneValidator struct{}

var _ validator.String = timeZoneValidator{}

func (timeZoneValidator) Description(context.Context) string {
	return "must be a UTC offset such as +07:00 or an IANA time zone name such as Asia/Ho_Chi_Minh"
}

func (v timeZoneValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (timeZoneValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() || req.ConfigValue.ValueString() == "" {
		return
	}
	if _, err := billing.ParseTimeZone(req.ConfigValue.ValueString()); err != nil {
		addInvalidValue(&resp.Diagnostics, req.Path, shownValue(req.ConfigValue), err.Error())
	}
}

// unsetWhenEmpty runs a string validator on every value but "", which the
// provider's settings take as unset.
type unsetWhenEmpty struct{ validator.String }

func (v unsetWhenEmpty) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.ValueString() != "" {
		v.String.ValidateString(ctx, req, resp)
	}
}
