package provider

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
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

// Every attribute validator of the provider reports a refused value in one
// style:
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

// shownValue is a configuration value as HCL shows it.
func shownValue(v attr.Value) string {
	if s, ok := v.(interface{ ValueString() string }); ok {
		return strconv.Quote(s.ValueString())
	}
	return v.String()
}

// The validators below state their own requirement, in the words the
// provider's messages use: none of them takes its wording from another
// package's description or message, so an upgrade of the framework's
// validators cannot change what a user reads.

// oneOf accepts the strings of values: `the value must be one of "a", "b"
// or "c"`.
func oneOf(values ...string) textValidator {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = strconv.Quote(v)
	}
	list := strings.Join(quoted, ", ")
	if n := len(quoted); n > 1 {
		list = strings.Join(quoted[:n-1], ", ") + " or " + quoted[n-1]
	}
	description := "must be one of " + list
	return textValidator{
		description: description,
		check: func(s string) error {
			if slices.Contains(values, s) {
				return nil
			}
			return errors.New("the value " + description)
		},
	}
}

// oneOfOrUnset is oneOf for a provider setting, where "" is unset (the
// default applies).
func oneOfOrUnset(values ...string) textValidator {
	v := oneOf(values...)
	v.emptyIsUnset = true
	return v
}

// nonEmpty refuses the empty string: "the string length must be at least 1".
func nonEmpty() textValidator {
	const description = "string length must be at least 1"
	return textValidator{
		description: description,
		check: func(s string) error {
			if s == "" {
				return errors.New("the " + description)
			}
			return nil
		},
	}
}

// matching accepts the strings that re matches; requirement says which
// they are ("must be a date in the form YYYY-MM-DD, such as 2024-09-01").
func matching(re *regexp.Regexp, requirement string) textValidator {
	return textValidator{
		description: requirement,
		check: func(s string) error {
			if re.MatchString(s) {
				return nil
			}
			return errors.New("the value " + requirement)
		},
	}
}

// int64Range accepts whole numbers from min to max, or from min on when
// max is nil: "the value must be between 1 and 90", "the value must be at
// least 1".
type int64Range struct {
	min int64
	max *int64
}

var _ validator.Int64 = int64Range{}

// int64Between accepts lowest to highest, both included.
func int64Between(lowest, highest int64) int64Range { return int64Range{min: lowest, max: &highest} }

// int64AtLeast accepts lowest and more.
func int64AtLeast(lowest int64) int64Range { return int64Range{min: lowest} }

func (v int64Range) Description(context.Context) string {
	if v.max != nil {
		return fmt.Sprintf("must be between %d and %d", v.min, *v.max)
	}
	return fmt.Sprintf("must be at least %d", v.min)
}

func (v int64Range) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v int64Range) ValidateInt64(ctx context.Context, req validator.Int64Request, resp *validator.Int64Response) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if n := req.ConfigValue.ValueInt64(); n < v.min || (v.max != nil && n > *v.max) {
		addInvalidValue(&resp.Diagnostics, req.Path, shownValue(req.ConfigValue), "the value "+v.Description(ctx))
	}
}

// listSizeAtLeast accepts lists of min elements or more: "the list must
// contain at least 1 element".
type listSizeAtLeast int

var _ validator.List = listSizeAtLeast(0)

func (v listSizeAtLeast) Description(context.Context) string {
	if v == 1 {
		return "list must contain at least 1 element"
	}
	return fmt.Sprintf("list must contain at least %d elements", int(v))
}

func (v listSizeAtLeast) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v listSizeAtLeast) ValidateList(ctx context.Context, req validator.ListRequest, resp *validator.ListResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if len(req.ConfigValue.Elements()) < int(v) {
		addInvalidValue(&resp.Diagnostics, req.Path, shownValue(req.ConfigValue), "the "+v.Description(ctx))
	}
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

// eachString runs a string validator on every element of a list, at the
// element's path (`services[1]`).
type eachString struct{ validator.String }

var _ validator.List = eachString{}

func (v eachString) Description(ctx context.Context) string {
	return "each element " + v.String.Description(ctx)
}

func (v eachString) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v eachString) ValidateList(ctx context.Context, req validator.ListRequest, resp *validator.ListResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	for i, element := range req.ConfigValue.Elements() {
		s, ok := element.(types.String)
		if !ok {
			resp.Diagnostics.AddAttributeError(req.Path.AtListIndex(i), "Invalid "+req.Path.AtListIndex(i).String(),
				fmt.Sprintf("The provider expected a string here, not %T: please report this as a bug of the provider.", element))
			continue
		}
		elementReq := validator.StringRequest{
			Path: req.Path.AtListIndex(i), PathExpression: req.PathExpression.AtListIndex(i),
			ConfigValue: s, Config: req.Config,
		}
		var elementResp validator.StringResponse
		v.ValidateString(ctx, elementReq, &elementResp)
		resp.Diagnostics.Append(elementResp.Diagnostics...)
	}
}
