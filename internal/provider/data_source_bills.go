package provider

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/bills"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/calendar"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

var (
	_ datasource.DataSource                     = (*billsDataSource)(nil)
	_ datasource.DataSourceWithConfigure        = (*billsDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*billsDataSource)(nil)
	_ datasource.DataSourceWithValidateConfig   = (*billsDataSource)(nil)
)

// Defaults of the fptcloud_bills arguments.
const (
	defaultBillsPeriod   = billing.Day
	defaultBillsMaxItems = 100_000
	billsCurrency        = "VND"
)

// NewBillsDataSource is the fptcloud_bills data source.
func NewBillsDataSource() datasource.DataSource {
	return &billsDataSource{}
}

type billsDataSource struct {
	data *providerData
}

type billsModel struct {
	From             types.String      `tfsdk:"from"`
	To               types.String      `tfsdk:"to"`
	Range            types.String      `tfsdk:"range"`
	Services         []string          `tfsdk:"services"`
	VPCNames         []string          `tfsdk:"vpc_names"`
	Tags             []string          `tfsdk:"tags"`
	UnmatchedFilters types.String      `tfsdk:"unmatched_filters"`
	Period           types.String      `tfsdk:"period"`
	IncludeItems     types.Bool        `tfsdk:"include_items"`
	MaxItems         types.Int64       `tfsdk:"max_items"`
	ForecastMethod   types.String      `tfsdk:"forecast_method"`
	Report           *billsReportModel `tfsdk:"report"`
	IncludeFocus     types.Bool        `tfsdk:"include_focus_csv"`
	FocusCSV         types.String      `tfsdk:"focus_csv"`

	CompareTo      types.String          `tfsdk:"compare_to"`
	Comparison     *billsComparisonModel `tfsdk:"comparison"`
	SpikeDetection *spikeDetectionModel  `tfsdk:"spike_detection"`
	Spikes         types.List            `tfsdk:"spikes"`

	Items              types.List        `tfsdk:"items"`
	ItemCount          types.Int64       `tfsdk:"item_count"`
	TotalPrice         types.Number      `tfsdk:"total_price"`
	Currency           types.String      `tfsdk:"currency"`
	TotalsByService    types.Map         `tfsdk:"totals_by_service"`
	TotalsByVPC        types.Map         `tfsdk:"totals_by_vpc"`
	TotalsByTag        types.Map         `tfsdk:"totals_by_tag"`
	TotalsByName       types.Map         `tfsdk:"totals_by_name"`
	Periods            []billPeriodModel `tfsdk:"periods"`
	ForecastTotalPrice types.Number      `tfsdk:"forecast_total_price"`
	ForecastLow        types.Number      `tfsdk:"forecast_low"`
	ForecastHigh       types.Number      `tfsdk:"forecast_high"`
	ForecastByService  types.Map         `tfsdk:"forecast_by_service"`
	ForecastLowBySvc   types.Map         `tfsdk:"forecast_low_by_service"`
	ForecastHighBySvc  types.Map         `tfsdk:"forecast_high_by_service"`
	IsFinal            types.Bool        `tfsdk:"is_final"`
	DataThrough        types.String      `tfsdk:"data_through"`
	ReadAt             types.String      `tfsdk:"read_at"`
	SummaryMarkdown    types.String      `tfsdk:"summary_markdown"`

	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

type billPeriodModel struct {
	Start      types.String `tfsdk:"start"`
	End        types.String `tfsdk:"end"`
	TotalPrice types.Number `tfsdk:"total_price"`
	ItemCount  types.Int64  `tfsdk:"item_count"`
}

func (d *billsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_bills"
}

func (d *billsDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	filter := func(desc string) schema.Attribute {
		return schema.ListAttribute{
			MarkdownDescription: desc,
			ElementType:         types.StringType,
			Optional:            true,
			Validators: []validator.List{
				listSizeAtLeast(1),
				eachString{nonEmpty()},
			},
		}
	}
	money := func(desc string) schema.Attribute {
		return schema.MapAttribute{MarkdownDescription: desc, ElementType: types.NumberType, Computed: true}
	}
	dateValidators := []validator.String{
		matching(calendar.DayPattern, "must be a date in the form YYYY-MM-DD, such as 2024-09-01"),
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads every bill line of a date range and sums it exactly: the total, totals by service, " +
			"VPC, tag and resource name, totals per hour, day, week, month or year, a forecast to the end of the month, " +
			"whether the figures are final, and a Markdown cost report to post on a pull request. " +
			"Give either `from` (and `to`) or a `range` preset such as `month_to_date`; presets are resolved in " +
			"the provider's `time_zone` when the data source is read, so the data source is read during `terraform plan` " +
			"and no `timestamp()` is needed.\n\n" +
			"Lines come from `POST /v1/billing/bills`, page by page and several pages at once; where the API lacks that " +
			"endpoint (HTTP 404 or 405) or refuses its inferred request body (400 or 422), from one `GET /v1/billing/bills?search_date=` " +
			"per day; the provider's `bills_endpoint` can force either. Both give the same result, one consistent snapshot: " +
			"a read that sees the lines change under it starts again. " +
			"Money is summed in decimal from the API's text, never in binary floating point, so `total_price` equals the sum " +
			"of the lines to the last digit. (Terraform prints a fractional number that a 64-bit float holds exactly with at most " +
			"17 significant digits, a limit of its plugin protocol; the value in expressions stays exact, and amounts of up to 15 " +
			"significant digits always print in full.)",
		Attributes: map[string]schema.Attribute{
			"from": schema.StringAttribute{
				MarkdownDescription: "First day of the range, `YYYY-MM-DD`, a day as the account's bills count them. Conflicts with `range`; " +
					"one of the two is required. When `range` is used, this is the day it resolved to.",
				Optional:   true,
				Computed:   true,
				Validators: dateValidators,
			},
			"to": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("Last day of the range, `YYYY-MM-DD`, inclusive. Defaults to `from` (a single day), with a warning that names "+
					"that day; set it to `from` to read one day without one. "+
					"The range may span at most %d days. Conflicts with `range`; when `range` is used, this is the day it resolved to.",
					billing.MaxRangeDays),
				Optional:   true,
				Computed:   true,
				Validators: dateValidators,
			},
			"range": schema.StringAttribute{
				MarkdownDescription: "A date range resolved at read time in the provider's `time_zone`: " +
					"`today`; `yesterday`; `month_to_date` (the 1st of this month to today); `last_month` (the whole previous month); " +
					"`last_7_days` and `last_30_days` (today and the 6 or 29 days before); `year_to_date` (1 January to today). " +
					"Conflicts with `from` and `to`. A range that includes today (every preset but `yesterday` and `last_month`) " +
					"also reads the days before `from` that `forecast_total_price` looks back at (none once the range holds enough days), " +
					"unless `forecast_method = \"linear\"`: one more read without items (see \"What each option costs\").",
				Optional:   true,
				Validators: []validator.String{oneOf(billing.RangePresets...)},
			},
			"services": filter("Only lines of these services, such as `[\"Instance\", \"Storage\"]`. Unset: every service." +
				filterHintNote("service")),
			"vpc_names": filter(fmt.Sprintf("Only lines of these VPCs. `%q` selects lines without a VPC. Unset: every line.",
				billing.NoneKey) + filterHintNote("VPC")),
			"tags": filter(fmt.Sprintf("Only lines with one of these tags. `%q` selects lines without a tag. Unset: every line.",
				billing.NoneKey) + filterHintNote("tag")),
			"unmatched_filters": unmatchedFiltersAttribute("`services`, `vpc_names` or `tags`"),
			"period": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("Length of the `periods`: `hour`, `day`, `week` (ISO weeks, Monday to Sunday), "+
					"`month` or `year`, in the provider's `time_zone`. Defaults to `%s`.", defaultBillsPeriod),
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{oneOf(billing.Periods...)},
			},
			"include_items": schema.BoolAttribute{
				MarkdownDescription: "Whether to keep every line in `items`. Defaults to `true`. Set it to `false` for long " +
					"ranges: the totals are still computed, memory stays flat however many lines there are, and `max_items` does not apply. " +
					"Either way the same pages are read: `true` costs no extra request, only state and memory.",
				Optional: true,
				Computed: true,
			},
			"max_items": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("When `include_items` is true, the read fails if more lines than this match, "+
					"rather than putting a huge list in the state. Defaults to `%d`.", defaultBillsMaxItems),
				Optional:   true,
				Computed:   true,
				Validators: []validator.Int64{int64AtLeast(1)},
			},

			"items": schema.ListNestedAttribute{
				MarkdownDescription: "The matching bill lines, ordered by day, start time, service and name. Fields the API " +
					"sends as null (or leaves out) are null. Null when `include_items` is false.",
				Computed:     true,
				NestedObject: schema.NestedAttributeObject{Attributes: itemAttributes()},
			},
			"item_count": schema.Int64Attribute{
				MarkdownDescription: "How many lines match, whether or not `items` holds them.",
				Computed:            true,
			},
			"total_price": schema.NumberAttribute{
				MarkdownDescription: "Sum of `total_price` over the matching lines, exact to the last digit.",
				Computed:            true,
			},
			"currency": schema.StringAttribute{
				MarkdownDescription: "Currency of every amount: `VND`.",
				Computed:            true,
			},
			"totals_by_service": money("Sum of `total_price` per service name."),
			"totals_by_vpc": money(fmt.Sprintf("Sum of `total_price` per VPC name; lines without a VPC (null or empty) are under `%q`.",
				billing.NoneKey)),
			"totals_by_tag": money(fmt.Sprintf("Sum of `total_price` per tag; lines without a tag (null or empty) are under `%q`.",
				billing.NoneKey)),
			"totals_by_name": money(fmt.Sprintf("Sum of `total_price` per resource `name`, so that a configuration can price "+
				"one named resource: `lookup(data.fptcloud_bills.month.totals_by_name, \"web-01\", 0)`. Resources of "+
				"different services that share a name are summed together; add a `services` filter to tell them apart. "+
				"Lines without a name are under `%q`.", billing.NoneKey)),
			"periods": schema.ListNestedAttribute{
				MarkdownDescription: "Spend per `period`, in time order: every calendar period that overlaps the range, " +
					"with 0 where nothing was billed, so that charts have no holes. A line belongs to the period of its " +
					"`start_time` in the provider's `time_zone` (with `+07:00`, a line that starts at 23:30 UTC counts on the next " +
					"day). The first and last periods may reach past the range (a `week` starts on a Monday). A line whose " +
					"start time falls outside the range adds its own period, so the periods always sum to `total_price`.",
				Computed: true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"start": schema.StringAttribute{
						MarkdownDescription: "Start of the period (RFC 3339, in the provider's `time_zone`), included.",
						Computed:            true,
					},
					"end": schema.StringAttribute{
						MarkdownDescription: "End of the period (RFC 3339), excluded: the start of the next period.",
						Computed:            true,
					},
					"total_price": schema.NumberAttribute{
						MarkdownDescription: "Sum of `total_price` of the lines that start in the period.",
						Computed:            true,
					},
					"item_count": schema.Int64Attribute{
						MarkdownDescription: "How many lines start in the period.",
						Computed:            true,
					},
				}},
			},
			"is_final": schema.BoolAttribute{
				MarkdownDescription: "Whether every day of the range is closed, so its figures no longer change: `true` once " +
					"`to` ended, in the provider's `time_zone`, more than a day ago (from 00:00 two days after `to`), the rule " +
					"by which the day cache keeps a day. Lines of a day keep arriving for a while after it ends, so a range that " +
					"ended yesterday is over but not final: `last_month` is final from the 2nd of the month, `yesterday` never. " +
					"`false` while the range includes today (or a later day): the totals still grow. A `check` that must not " +
					"judge a half-finished day can test it: `condition = !self.is_final || ...`.",
				Computed: true,
			},
			"data_through": schema.StringAttribute{
				MarkdownDescription: "The latest `day` (`YYYY-MM-DD`) that has matching lines: how far the billing data reaches. " +
					"Earlier than `to` when the last days have no lines yet. Null when no line matches.",
				Computed: true,
			},
			"read_at": schema.StringAttribute{
				MarkdownDescription: "When the data source was read, RFC 3339 in the provider's `time_zone`, such as " +
					"`2024-09-20T10:00:00+07:00`: the moment the figures and the `range` presets refer to.",
				Computed: true,
			},
			"summary_markdown": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("A cost report in Markdown, ready to post as a pull or merge request comment: "+
					"the range; with `report.budget`, a lead sentence and a budget line (see `report`); `total_price` and, while "+
					"the range is not over, `forecast_total_price` (with `forecast_low` and `forecast_high` when they "+
					"differ) formatted as `12,345,679 VND`, whether the figures are "+
					"final and `data_through`, the spend over the range as a line of bars (`▁▂▃▄▅▆▇█`, one a day in the "+
					"provider's `time_zone`; on a range of more than %d days, one a week, month or year when that is the `period`; daily bars "+
					"leave out the recurring charges billed at their usual size on their days, and the line names them apart, so that a "+
					"monthly fee does not flatten the other days), "+
					"and the top %d services and VPCs by amount with their "+
					"share of the total, each service also with its `forecast_by_service` share of the forecast while the range is "+
					"not over (a range that is over shows no forecast). Lines without a VPC show as `%s`. With `compare_to`, a line with the change against "+
					"the earlier range, naming the days compared on both sides and how many (`+12.4%% (+1,234,567 VND) over "+
					"2024-09-01..2024-09-20 (20 days) vs 2024-08-01..2024-08-20 (20 days, 9,876,543 VND)`); with "+
					"`spike_detection`, a table of the %d largest spikes. It stays within `report.max_characters` (default %d) "+
					"whatever the number of services and VPCs, and says what it left out. It holds no time of reading, so the same "+
					"figures give the same text.", billing.ReportDailyBarsDays, billing.ReportTopRows, billing.NoneKey, billing.ReportTopRows,
					billing.DefaultReportMaxCharacters),
				Computed: true,
			},
		},
		Blocks: map[string]schema.Block{"timeouts": timeoutsBlock(ctx)},
	}
	maps.Copy(resp.Schema.Attributes, billsHistoryAttributes())
	maps.Copy(resp.Schema.Attributes, billsForecastAttributes())
	maps.Copy(resp.Schema.Attributes, billsReportAttributes())
	maps.Copy(resp.Schema.Attributes, billsFocusAttributes())
}

func (d *billsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configureDataSource(req, resp)
}

func (d *billsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var model billsModel
	ctx, cancel, ok := d.data.beginRead(ctx, req.Config, &model, &model.Timeouts, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}

	now := d.data.clock.Now()
	loc := d.data.location
	from, to := model.From.ValueString(), model.To.ValueString()
	if !model.Range.IsNull() {
		var err error
		if from, to, err = billing.ResolveRange(model.Range.ValueString(), now, loc); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("range"), "Invalid range", err.Error())
			return
		}
	} else if to == "" {
		to = from
		warnSingleDay(&resp.Diagnostics, from)
	}
	if err := billing.CheckRange(from, to); err != nil {
		addRangeError(&resp.Diagnostics, err)
		return
	}
	if model.Period.IsNull() {
		model.Period = types.StringValue(string(defaultBillsPeriod))
	}
	if model.IncludeItems.IsNull() {
		model.IncludeItems = types.BoolValue(true)
	}
	if model.MaxItems.IsNull() {
		model.MaxItems = types.Int64Value(defaultBillsMaxItems)
	}
	query := bills.Query{
		From: from, To: to, Location: loc,
		Services: model.Services, VPCNames: model.VPCNames, Tags: model.Tags,
		Period:       billing.Period(model.Period.ValueString()),
		IncludeItems: model.IncludeItems.ValueBool() || model.IncludeFocus.ValueBool(), // the CSV needs the lines
		MaxItems:     model.MaxItems.ValueInt64(),
	}

	if model.ForecastMethod.IsNull() {
		model.ForecastMethod = types.StringValue(billing.ForecastMethodCompleteDays)
	}
	history, ok := newBillsHistory(&model, from, to, now, loc, &resp.Diagnostics)
	if !ok {
		return
	}
	result, historyResult, err := d.data.billsWithHistory(ctx, query, history)
	if addHistoryError(&resp.Diagnostics, err) {
		return
	}
	var tooMany *bills.TooManyItemsError
	var badLine *bills.BadLineError
	switch {
	case errors.As(err, &tooMany):
		resp.Diagnostics.AddAttributeError(path.Root("max_items"), "Too many bill lines", tooMany.Error())
		return
	case errors.As(err, &badLine):
		resp.Diagnostics.AddError("Cannot read bills ("+fptapi.BillsEndpoint+")", badLine.Error())
		return
	case err != nil:
		addAPIError(&resp.Diagnostics, fmt.Sprintf("bills of %s..%s (%s)", from, to, fptapi.BillsEndpoint), err)
		return
	}
	d.data.addFilterHints(ctx, query, result, unmatchedIsError(model.UnmatchedFilters), &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}

	forecast, err := history.forecast(model.ForecastMethod.ValueString(), result, historyResult)
	if err != nil {
		resp.Diagnostics.AddError("Cannot forecast the bills", err.Error())
		return
	}
	final, err := billing.IsFinal(to, now, loc)
	if err != nil {
		resp.Diagnostics.AddError("Cannot tell whether the bills are final", err.Error())
		return
	}
	reportHistory, err := history.apply(ctx, &model, result, historyResult)
	if err != nil {
		resp.Diagnostics.AddError("Cannot compare the bills with their past", err.Error())
		return
	}
	reportSpec := billing.Report{
		Summary: result.Summary, From: from, To: to, Forecast: forecast.Total, ForecastLow: forecast.Low, ForecastHigh: forecast.High, Currency: billsCurrency, Final: final,
		ForecastByService: forecast.ByService,
		History:           reportHistory,
		Period:            query.Period,
	}
	if !model.Report.apply(&reportSpec, &resp.Diagnostics) {
		return
	}
	if reportSpec.Recurring, err = dailyRecurring(history, result, historyResult, from, to); err != nil {
		resp.Diagnostics.AddError("Cannot write the cost report", err.Error())
		return
	}
	report, err := reportSpec.Markdown()
	if err != nil {
		resp.Diagnostics.AddError("Cannot write the cost report", err.Error())
		return
	}
	model.From, model.To = types.StringValue(from), types.StringValue(to)
	model.ItemCount = types.Int64Value(result.Summary.Count)
	model.TotalPrice = types.NumberValue(result.Summary.Total.BigFloat())
	model.ForecastTotalPrice = types.NumberValue(forecast.Total.BigFloat())
	model.ForecastLow = types.NumberValue(forecast.Low.BigFloat())
	model.ForecastHigh = types.NumberValue(forecast.High.BigFloat())
	model.ForecastByService = moneyMap(forecast.ByService)
	model.ForecastLowBySvc = moneyMap(forecast.LowByService)
	model.ForecastHighBySvc = moneyMap(forecast.HighByService)
	model.Currency = types.StringValue(billsCurrency)
	model.TotalsByService = moneyMap(result.Summary.ByService)
	model.TotalsByVPC = moneyMap(result.Summary.ByVPC)
	model.TotalsByTag = moneyMap(result.Summary.ByTag)
	model.TotalsByName = moneyMap(result.Summary.ByName)
	model.IsFinal = types.BoolValue(final)
	model.DataThrough = types.StringNull()
	if result.Summary.LatestDay != "" {
		model.DataThrough = types.StringValue(result.Summary.LatestDay)
	}
	model.ReadAt = types.StringValue(now.In(loc).Format(time.RFC3339))
	model.SummaryMarkdown = types.StringValue(report)
	model.Periods = make([]billPeriodModel, 0, len(result.Summary.Periods))
	for _, p := range result.Summary.Periods {
		model.Periods = append(model.Periods, billPeriodModel{
			Start:      types.StringValue(p.Start.In(loc).Format(time.RFC3339)),
			End:        types.StringValue(p.End.In(loc).Format(time.RFC3339)),
			TotalPrice: types.NumberValue(p.Total.BigFloat()),
			ItemCount:  types.Int64Value(p.Count),
		})
	}
	model.FocusCSV = types.StringNull() // null unless include_focus_csv
	if model.IncludeFocus.ValueBool() {
		text, err := d.data.focusCSV(result.Items)
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("include_focus_csv"), "Cannot write the FOCUS rows", err.Error())
			return
		}
		model.FocusCSV = types.StringValue(text)
	}
	model.Items = types.ListNull(billItemType) // null unless include_items
	if model.IncludeItems.ValueBool() {
		if err := setBillItems(ctx, &model, result.Items); err != nil {
			resp.Diagnostics.AddError("Cannot read bills ("+fptapi.BillsEndpoint+")", err.Error())
			return
		}
		result.Items = nil // in the state or its encoding now: free the lines before the state is written
	}
	tflog.Debug(ctx, "read bills", map[string]any{
		"from": from, "to": to, "mode": string(result.Mode), "lines": result.Summary.Count, "total_price": result.Summary.Total.String(),
	})
	resp.Diagnostics.Append(resp.State.Set(ctx, &model)...)
}

func moneyMap(totals map[string]billing.Money) types.Map {
	elems := make(map[string]attr.Value, len(totals))
	for k, v := range totals {
		elems[k] = types.NumberValue(v.BigFloat())
	}
	return types.MapValueMust(types.NumberType, elems)
}
