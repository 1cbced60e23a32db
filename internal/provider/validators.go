package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/bills"
)

// textValidator accepts the strings check accepts. A string it refuses is
// an error with summary as its summary and check's error as its detail.
type textValidator struct {
	description string
	summary     string
	check       func(string) error
}

var _ validator.String = textValidator{}

func (v textValidator) Description(context.Context) string { return v.description }

func (v textValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v textValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := v.check(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, v.summary, err.Error())
	}
}

// timeZoneValidator accepts a UTC offset or an IANA time zone name.
func timeZoneValidator() textValidator {
	return textValidator{
		description: "must be a UTC offset such as +07:00 or an IANA time zone name such as Asia/Ho_Chi_Minh",
		summary:     "Invalid time zone",
		check: func(s string) error {
			_, err := billing.ParseTimeZone(s)
			return err
		},
	}
}

// durationValidator accepts a Go duration of at least least (the cache's
// max age).
func durationValidator(least time.Duration) textValidator {
	return textValidator{
		description: fmt.Sprintf("must be a Go duration of at least %s, such as 24h", least),
		summary:     "Invalid cache_max_age",
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
		summary:     "Invalid time",
		check: func(s string) error {
			if _, err := bills.ParseInstant(s, time.UTC); err != nil {
				return errors.New(err.Error() + ".")
			}
			return nil
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
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid number", fmt.Sprintf("%s: %s.", req.Path, err))
		return
	}
	if c := m.Cmp(v.min); c < 0 || (v.strict && c == 0) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid number",
			fmt.Sprintf("%s = %s: the value %s, such as %s.", req.Path, m, v.Description(ctx), v.example))
	}
}

// stringNotBlank refuses an empty string, which would mean "no cache" in a
// way a reader of the configuration could not tell from a mistake.
type stringNotBlank struct{}

var _ validator.String = stringNotBlank{}

func (stringNotBlank) Description(context.Context) string {
	return "must be a directory path; leave the argument unset to turn the cache off"
}

func (v stringNotBlank) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v stringNotBlank) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() || req.ConfigValue.ValueString() != "" {
		return
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid cache_dir", "cache_dir is empty: it "+v.Description(ctx)+".")
}
