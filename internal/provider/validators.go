package provider

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/bills"
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
// instead, so that the value appears once. The summary and the detail name
// the whole path (`filters[0].op`); the diagnostic is attached to the part
// of it that Terraform can find in the configuration (locatablePath).
func addInvalidValue(diags *diag.Diagnostics, p path.Path, shown, problem string) {
	problem = strings.TrimSuffix(problem, ".")
	if rest, ok := strings.CutPrefix(problem, shown+" "); ok {
		problem = "the value " + rest
	}
	diags.AddAttributeError(locatablePath(p), "Invalid "+p.String(), fmt.Sprintf("%s = %s: %s.", p, shown, problem))
}

// locatablePath is the longest start of p that Terraform 1.8 to 1.11 and
// OpenTofu find in the configuration: a top-level attribute, and the
// element of it that the next step names. They walk only nested blocks,
// not nested attributes, so a diagnostic at filters[0].op would show the
// first line of the data block; at filters[0] it shows the element that
// holds op, and at spike_detection the line `spike_detection = {`.
func locatablePath(p path.Path) path.Path {
	steps := p.Steps()
	if len(steps) == 0 {
		return p
	}
	name, ok := steps[0].(path.PathStepAttributeName)
	if !ok {
		return p
	}
	out := path.Root(string(name))
	if len(steps) > 1 {
		switch step := steps[1].(type) {
		case path.PathStepElementKeyInt:
			out = out.AtListIndex(int(step))
		case path.PathStepElementKeyString:
			out = out.AtMapKey(string(step))
		}
	}
	return out
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

// textValidator accepts the strings check accepts and reports any other
// in the provider's style. With emptyIsUnset, "" is unset (the default
// applies) and not checked.
type textValidator struct {
	description  string
	emptyIsUnset bool
	check        func(string) error
}

var _ validator.String = textValidator{}

func (v textValidator) Description(context.Context) string { return v.description }

func (v textValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v textValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() || (v.emptyIsUnset && req.ConfigValue.ValueString() == "") {
		return
	}
	if err := v.check(req.ConfigValue.ValueString()); err != nil {
		addInvalidValue(&resp.Diagnostics, req.Path, shownValue(req.ConfigValue), err.Error())
	}
}

// timeZoneValidator accepts a UTC offset or an IANA time zone name; the
// empty string is unset (the default applies).
func timeZoneValidator() textValidator {
	return textValidator{
		description:  "must be a UTC offset such as +07:00 or an IANA time zone name such as Asia/Ho_Chi_Minh",
		emptyIsUnset: true,
		check: func(s string) error {
			_, err := billing.ParseTimeZone(s)
			return err
		},
	}
}

// durationValidator accepts a Go duration of at least least (the cache's
// max age); the empty string is unset.
func durationValidator(least time.Duration) textValidator {
	return textValidator{
		description:  fmt.Sprintf("must be a Go duration of at least %s, such as 24h", least),
		emptyIsUnset: true,
		check: func(s string) error {
			_, err := parseCacheMaxAge(s)
			return err
		},
	}
}

// instantValidator accepts an RFC 3339 time or a YYYY-MM-DD day.
func instantValidator() textValidator {
	return textValidator{
		description: "must be an RFC 3339 time such as 2024-09-01T00:00:00+07:00 or a day such as 2024-09-01",
		check: func(s string) error {
			_, err := bills.ParseInstant(s, time.UTC)
			return err
		},
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

// amountValidator accepts a number of at least min (more than min when
// strict).
type amountValidator struct {
	min     billing.Money
	strict  bool
	example string
}

var _ validator.Number = amountValidator{}

func (v amountValidator) Description(context.Context) string {
	if v.strict {
		return "must be greater than " + v.min.String()
	}
	return "must be at least " + v.min.String()
}

func (v amountValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v amountValidator) ValidateNumber(ctx context.Context, req validator.NumberRequest, resp *validator.NumberResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	m, err := billing.MoneyFromFloat(req.ConfigValue.ValueBigFloat())
	if err != nil {
		addInvalidValue(&resp.Diagnostics, req.Path, req.ConfigValue.String(), err.Error())
		return
	}
	if c := m.Cmp(v.min); c < 0 || (v.strict && c == 0) {
		addInvalidValue(&resp.Diagnostics, req.Path, m.String(), fmt.Sprintf("the value %s, such as %s", v.Description(ctx), v.example))
	}
}

// sortOrderNeedsField refuses sort_order without sort_field: the vendor does
// not document the field the API sorts by by default, so the provider does
// not guess one.
type sortOrderNeedsField struct{}

var _ validator.String = sortOrderNeedsField{}

func (sortOrderNeedsField) Description(context.Context) string {
	return "needs sort_field, the field to sort by"
}

func (v sortOrderNeedsField) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (sortOrderNeedsField) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	var field types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("sort_field"), &field)...)
	if field.IsNull() { // an unknown field will be known at plan
		addInvalidValue(&resp.Diagnostics, req.Path, shownValue(req.ConfigValue), "the value needs sort_field, the field to sort by, "+
			"such as sort_field = \"started_time\" for the newest or oldest first: FPT Cloud does not document which field "+
			"its own order sorts by, so the provider does not guess one")
	}
}

// fromOrRange asks for exactly one of from and range, and no to with
// range, reporting in the validators' style (see validators.go).
type fromOrRange struct{}

func (fromOrRange) Description(context.Context) string {
	return "exactly one of from (with an optional to) and range must be set"
}

func (v fromOrRange) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (fromOrRange) ValidateDataSource(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	var from, to, rng types.String
	for name, dst := range map[string]*types.String{"from": &from, "to": &to, "range": &rng} {
		resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(name), dst)...)
	}
	if resp.Diagnostics.HasError() || from.IsUnknown() || to.IsUnknown() || rng.IsUnknown() {
		return
	}
	switch {
	case from.IsNull() && rng.IsNull():
		resp.Diagnostics.AddError("Missing from or range",
			`Set from, a day such as "2024-09-01" (with to for the last day, or alone for one day), or range, a preset such as "month_to_date".`)
	case !rng.IsNull() && !from.IsNull():
		addInvalidValue(&resp.Diagnostics, path.Root("range"), shownValue(rng),
			"the value cannot be set with from, as both say which days to read; keep from (and to) for days, or range for a preset")
	case !rng.IsNull() && !to.IsNull():
		addInvalidValue(&resp.Diagnostics, path.Root("to"), shownValue(to),
			"the value cannot be set with range, which sets both ends; remove to, or replace range with from")
	}
}
