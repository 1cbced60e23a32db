package provider

import (
	"context"
	"math/big"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing"
)

// TestValidatorsOneStyle checks that the provider's own validators and the
// framework's stock ones, wrapped, word a refused value the same way:
// summary "Invalid <path>", detail "<path> = <value>: the value ...".
func TestValidatorsOneStyle(t *testing.T) {
	ctx := context.Background()
	factor := path.Root("spike_detection").AtName("factor")
	days := path.Root("spike_detection").AtName("baseline_days")
	cases := []struct {
		name string
		run  func() diag.Diagnostics
		path path.Path
		want string
		at   path.Path // where the diagnostic is attached, when not path (see locatablePath); path.Empty(): path
	}{
		{"own number validator", func() diag.Diagnostics {
			var resp validator.NumberResponse
			amountValidator{min: billing.MustParseMoney("1"), strict: true, example: billing.DefaultSpikeFactor}.ValidateNumber(ctx,
				validator.NumberRequest{Path: factor, ConfigValue: types.NumberValue(big.NewFloat(1))}, &resp)
			return resp.Diagnostics
		}, factor, "spike_detection.factor = 1: the value must be greater than 1, such as 3.", path.Root("spike_detection")},
		{"stock between", func() diag.Diagnostics {
			var resp validator.Int64Response
			styledInt64{int64validator.Between(1, billing.MaxSpikeBaselineDays)}.ValidateInt64(ctx,
				validator.Int64Request{Path: days, ConfigValue: types.Int64Value(0)}, &resp)
			return resp.Diagnostics
		}, days, "spike_detection.baseline_days = 0: the value must be between 1 and 90.", path.Root("spike_detection")},
		{"stock one of", func() diag.Diagnostics {
			var resp validator.StringResponse
			styledString{stringvalidator.OneOf("asc", "desc")}.ValidateString(ctx,
				validator.StringRequest{Path: path.Root("sort_order"), ConfigValue: types.StringValue("up")}, &resp)
			return resp.Diagnostics
		}, path.Root("sort_order"), `sort_order = "up": the value must be one of "asc" or "desc".`, path.Empty()},
		{"stock list size", func() diag.Diagnostics {
			var resp validator.ListResponse
			styledList{listvalidator.SizeAtLeast(1)}.ValidateList(ctx,
				validator.ListRequest{Path: path.Root("tags"), ConfigValue: types.ListValueMust(types.StringType, nil)}, &resp)
			return resp.Diagnostics
		}, path.Root("tags"), "tags = []: the list must contain at least 1 elements.", path.Empty()},
		{"own string validator, the value named once", func() diag.Diagnostics {
			var resp validator.StringResponse
			timeZoneValidator().ValidateString(ctx,
				validator.StringRequest{Path: path.Root("time_zone"), ConfigValue: types.StringValue("Mars/Olympus")}, &resp)
			return resp.Diagnostics
		}, path.Root("time_zone"), `time_zone = "Mars/Olympus": the value is neither a UTC offset such as "+07:00" nor an IANA time zone name such as "Asia/Ho_Chi_Minh".`, path.Empty()},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			diags := tc.run()
			if len(diags) != 1 {
				t.Fatalf("%d diagnostics (%v), want 1", len(diags), diags)
			}
			d := diags[0]
			if want := "Invalid " + tc.path.String(); d.Summary() != want {
				t.Errorf("summary %q, want %q", d.Summary(), want)
			}
			if d.Detail() != tc.want {
				t.Errorf("detail\n %q, want\n %q", d.Detail(), tc.want)
			}
			at := tc.at
			if at.Equal(path.Empty()) {
				at = tc.path
			}
			if wp, ok := d.(diag.DiagnosticWithPath); !ok || !wp.Path().Equal(at) {
				t.Errorf("the diagnostic is not on %s", at)
			}
		})
	}
}

// TestValidatorsEmptyIsUnset: "" passes the validators of the provider's
// string settings, which take it as unset.
func TestValidatorsEmptyIsUnset(t *testing.T) {
	ctx := context.Background()
	for name, v := range map[string]validator.String{
		"time_zone":      timeZoneValidator(),
		"bills_endpoint": styledString{unsetWhenEmpty{stringvalidator.OneOf(billModeNames()...)}},
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
