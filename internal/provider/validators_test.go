package provider

import (
	"context"
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing"
)

// validate runs v, a list, string, int64 or number validator (a list
// first: eachString is a string validator too) of the provider, on value at p and returns its diagnostics.
func validate(t *testing.T, v any, p path.Path, value attr.Value) diag.Diagnostics {
	t.Helper()
	ctx := context.Background()
	switch v := v.(type) {
	case validator.List:
		var resp validator.ListResponse
		v.ValidateList(ctx, validator.ListRequest{Path: p, PathExpression: p.Expression(), ConfigValue: valueOf[types.List](t, value)}, &resp)
		return resp.Diagnostics
	case validator.String:
		var resp validator.StringResponse
		v.ValidateString(ctx, validator.StringRequest{Path: p, PathExpression: p.Expression(), ConfigValue: valueOf[types.String](t, value)}, &resp)
		return resp.Diagnostics
	case validator.Int64:
		var resp validator.Int64Response
		v.ValidateInt64(ctx, validator.Int64Request{Path: p, PathExpression: p.Expression(), ConfigValue: valueOf[types.Int64](t, value)}, &resp)
		return resp.Diagnostics
	case validator.Number:
		var resp validator.NumberResponse
		v.ValidateNumber(ctx, validator.NumberRequest{Path: p, PathExpression: p.Expression(), ConfigValue: valueOf[types.Number](t, value)}, &resp)
		return resp.Diagnostics
	}
	t.Fatalf("%T is no validator of a kind the test knows", v)
	return nil
}

// valueOf is value as a T, or fails the test.
func valueOf[T attr.Value](t *testing.T, value attr.Value) T {
	t.Helper()
	v, ok := value.(T)
	if !ok {
		t.Fatalf("the value %s is a %T, not the %T the validator takes", value, value, v)
	}
	return v
}

// TestValidatorsOneStyle checks that every validator of the provider words
// a refused value the same way, with its own words (none is taken from
// another package, whose wording could change with an upgrade): summary
// "Invalid <path>", detail "<path> = <value>: the value ...".
func TestValidatorsOneStyle(t *testing.T) {
	factor := path.Root("spike_detection").AtName("factor")
	days := path.Root("spike_detection").AtName("baseline_days")
	cases := []struct {
		name      string
		validator any
		path      path.Path
		value     attr.Value
		wantPath  path.Path // the path the summary and detail name, when not path
		want      string
		at        path.Path // where the diagnostic is attached, when not wantPath (see locatablePath)
	}{
		{name: "amount, strict", validator: amountValidator{min: billing.MustParseMoney("1"), strict: true, example: billing.DefaultSpikeFactor},
			path: factor, value: types.NumberValue(big.NewFloat(1)),
			want: "spike_detection.factor = 1: the value must be greater than 1, such as 3.", at: path.Root("spike_detection")},
		{name: "whole number between", validator: int64Between(1, billing.MaxSpikeBaselineDays), path: days, value: types.Int64Value(0),
			want: "spike_detection.baseline_days = 0: the value must be between 1 and 90.", at: path.Root("spike_detection")},
		{name: "whole number between, above", validator: int64Between(1, 1440), path: path.Root("timeout"), value: types.Int64Value(1441),
			want: "timeout = 1441: the value must be between 1 and 1440."},
		{name: "whole number at least", validator: int64AtLeast(1), path: path.Root("max_items"), value: types.Int64Value(0),
			want: "max_items = 0: the value must be at least 1."},
		{name: "one of two", validator: oneOf("asc", "desc"), path: path.Root("sort_order"), value: types.StringValue("up"),
			want: `sort_order = "up": the value must be one of "asc" or "desc".`},
		{name: "one of three, or unset", validator: oneOfOrUnset("auto", "paging", "by_date"), path: path.Root("bills_endpoint"), value: types.StringValue("pages"),
			want: `bills_endpoint = "pages": the value must be one of "auto", "paging" or "by_date".`},
		{name: "one of one", validator: oneOf("day"), path: path.Root("period"), value: types.StringValue("Day"),
			want: `period = "Day": the value must be one of "day".`},
		{name: "not empty", validator: nonEmpty(), path: path.Root("status"), value: types.StringValue(""),
			want: `status = "": the string length must be at least 1.`},
		{name: "matching a pattern", validator: matching(regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`), "must be a date in the form YYYY-MM-DD, such as 2024-09-01"),
			path: path.Root("to"), value: types.StringValue("2024-9-30"),
			want: `to = "2024-9-30": the value must be a date in the form YYYY-MM-DD, such as 2024-09-01.`},
		{name: "read timeout", validator: readTimeoutValidator(), path: path.Root("timeouts").AtName("read"), value: types.StringValue("soon"),
			want: `timeouts.read = "soon": the value must be a string containing a sequence of decimal numbers, each with an optional ` +
				`fraction and a unit suffix, such as "30s", "5m" or "2h45m"; the units are "ns", "us" (or "µs"), "ms", "s", "m" and "h".`,
			at: path.Root("timeouts")},
		{name: "list size", validator: listSizeAtLeast(1), path: path.Root("tags"), value: types.ListValueMust(types.StringType, nil),
			want: "tags = []: the list must contain at least 1 element."},
		{name: "list size, two", validator: listSizeAtLeast(2), path: path.Root("tags"), value: strs("a"),
			want: `tags = ["a"]: the list must contain at least 2 elements.`},
		{name: "each element", validator: eachString{nonEmpty()}, path: path.Root("services"), value: strs("Instance", ""),
			wantPath: path.Root("services").AtListIndex(1),
			want:     `services[1] = "": the string length must be at least 1.`},
		{name: "own string validator, the value named once", validator: timeZoneValidator(), path: path.Root("time_zone"), value: types.StringValue("Mars/Olympus"),
			want: `time_zone = "Mars/Olympus": the value is neither a UTC offset such as "+07:00" nor an IANA time zone name such as "Asia/Ho_Chi_Minh".`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			diags := validate(t, tc.validator, tc.path, tc.value)
			if len(diags) != 1 {
				t.Fatalf("%d diagnostics (%v), want 1", len(diags), diags)
			}
			d := diags[0]
			named := tc.wantPath
			if len(named.Steps()) == 0 {
				named = tc.path
			}
			if want := "Invalid " + named.String(); d.Summary() != want {
				t.Errorf("summary %q, want %q", d.Summary(), want)
			}
			if d.Detail() != tc.want {
				t.Errorf("detail\n %q, want\n %q", d.Detail(), tc.want)
			}
			at := tc.at
			if len(at.Steps()) == 0 {
				at = named
			}
			if wp, ok := d.(diag.DiagnosticWithPath); !ok || !wp.Path().Equal(at) {
				t.Errorf("the diagnostic is not on %s", at)
			}
		})
	}
}

// TestValidatorsAccept: each validator lets through the values it
// describes, and null and unknown values, which it cannot judge yet.
func TestValidatorsAccept(t *testing.T) {
	cases := []struct {
		name      string
		validator any
		values    []attr.Value
	}{
		{"whole number between", int64Between(1, 90), []attr.Value{types.Int64Value(1), types.Int64Value(45), types.Int64Value(90), types.Int64Null(), types.Int64Unknown()}},
		{"whole number at least", int64AtLeast(0), []attr.Value{types.Int64Value(0), types.Int64Value(1 << 40), types.Int64Null(), types.Int64Unknown()}},
		{"one of", oneOf("asc", "desc"), []attr.Value{types.StringValue("asc"), types.StringValue("desc"), types.StringNull(), types.StringUnknown()}},
		{"one of, or unset", oneOfOrUnset("auto", "paging"), []attr.Value{types.StringValue(""), types.StringValue("paging")}},
		{"not empty", nonEmpty(), []attr.Value{types.StringValue(" "), types.StringValue("vm"), types.StringNull(), types.StringUnknown()}},
		{"matching", matching(regexp.MustCompile(`^a+$`), "must be a's"), []attr.Value{types.StringValue("aaa"), types.StringNull()}},
		{"read timeout", readTimeoutValidator(), []attr.Value{types.StringValue("30s"), types.StringValue("1h30m"), types.StringValue("250ms"), types.StringNull()}},
		{"list size", listSizeAtLeast(1), []attr.Value{strs("a"), strs("a", "b"), types.ListNull(types.StringType), types.ListUnknown(types.StringType)}},
		{"each element", eachString{nonEmpty()}, []attr.Value{strs(), strs("a", "b"), types.ListNull(types.StringType),
			types.ListValueMust(types.StringType, []attr.Value{types.StringUnknown()})}},
	}
	for _, tc := range cases {
		for _, value := range tc.values {
			if diags := validate(t, tc.validator, path.Root("x"), value); diags.HasError() {
				t.Errorf("%s refused %s: %v", tc.name, value, diags)
			}
		}
	}
}

// TestValidatorsAreTheProvidersOwn: no code of the provider takes a
// validator from terraform-plugin-framework-validators, whose descriptions
// and messages are worded upstream and may change with any upgrade; the
// provider's validators (validators.go) state theirs.
func TestValidatorsAreTheProvidersOwn(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(src), "terraform-plugin-framework-validators") {
			t.Errorf("%s imports terraform-plugin-framework-validators: use a validator of validators.go, which words its own messages", f)
		}
	}
	if len(files) < 10 {
		t.Fatalf("found %d files: the test runs outside internal/provider", len(files))
	}
}

// TestValidatorsEmptyIsUnset: "" passes the validators of the provider's
// string settings, which take it as unset.
func TestValidatorsEmptyIsUnset(t *testing.T) {
	ctx := context.Background()
	for name, v := range map[string]validator.String{
		"time_zone":      timeZoneValidator(),
		"bills_endpoint": oneOfOrUnset(billModeNames()...),
		"cache_max_age":  durationValidator(minCacheMaxAge),
	} {
		var resp validator.StringResponse
		v.ValidateString(ctx, validator.StringRequest{Path: path.Root(name), ConfigValue: types.StringValue("")}, &resp)
		if resp.Diagnostics.HasError() {
			t.Errorf("%s = \"\": %v, want no error (unset)", name, resp.Diagnostics)
		}
	}
}

// TestLocatablePath: a diagnostic goes to the top-level attribute and the
// element of it that the path picks, the deepest part that Terraform 1.8 to
// 1.11 and OpenTofu find in the configuration.
func TestLocatablePath(t *testing.T) {
	for _, tc := range []struct{ in, want path.Path }{
		{path.Root("filters").AtListIndex(2).AtName("op"), path.Root("filters").AtListIndex(2)},
		{path.Root("spike_detection").AtName("factor"), path.Root("spike_detection")},
		{path.Root("labels").AtMapKey("team").AtName("budget"), path.Root("labels").AtMapKey("team")},
		{path.Root("tags").AtListIndex(0), path.Root("tags").AtListIndex(0)},
		{path.Root("range"), path.Root("range")},
		{path.Empty(), path.Empty()},
	} {
		if got := locatablePath(tc.in); !got.Equal(tc.want) {
			t.Errorf("locatablePath(%s) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

// strs is a known list of strings, for the validators' tests.
func strs(values ...string) types.List {
	elems := make([]attr.Value, len(values))
	for i, v := range values {
		elems[i] = types.StringValue(v)
	}
	return types.ListValueMust(types.StringType, elems)
}
