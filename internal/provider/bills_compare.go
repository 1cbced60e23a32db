package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/bills"
)

// billsComparisonModel is fptcloud_bills' comparison with a previous range.
type billsComparisonModel struct {
	From              types.String `tfsdk:"from"`
	To                types.String `tfsdk:"to"`
	TotalPrice        types.Number `tfsdk:"total_price"`
	ItemCount         types.Int64  `tfsdk:"item_count"`
	CurrentTo         types.String `tfsdk:"current_to"`
	CurrentTotalPrice types.Number `tfsdk:"current_total_price"`
	Change            types.Number `tfsdk:"change"`
	ChangePercent     types.Number `tfsdk:"change_percent"`
	ChangeByService   types.Map    `tfsdk:"change_by_service"`
	ChangeByVPC       types.Map    `tfsdk:"change_by_vpc"`
	// The recurring charges apart from usage.
	CurrentRecurring   types.Number `tfsdk:"current_recurring_price"`
	Recurring          types.Number `tfsdk:"recurring_price"`
	UsageChange        types.Number `tfsdk:"usage_change"`
	UsageChangePercent types.Number `tfsdk:"usage_change_percent"`
}

// spikeDetectionModel is the spike_detection argument.
type spikeDetectionModel struct {
	BaselineDays types.Int64  `tfsdk:"baseline_days"`
	Factor       types.Number `tfsdk:"factor"`
	MinAmount    types.Number `tfsdk:"min_amount"`
}

// spikeType is the type of one entry of spikes.
var spikeType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"day": types.StringType, "service": types.StringType,
	"amount": types.NumberType, "baseline": types.NumberType, "ratio": types.NumberType,
}}

// billSpikeModel is one entry of spikes.
type billSpikeModel struct {
	Day      types.String `tfsdk:"day"`
	Service  types.String `tfsdk:"service"`
	Amount   types.Number `tfsdk:"amount"`
	Baseline types.Number `tfsdk:"baseline"`
	Ratio    types.Number `tfsdk:"ratio"`
}

// billsHistoryAttributes are the fptcloud_bills attributes that look back:
// the comparison with a previous range and the spikes.
func billsHistoryAttributes() map[string]schema.Attribute {
	money := func(desc string) schema.Attribute {
		return schema.MapAttribute{MarkdownDescription: desc, ElementType: types.NumberType, Computed: true}
	}
	return map[string]schema.Attribute{
		"compare_to": schema.StringAttribute{
			MarkdownDescription: "Compare the range with an earlier one, read with the same filters, and fill `comparison`. " +
				"`previous_period` is the range of the same length that ends the day before `from` (for 2024-09-01..2024-09-20, " +
				"2024-08-12..2024-08-31). Weekday for weekday only when the range is a whole number of weeks long. " +
				"`previous_month` is the whole month before when the range is a whole calendar month, its 1st to its last day " +
				"(as `last_month` always is): 2026-11-01..2026-11-30 against 2026-10-01..2026-10-31, 2024-03-01..2024-03-31 " +
				"against 2024-02-01..2024-02-29, 2024-02-01..2024-02-29 against 2024-01-01..2024-01-31. Any other range is " +
				"compared with the same days one calendar month earlier, each cut to that month's length (`month_to_date` " +
				"on the 26th compares with the 1st to the 26th of the month before, and 2024-03-31 with 2024-02-29), a range that " +
				"ends on a month's last day but starts later too: 2024-09-02..2024-09-30 against 2024-08-02..2024-08-30, without " +
				"August's 31st. While a whole month includes today, its complete days are compared with as many days from the " +
				"1st of the month before (below). For a range " +
				"of at most about a month, which must not overlap its month before. Its days keep their day of the month, so a " +
				"charge billed on a fixed day meets its twin, but not their weekday: it is noisy while few days are compared, " +
				"early in the month, on an account whose weekends cost less than its weekdays. On Wednesday 2026-12-02 it " +
				"compares Tuesday the 1st with Sunday 2026-11-01, which reads as +150% where a weekend day costs 40% of a " +
				"weekday and nothing changed. " +
				"`previous_weeks` is the range of the same length a whole number of weeks earlier, the fewest whole weeks that " +
				"put it before `from` (2026-12-01..2026-12-02 against 2026-11-24..2026-11-25; 2024-09-01..2024-09-20 against " +
				"2024-08-11..2024-08-30, three weeks earlier), so that every day is compared with the same weekday. A charge " +
				"billed on a fixed day of the month (a monthly fee on the 1st) has no twin among the earlier days, or one of " +
				"another month, and counts as a change in `change`; `comparison.usage_change` leaves the recurring charges of " +
				"both ranges out. " +
				"While the range includes today, like is compared with like: the range's complete days (every day before today " +
				"and before `data_through`; today's partial day is left out) against as many days from the start of the earlier " +
				"range, so that on the 2nd `month_to_date` compares the 1st with the earlier range's first day; " +
				"`comparison.current_to` says which " +
				"days were compared, and `summary_markdown`'s change line names both sides' days and how many " +
				"(`over 2026-11-01..2026-11-30 (30 days) vs 2026-10-01..2026-10-31 (31 days, ...)`). On the range's first day no day is complete: both sides are empty, `change` is 0 and " +
				"`change_percent` null. Unset: no comparison, and `comparison` is null. " +
				"Extra reads, the same for each value: the earlier range (one request per page of up to 1,000 lines) and, " +
				"while the range includes today, the range's complete days again as a range of their own (as many pages), both at the " +
				"same time as the range. With the `complete_days` forecast, which reads the days before `from`, those days are " +
				"read around the earlier range rather than in one piece, which can cost a request more. Measured against the " +
				"emulator (about 40 lines a day), `month_to_date` makes 4 or 5 requests without a comparison; `previous_month` " +
				"adds 2 or 3, `previous_weeks` 2 to 4 (4 on the 31st), `previous_period` 3 or 4; none on the 1st, when no day is compared. " +
				"Nothing is read twice in a plan: another `fptcloud_bills` over one of these ranges with `include_items = false` " +
				"and the same filters and `period` costs no API call.",
			Optional:   true,
			Validators: []validator.String{oneOf(billing.CompareModes...)},
		},
		"comparison": schema.SingleNestedAttribute{
			MarkdownDescription: "The range (its complete days while it includes today) against the one `compare_to` names " +
				"(as many days from its start). Null when `compare_to` is unset.",
			Computed: true,
			Attributes: map[string]schema.Attribute{
				"from": schema.StringAttribute{MarkdownDescription: "First day of the earlier range, `YYYY-MM-DD`.", Computed: true},
				"to": schema.StringAttribute{
					MarkdownDescription: "Last day of the earlier range compared, `YYYY-MM-DD`, inclusive: its last day, or while " +
						"the range includes today the day that makes it as long as the range's complete days; the day before " +
						"`from` when no day is compared.",
					Computed: true,
				},
				"current_to": schema.StringAttribute{
					MarkdownDescription: "Last day of the range compared, `YYYY-MM-DD`, inclusive: `to`, or while the range " +
						"includes today its last complete day; the day before the range's `from` when no day of it is complete.",
					Computed: true,
				},
				"current_total_price": schema.NumberAttribute{
					MarkdownDescription: "Sum of `total_price` over the matching lines of the range's days compared (its `from` " +
						"to `comparison.current_to`), exact: `total_price` once the range is over.",
					Computed: true,
				},
				"total_price": schema.NumberAttribute{
					MarkdownDescription: "Sum of `total_price` over the earlier range's matching lines, exact.",
					Computed:            true,
				},
				"item_count": schema.Int64Attribute{
					MarkdownDescription: "How many lines of the earlier range match.",
					Computed:            true,
				},
				"change": schema.NumberAttribute{
					MarkdownDescription: "`comparison.current_total_price - comparison.total_price`, exact: positive when spend rose.",
					Computed:            true,
				},
				"change_percent": schema.NumberAttribute{
					MarkdownDescription: fmt.Sprintf("`change / abs(comparison.total_price) × 100`, rounded half away from "+
						"zero to %d decimal places: `12.5` is a rise of 12.5%%. Null when the earlier range cost 0, where "+
						"a percentage means nothing; test it with `coalesce(...change_percent, 0)` or `!= null`.",
						billing.ChangePercentDecimals),
					Computed: true,
				},
				"change_by_service": money("Per service, its total in the range's days compared minus its total in the earlier range's, exact. " +
					"A service billed in only one of the two counts 0 in the other."),
				"change_by_vpc": money(fmt.Sprintf("Per VPC, as `change_by_service`; lines without a VPC are under `%q`.",
					billing.NoneKey)),
				"current_recurring_price": schema.NumberAttribute{
					MarkdownDescription: "The recurring charges billed at their usual size in the range's days compared, exact: " +
						"for each service and day on which a recurring charge fell (a charge the same service billed on the same " +
						"day of the month, or on the month's last day, a month before, within a factor of " + billing.RecurringTolerance +
						"), its amount over the service's usual day (the median of its 7 days before). " +
						"See the forecasting guide's \"Recurring charges\". 0 when there is none.",
					Computed: true,
				},
				"recurring_price": schema.NumberAttribute{
					MarkdownDescription: "As `current_recurring_price`, in the earlier range's days compared.",
					Computed:            true,
				},
				"usage_change": schema.NumberAttribute{
					MarkdownDescription: "`change` with the recurring charges of both ranges left out: `(current_total_price - " +
						"current_recurring_price) - (total_price - recurring_price)`, exact. A monthly fee on the 1st that the " +
						"earlier range lacks (as `previous_weeks` and `previous_period` often do) moves `change` by its whole " +
						"amount and this not at all: test a rise of usage with it.",
					Computed: true,
				},
				"usage_change_percent": schema.NumberAttribute{
					MarkdownDescription: fmt.Sprintf("`usage_change / abs(total_price - recurring_price) × 100`, rounded half "+
						"away from zero to %d decimal places; null when the earlier range's usage is 0.", billing.ChangePercentDecimals),
					Computed: true,
				},
			},
		},
		"spike_detection": schema.SingleNestedAttribute{
			MarkdownDescription: "Look for spikes and fill `spikes`; `spike_detection = {}` uses the defaults. A service's " +
				"spend on a day of the range is a spike when it is more than `factor` × its baseline **and** more than " +
				"`min_amount`. The baseline is the median of that service's spend on each of the `baseline_days` days before " +
				"that day (for an even count, the mean of the two middle values); a day on which the service has no line counts " +
				"0. Days are the lines' `day`. A day on which a recurring charge falls (the service billed a charge on the same " +
				"day of the month, or the month's last day, a month before; see the forecasting guide) is judged against what " +
				"was expected: it is a spike only when its amount over the baseline is more than " + billing.RecurringTolerance +
				" times that charge, and its `baseline` is then the median plus the charge. So a monthly fee at its usual size " +
				"is no spike, and the same fee at three times its size is. The charge of the month before is seen in the days " +
				"the read holds: with the default `forecast_method` those reach back two months; with `\"linear\"` only the " +
				"`baseline_days` and `compare_to`'s days are read, and a fee whose month before they do not hold is judged as " +
				"any day. The days before `from` that the first days' baselines need are read too, once " +
				"per plan like every read without items: one more read, of the `baseline_days` days before `from` that " +
				"`compare_to` does not read already. Unset: `spikes` is null.",
			Optional: true,
			Computed: true,
			Attributes: map[string]schema.Attribute{
				"baseline_days": schema.Int64Attribute{
					MarkdownDescription: fmt.Sprintf("How many days before a day its baseline covers, from 1 to %d. Defaults to %d.",
						billing.MaxSpikeBaselineDays, billing.DefaultSpikeBaselineDays),
					Optional:   true,
					Computed:   true,
					Validators: []validator.Int64{int64Between(1, billing.MaxSpikeBaselineDays)},
				},
				"factor": schema.NumberAttribute{
					MarkdownDescription: fmt.Sprintf("How many times its baseline a day must pass, greater than 1. Defaults to %s.",
						billing.DefaultSpikeFactor),
					Optional:   true,
					Computed:   true,
					Validators: []validator.Number{amountValidator{min: billing.MustParseMoney("1"), strict: true, example: billing.DefaultSpikeFactor}},
				},
				"min_amount": schema.NumberAttribute{
					MarkdownDescription: fmt.Sprintf("The least spend, in VND, a service's day must pass to be a spike, so that "+
						"a rise from 1 to 5 VND is not one; 0 or more. Defaults to %s.", billing.DefaultSpikeMinAmount),
					Optional:   true,
					Computed:   true,
					Validators: []validator.Number{amountValidator{min: billing.Money{}, example: billing.DefaultSpikeMinAmount}},
				},
			},
		},
		// A list of objects rather than a nested attribute: terraform test's
		// mock_data and override_data cannot set a nested list (Terraform
		// issue 38369), and a check on spikes deserves a test.
		"spikes": schema.ListAttribute{
			MarkdownDescription: fmt.Sprintf("The spikes `spike_detection` found in the range, by day, then service: an empty list "+
				"when there are none, null when `spike_detection` is unset; `length(...spikes) > 0` is the test for a check block. "+
				"Each is an object of `day` (`YYYY-MM-DD`), `service`, `amount` (the service's spend that day, exact), `baseline` "+
				"(the median of its spend on the `baseline_days` days before, exact) and `ratio` (`amount / baseline`, rounded half "+
				"away from zero to %d decimal places; null when the baseline is 0, as for a service new to the account, or less).",
				billing.SpikeRatioDecimals),
			Computed:    true,
			ElementType: spikeType,
		},
	}
}

// billsHistory is what one read of fptcloud_bills looks back at: the
// previous range, the spike rule, the forecast's history and the days to
// read for them beyond the range itself.
type billsHistory struct {
	Range    billing.DayRange
	Now      time.Time
	Loc      *time.Location
	Previous *billing.DayRange  // the range compare_to names; nil: no comparison
	Spikes   *billing.SpikeRule // nil: no spike detection
	// Current and Earlier are what the comparison compares, like with
	// like (billing.ElapsedRanges), as planned before the read: assuming
	// the API has billed through today. Both nil when no day of the range
	// is complete. Current equals Range unless the range includes today.
	Current, Earlier *billing.DayRange
	// Baseline lists the days before the range that the spikes need and
	// Earlier does not hold, as ranges of consecutive days.
	Baseline []billing.DayRange
	// ForecastFrom is the first day of the complete_days forecast's
	// history ("" when the forecast reads none), and ForecastDays the days
	// of it from ForecastFrom to the day before the range that no other
	// read holds.
	ForecastFrom string
	ForecastDays []billing.DayRange
}

// newBillsHistory reads compare_to, spike_detection and forecast_method of
// model for the resolved range from..to at now, applying the defaults to
// model.
func newBillsHistory(model *billsModel, from, to string, now time.Time, loc *time.Location, diags *diag.Diagnostics) (*billsHistory, bool) {
	h := &billsHistory{Range: billing.DayRange{From: from, To: to}, Now: now, Loc: loc}
	if !model.CompareTo.IsNull() {
		prev, err := billing.PreviousRange(model.CompareTo.ValueString(), from, to)
		if err == nil {
			h.Previous = &prev
			err = h.planComparison(billing.Today(now, loc))
		}
		if err != nil {
			diags.AddAttributeError(path.Root("compare_to"), "Invalid comparison", err.Error()+".")
			return nil, false
		}
	}
	var have []billing.DayRange
	if h.Earlier != nil {
		have = append(have, *h.Earlier)
	}
	if s := model.SpikeDetection; s != nil {
		if s.BaselineDays.IsNull() {
			s.BaselineDays = types.Int64Value(billing.DefaultSpikeBaselineDays)
		}
		if s.Factor.IsNull() {
			s.Factor = types.NumberValue(billing.MustParseMoney(billing.DefaultSpikeFactor).BigFloat())
		}
		if s.MinAmount.IsNull() {
			s.MinAmount = types.NumberValue(billing.MustParseMoney(billing.DefaultSpikeMinAmount).BigFloat())
		}
		factor, err1 := billing.MoneyFromFloat(s.Factor.ValueBigFloat())
		minAmount, err2 := billing.MoneyFromFloat(s.MinAmount.ValueBigFloat())
		rule := billing.SpikeRule{BaselineDays: int(s.BaselineDays.ValueInt64()), Factor: factor, MinAmount: minAmount}
		if err := errors.Join(err1, err2, rule.Check()); err != nil {
			diags.AddAttributeError(path.Root("spike_detection"), "Invalid spike detection", err.Error()+".")
			return nil, false
		}
		h.Spikes = &rule
		baseline, err := rule.BaselineRange(from)
		if err == nil {
			h.Baseline, err = billing.MissingRanges(baseline, have...)
		}
		if err != nil {
			diags.AddAttributeError(path.Root("spike_detection"), "Invalid spike detection", err.Error()+".")
			return nil, false
		}
		have = append(have, h.Baseline...)
	}
	if model.ForecastMethod.ValueString() == billing.ForecastMethodCompleteDays {
		if err := h.planForecast(have); err != nil {
			diags.AddAttributeError(path.Root("forecast_method"), "Invalid forecast", err.Error()+".")
			return nil, false
		}
	}
	return h, true
}

// includesToday reports whether the range holds today's date.
func (h *billsHistory) includesToday() bool {
	today := billing.Today(h.Now, h.Loc)
	return h.Range.From <= today && today <= h.Range.To
}

// planComparison sets Current and Earlier as if the API had billed through
// today (through, a day on or after today).
func (h *billsHistory) planComparison(through string) error {
	cur, prev, ok, err := billing.ElapsedRanges(h.Range, *h.Previous, h.Now, h.Loc, through)
	if err != nil {
		return err
	}
	h.Current, h.Earlier = nil, nil
	if ok {
		h.Current, h.Earlier = &cur, &prev
	}
	return nil
}

// planForecast sets the forecast's history while the range includes today:
// the ForecastHistoryDays days before from, or fewer when the range itself
// holds that many days before today; the days of have are read already.
func (h *billsHistory) planForecast(have []billing.DayRange) error {
	if !h.includesToday() {
		return nil
	}
	from, err := billing.ParseDate(h.Range.From)
	if err != nil {
		return err
	}
	today, _ := billing.ParseDate(billing.Today(h.Now, h.Loc)) // a day
	first := from.AddDate(0, 0, -billing.ForecastHistoryDays)
	if f := today.AddDate(0, 0, -billing.ForecastHistoryDays); f.After(first) {
		first = f
	}
	// The months the recurring charges are recognised in.
	recurring, err := billing.RecurringHistoryFrom(h.Range.From)
	if err != nil {
		return err
	}
	if r, _ := billing.ParseDate(recurring); r.Before(first) {
		first = r
	}
	if !first.Before(from) {
		return nil
	}
	h.ForecastFrom = first.Format(time.DateOnly)
	h.ForecastDays, err = billing.MissingRanges(billing.DayRange{From: h.ForecastFrom, To: from.AddDate(0, 0, -1).Format(time.DateOnly)}, have...)
	return err
}

// apply computes the comparison and the spikes of a read, puts them in
// model, and returns what the report shows of them.
func (h *billsHistory) apply(ctx context.Context, model *billsModel, result *bills.Result, history *billsHistoryResult) (billing.ReportHistory, error) {
	var report billing.ReportHistory
	model.Comparison, model.Spikes = nil, types.ListNull(spikeType)
	if h.Previous != nil {
		// No complete day yet: both sides are empty ranges, to the day
		// before their first day.
		current, currentTo := &billing.Summary{}, dayBefore(h.Range.From)
		previous, previousRange := &billing.Summary{}, billing.DayRange{From: h.Previous.From, To: dayBefore(h.Previous.From)}
		if h.Current != nil {
			current, currentTo = &result.Summary, h.Current.To
			if history.Current != nil {
				current = &history.Current.Summary
			}
			previous, previousRange = &history.Earlier.Summary, *h.Earlier
		}
		c := billing.Compare(current, previous, previousRange)
		c.Current = billing.DayRange{From: h.Range.From, To: currentTo}
		var split billing.RecurringSplit
		if h.Current != nil {
			days := h.daily(result, history)
			cur, err := billing.RecurringIn(days, *h.Current)
			if err != nil {
				return report, err
			}
			prev, err := billing.RecurringIn(days, *h.Earlier)
			if err != nil {
				return report, err
			}
			split = billing.RecurringSplit{Current: cur, Previous: prev}
		}
		usageChange, usagePercent, usageOK := split.UsageChange(c)
		usagePercentValue := types.NumberNull()
		if usageOK {
			usagePercentValue = types.NumberValue(usagePercent.BigFloat())
		}
		percent := types.NumberNull()
		if c.ChangePercent != nil {
			percent = types.NumberValue(c.ChangePercent.BigFloat())
		}
		model.Comparison = &billsComparisonModel{
			From:              types.StringValue(c.Previous.From),
			To:                types.StringValue(c.Previous.To),
			TotalPrice:        types.NumberValue(c.PreviousTotal.BigFloat()),
			ItemCount:         types.Int64Value(c.PreviousCount),
			CurrentTo:         types.StringValue(currentTo),
			CurrentTotalPrice: types.NumberValue(current.Total.BigFloat()),
			Change:            types.NumberValue(c.Change.BigFloat()),
			ChangePercent:     percent,
			ChangeByService:   moneyMap(c.ChangeByService),
			ChangeByVPC:       moneyMap(c.ChangeByVPC),

			CurrentRecurring:   types.NumberValue(split.Current.BigFloat()),
			Recurring:          types.NumberValue(split.Previous.BigFloat()),
			UsageChange:        types.NumberValue(usageChange.BigFloat()),
			UsageChangePercent: usagePercentValue,
		}
		report.Comparison = &c
		report.Recurring = &split
	}
	if h.Spikes == nil {
		return report, nil
	}
	spikes, err := billing.DetectSpikes(h.daily(result, history), h.Range, *h.Spikes)
	if err != nil {
		return report, err
	}
	entries := make([]billSpikeModel, 0, len(spikes))
	for _, s := range spikes {
		ratio := types.NumberNull()
		if s.Ratio != nil {
			ratio = types.NumberValue(s.Ratio.BigFloat())
		}
		entries = append(entries, billSpikeModel{
			Day: types.StringValue(s.Day), Service: types.StringValue(s.Service),
			Amount: types.NumberValue(s.Amount.BigFloat()), Baseline: types.NumberValue(s.Baseline.BigFloat()),
			Ratio: ratio,
		})
	}
	list, diags := types.ListValueFrom(ctx, spikeType, entries)
	if diags.HasError() {
		return report, fmt.Errorf("spikes: %v", diags)
	}
	model.Spikes = list
	report.Spikes, report.SpikesRule = spikes, h.Spikes
	return report, nil
}
