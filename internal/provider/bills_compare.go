package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"golang.org/x/sync/errgroup"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/bills"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

// billsComparisonModel is fptcloud_bills' comparison with a previous range.
type billsComparisonModel struct {
	From            types.String `tfsdk:"from"`
	To              types.String `tfsdk:"to"`
	TotalPrice      types.Number `tfsdk:"total_price"`
	ItemCount       types.Int64  `tfsdk:"item_count"`
	Change          types.Number `tfsdk:"change"`
	ChangePercent   types.Number `tfsdk:"change_percent"`
	ChangeByService types.Map    `tfsdk:"change_by_service"`
	ChangeByVPC     types.Map    `tfsdk:"change_by_vpc"`
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
			MarkdownDescription: "Compare the range with an earlier one, read with the same filters, and fill `comparison`: " +
				"`previous_period` is the range of the same length that ends the day before `from` (for 2024-09-01..2024-09-20, " +
				"2024-08-12..2024-08-31); `previous_month` is the same days one calendar month earlier, each cut to that " +
				"month's length (`month_to_date` on the 26th compares with the 1st to the 26th of the month before, and " +
				"2024-03-31 with 2024-02-29). `previous_month` needs a range that does not overlap its previous month, so at " +
				"most about a month long. Unset: no comparison, and `comparison` is null. The earlier range is read at the " +
				"same time as the range, and only once per plan: another `fptcloud_bills` over that range with " +
				"`include_items = false` and the same filters and `period` costs no API call.",
			Optional:   true,
			Validators: []validator.String{styledString{stringvalidator.OneOf(billing.CompareModes...)}},
		},
		"comparison": schema.SingleNestedAttribute{
			MarkdownDescription: "The range against the one `compare_to` names. Null when `compare_to` is unset.",
			Computed:            true,
			Attributes: map[string]schema.Attribute{
				"from": schema.StringAttribute{MarkdownDescription: "First day of the earlier range, `YYYY-MM-DD`.", Computed: true},
				"to":   schema.StringAttribute{MarkdownDescription: "Last day of the earlier range, `YYYY-MM-DD`, inclusive.", Computed: true},
				"total_price": schema.NumberAttribute{
					MarkdownDescription: "Sum of `total_price` over the earlier range's matching lines, exact.",
					Computed:            true,
				},
				"item_count": schema.Int64Attribute{
					MarkdownDescription: "How many lines of the earlier range match.",
					Computed:            true,
				},
				"change": schema.NumberAttribute{
					MarkdownDescription: "`total_price - comparison.total_price`, exact: positive when spend rose.",
					Computed:            true,
				},
				"change_percent": schema.NumberAttribute{
					MarkdownDescription: fmt.Sprintf("`change / abs(comparison.total_price) × 100`, rounded half away from "+
						"zero to %d decimal places: `12.5` is a rise of 12.5%%. Null when the earlier range cost 0, where "+
						"a percentage means nothing; test it with `coalesce(...change_percent, 0)` or `!= null`.",
						billing.ChangePercentDecimals),
					Computed: true,
				},
				"change_by_service": money("Per service, its total in the range minus its total in the earlier range, exact. " +
					"A service billed in only one of the two counts 0 in the other."),
				"change_by_vpc": money(fmt.Sprintf("Per VPC, as `change_by_service`; lines without a VPC are under `%q`.",
					billing.NoneKey)),
			},
		},
		"spike_detection": schema.SingleNestedAttribute{
			MarkdownDescription: "Look for spikes and fill `spikes`; `spike_detection = {}` uses the defaults. A service's " +
				"spend on a day of the range is a spike when it is more than `factor` × its baseline **and** more than " +
				"`min_amount`. The baseline is the median of that service's spend on each of the `baseline_days` days before " +
				"that day (for an even count, the mean of the two middle values); a day on which the service has no line counts " +
				"0. Days are the lines' `day`. The days before `from` that the first days' baselines need are read too, once " +
				"per plan like every read without items. Unset: `spikes` is null.",
			Optional: true,
			Computed: true,
			Attributes: map[string]schema.Attribute{
				"baseline_days": schema.Int64Attribute{
					MarkdownDescription: fmt.Sprintf("How many days before a day its baseline covers, from 1 to %d. Defaults to %d.",
						billing.MaxSpikeBaselineDays, billing.DefaultSpikeBaselineDays),
					Optional:   true,
					Computed:   true,
					Validators: []validator.Int64{styledInt64{int64validator.Between(1, billing.MaxSpikeBaselineDays)}},
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
// previous range, the spike rule and the days to read for them beyond the
// range itself.
type billsHistory struct {
	Range    billing.DayRange
	Previous *billing.DayRange  // nil: no comparison
	Spikes   *billing.SpikeRule // nil: no spike detection
	// Baseline lists the days before the range that the spikes need and
	// the previous range does not hold, as ranges of consecutive days.
	Baseline []billing.DayRange
}

// newBillsHistory reads compare_to and spike_detection of model for the
// resolved range from..to, applying the defaults to model.
func newBillsHistory(model *billsModel, from, to string, diags *diag.Diagnostics) (*billsHistory, bool) {
	h := &billsHistory{Range: billing.DayRange{From: from, To: to}}
	if !model.CompareTo.IsNull() {
		prev, err := billing.PreviousRange(model.CompareTo.ValueString(), from, to)
		if err != nil {
			diags.AddAttributeError(path.Root("compare_to"), "Invalid comparison", err.Error()+".")
			return nil, false
		}
		h.Previous = &prev
	}
	if model.SpikeDetection == nil {
		return h, true
	}
	s := model.SpikeDetection
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
		var have []billing.DayRange
		if h.Previous != nil {
			have = append(have, *h.Previous)
		}
		h.Baseline, err = billing.MissingRanges(baseline, have...)
	}
	if err != nil {
		diags.AddAttributeError(path.Root("spike_detection"), "Invalid spike detection", err.Error()+".")
		return nil, false
	}
	return h, true
}

// billsHistoryResult is what the reads of a history found.
type billsHistoryResult struct {
	Previous *bills.Result
	Baseline []*bills.Result // one per billsHistory.Baseline range
}

// historyReadError is a failed read of a range a history needs.
type historyReadError struct {
	what string
	r    billing.DayRange
	err  error
}

func (e *historyReadError) Error() string { return fmt.Sprintf("%s %s: %v", e.what, e.r, e.err) }
func (e *historyReadError) Unwrap() error { return e.err }

// billsWithHistory reads q and, at the same time, the ranges h needs, each
// without items and through the provider's cache: a previous range read
// by another data source of the plan (or this one in an earlier plan step)
// costs no API call, and no day is read twice by this read.
func (p *providerData) billsWithHistory(ctx context.Context, q bills.Query, h *billsHistory) (*bills.Result, *billsHistoryResult, error) {
	if h.Previous == nil && len(h.Baseline) == 0 {
		result, err := p.bills(ctx, q)
		return result, &billsHistoryResult{}, err
	}
	g, gctx := errgroup.WithContext(ctx)
	var result *bills.Result
	g.Go(func() error {
		var err error
		result, err = p.bills(gctx, q)
		return err
	})
	other := func(what string, r billing.DayRange, into **bills.Result) {
		g.Go(func() error {
			o := q
			o.From, o.To, o.IncludeItems = r.From, r.To, false
			res, err := p.bills(tflog.SetField(gctx, "bills_history", what), o)
			if err != nil {
				return &historyReadError{what: what, r: r, err: err}
			}
			*into = res
			return nil
		})
	}
	history := &billsHistoryResult{Baseline: make([]*bills.Result, len(h.Baseline))}
	if h.Previous != nil {
		other("the previous range", *h.Previous, &history.Previous)
	}
	for i, r := range h.Baseline {
		other("the days before the range for the spike baselines", r, &history.Baseline[i])
	}
	if err := g.Wait(); err != nil {
		return nil, nil, err
	}
	return result, history, nil
}

// addHistoryError reports a failed read of a history's range; false when
// err is not one.
func addHistoryError(diags *diag.Diagnostics, err error) bool {
	var histErr *historyReadError
	if !errors.As(err, &histErr) {
		return false
	}
	var badLine *bills.BadLineError
	if errors.As(histErr.err, &badLine) {
		diags.AddError("Cannot read bills ("+fptapi.BillsEndpoint+")", badLine.Error())
		return true
	}
	addAPIError(diags, fmt.Sprintf("bills of %s, %s (%s)", histErr.what, histErr.r, fptapi.BillsEndpoint), histErr.err)
	return true
}

// apply computes the comparison and the spikes of a read, puts them in
// model, and returns what the report shows of them.
func (h *billsHistory) apply(ctx context.Context, model *billsModel, result *bills.Result, history *billsHistoryResult) (billing.ReportHistory, error) {
	var report billing.ReportHistory
	model.Comparison, model.Spikes = nil, types.ListNull(spikeType)
	if h.Previous != nil {
		c := billing.Compare(&result.Summary, &history.Previous.Summary, *h.Previous)
		percent := types.NumberNull()
		if c.ChangePercent != nil {
			percent = types.NumberValue(c.ChangePercent.BigFloat())
		}
		model.Comparison = &billsComparisonModel{
			From:            types.StringValue(c.Previous.From),
			To:              types.StringValue(c.Previous.To),
			TotalPrice:      types.NumberValue(c.PreviousTotal.BigFloat()),
			ItemCount:       types.Int64Value(c.PreviousCount),
			Change:          types.NumberValue(c.Change.BigFloat()),
			ChangePercent:   percent,
			ChangeByService: moneyMap(c.ChangeByService),
			ChangeByVPC:     moneyMap(c.ChangeByVPC),
		}
		report.Comparison = &c
	}
	if h.Spikes == nil {
		return report, nil
	}
	// Each day counts from the one read that covered it.
	daily := billing.ServiceDays{}
	daily.CopyDays(result.Summary.Daily, h.Range)
	if h.Previous != nil {
		daily.CopyDays(history.Previous.Summary.Daily, *h.Previous)
	}
	for i, r := range h.Baseline {
		daily.CopyDays(history.Baseline[i].Summary.Daily, r)
	}
	spikes, err := billing.DetectSpikes(daily, h.Range, *h.Spikes)
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
