package provider

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/big"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing"
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

var datePattern = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// NewBillsDataSource is the fptcloud_bills data source.
func NewBillsDataSource() datasource.DataSource {
	return &billsDataSource{}
}

type billsDataSource struct {
	data *providerData
}

type billsModel struct {
	From         types.String `tfsdk:"from"`
	To           types.String `tfsdk:"to"`
	Range        types.String `tfsdk:"range"`
	Services     []string     `tfsdk:"services"`
	VPCNames     []string     `tfsdk:"vpc_names"`
	Tags         []string     `tfsdk:"tags"`
	Period       types.String `tfsdk:"period"`
	IncludeItems types.Bool   `tfsdk:"include_items"`
	MaxItems     types.Int64  `tfsdk:"max_items"`

	CompareTo      types.String          `tfsdk:"compare_to"`
	Comparison     *billsComparisonModel `tfsdk:"comparison"`
	SpikeDetection *spikeDetectionModel  `tfsdk:"spike_detection"`
	Spikes         types.List            `tfsdk:"spikes"`

	Items              []billItemModel   `tfsdk:"items"`
	ItemCount          types.Int64       `tfsdk:"item_count"`
	TotalPrice         types.Number      `tfsdk:"total_price"`
	Currency           types.String      `tfsdk:"currency"`
	TotalsByService    types.Map         `tfsdk:"totals_by_service"`
	TotalsByVPC        types.Map         `tfsdk:"totals_by_vpc"`
	TotalsByTag        types.Map         `tfsdk:"totals_by_tag"`
	TotalsByName       types.Map         `tfsdk:"totals_by_name"`
	Periods            []billPeriodModel `tfsdk:"periods"`
	ForecastTotalPrice types.Number      `tfsdk:"forecast_total_price"`
	IsFinal            types.Bool        `tfsdk:"is_final"`
	DataThrough        types.String      `tfsdk:"data_through"`
	ReadAt             types.String      `tfsdk:"read_at"`
	SummaryMarkdown    types.String      `tfsdk:"summary_markdown"`

	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

// billItemModel is one bill line with its 23 API fields.
type billItemModel struct {
	OrgName       types.String `tfsdk:"org_name"`
	TenantName    types.String `tfsdk:"tenant_name"`
	VPCName       types.String `tfsdk:"vpc_name"`
	PoolName      types.String `tfsdk:"pool_name"`
	Day           types.String `tfsdk:"day"`
	StartTime     types.String `tfsdk:"start_time"`
	Service       types.String `tfsdk:"service"`
	Name          types.String `tfsdk:"name"`
	AttachVM      types.String `tfsdk:"attach_vm"`
	StoragePolicy types.String `tfsdk:"storage_policy"`
	Machine       types.String `tfsdk:"machine"`
	Disk          types.Number `tfsdk:"disk"`
	DiskTotal     types.Number `tfsdk:"disk_total"`
	VCPU          types.Number `tfsdk:"vcpu"`
	VCPUTotal     types.Number `tfsdk:"vcpu_total"`
	RAM           types.Number `tfsdk:"ram"`
	RAMTotal      types.Number `tfsdk:"ram_total"`
	RunningTime   types.Number `tfsdk:"running_time"`
	TotalPrice    types.Number `tfsdk:"total_price"`
	DiskQuantity  types.Number `tfsdk:"disk_quantity"`
	CPUQuantity   types.Number `tfsdk:"cpu_quantity"`
	RAMQuantity   types.Number `tfsdk:"ram_quantity"`
	Tag           types.String `tfsdk:"tag"`
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

// itemAttributes describes the 23 fields of a bill line.
func itemAttributes() map[string]schema.Attribute {
	str := func(desc string) schema.Attribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	number := func(desc string) schema.Attribute {
		return schema.NumberAttribute{MarkdownDescription: desc, Computed: true}
	}
	return map[string]schema.Attribute{
		"org_name":       str("Organization name. Null when the API gives none."),
		"tenant_name":    str("Tenant name. Null when the API gives none."),
		"vpc_name":       str("VPC the resource belongs to. Null when the API gives none."),
		"pool_name":      str("Resource pool. Null when the API gives none."),
		"day":            str("The day the line is billed on, `YYYY-MM-DD`."),
		"start_time":     str("Start of the billed interval, exactly as the API sends it: `YYYY-MM-DD HH:MM:SS` in the account's time zone, or RFC 3339."),
		"service":        str("Service name, such as `Instance` or `Storage` (one of `fptcloud_bill_service_types`)."),
		"name":           str("Name of the billed resource."),
		"attach_vm":      str("Instance a volume is attached to. Null when the API gives none."),
		"storage_policy": str("Storage policy of a volume. Null when the API gives none."),
		"machine":        str("Machine type (flavor). Null when the API gives none."),
		"disk":           number("Disk size, as the API reports it. Null when the API gives none."),
		"disk_total":     number("Total disk, as the API reports it. Null when the API gives none."),
		"vcpu":           number("vCPUs, as the API reports them. Null when the API gives none."),
		"vcpu_total":     number("Total vCPUs, as the API reports them. Null when the API gives none."),
		"ram":            number("RAM, as the API reports it. Null when the API gives none."),
		"ram_total":      number("Total RAM, as the API reports it. Null when the API gives none."),
		"running_time":   number("Running time billed, as the API reports it. Null when the API gives none."),
		"total_price":    number("Price of the line in VND, every digit as the API sent it."),
		"disk_quantity":  number("Billed disk quantity. Null when the API gives none."),
		"cpu_quantity":   number("Billed CPU quantity. Null when the API gives none."),
		"ram_quantity":   number("Billed RAM quantity. Null when the API gives none."),
		"tag":            str("Tag of the resource. Null when the API gives none."),
	}
}

func (d *billsDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	filter := func(desc string) schema.Attribute {
		return schema.ListAttribute{
			MarkdownDescription: desc,
			ElementType:         types.StringType,
			Optional:            true,
			Validators: []validator.List{
				styledList{listvalidator.SizeAtLeast(1)},
				listvalidator.ValueStringsAre(styledString{stringvalidator.LengthAtLeast(1)}),
			},
		}
	}
	money := func(desc string) schema.Attribute {
		return schema.MapAttribute{MarkdownDescription: desc, ElementType: types.NumberType, Computed: true}
	}
	dateValidators := []validator.String{
		styledString{stringvalidator.RegexMatches(datePattern, "must be a date in the form YYYY-MM-DD, such as 2024-09-01")},
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
				MarkdownDescription: fmt.Sprintf("Last day of the range, `YYYY-MM-DD`, inclusive. Defaults to `from` (a single day). "+
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
					"Conflicts with `from` and `to`.",
				Optional:   true,
				Validators: []validator.String{styledString{stringvalidator.OneOf(billing.RangePresets...)}},
			},
			"services": filter("Only lines of these services, such as `[\"Instance\", \"Storage\"]`. Unset: every service."),
			"vpc_names": filter(fmt.Sprintf("Only lines of these VPCs. `%q` selects lines without a VPC. Unset: every line.",
				billing.NoneKey)),
			"tags": filter(fmt.Sprintf("Only lines with one of these tags. `%q` selects lines without a tag. Unset: every line.",
				billing.NoneKey)),
			"period": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("Length of the `periods`: `hour`, `day`, `week` (ISO weeks, Monday to Sunday), "+
					"`month` or `year`, in the provider's `time_zone`. Defaults to `%s`.", defaultBillsPeriod),
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{styledString{stringvalidator.OneOf(billing.Periods...)}},
			},
			"include_items": schema.BoolAttribute{
				MarkdownDescription: "Whether to keep every line in `items`. Defaults to `true`. Set it to `false` for long " +
					"ranges: the totals are still computed, memory stays flat however many lines there are, and `max_items` does not apply.",
				Optional: true,
				Computed: true,
			},
			"max_items": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("When `include_items` is true, the read fails if more lines than this match, "+
					"rather than putting a huge list in the state. Defaults to `%d`.", defaultBillsMaxItems),
				Optional:   true,
				Computed:   true,
				Validators: []validator.Int64{styledInt64{int64validator.AtLeast(1)}},
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
			"forecast_total_price": schema.NumberAttribute{
				MarkdownDescription: fmt.Sprintf("Where the range is not over yet (it ends today or later), the spend "+
					"extrapolated linearly to the end of the month of `to`: `total_price / elapsed × span`, where `elapsed` is the "+
					"time from the start of `from` to now and `span` the time from the start of `from` to the end of that month, "+
					"both in the provider's `time_zone`, rounded half away from zero to %d decimal places. Where the range is over, "+
					"equal to `total_price`. Use it in a `check` block to warn before a budget is passed.", billing.ForecastDecimals),
				Computed: true,
			},
			"is_final": schema.BoolAttribute{
				MarkdownDescription: "Whether the range is over: `true` once today, in the provider's `time_zone`, is after `to`, " +
					"so no more lines are billed on its days and the figures no longer change. `false` while the range " +
					"includes today (or a later day): the totals still grow. A `check` that must not judge a half-finished " +
					"day can test it: `condition = !self.is_final || ...`.",
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
					"the range, `total_price` and `forecast_total_price` formatted as `12,345,679 VND`, whether the figures are "+
					"final and `data_through`, the daily spend over the range as a line of bars (`▁▂▃▄▅▆▇█`, one a day in the "+
					"provider's `time_zone`, whatever the `period`), and the top %d services and VPCs by amount with their "+
					"share of the total. Lines without a VPC show as `%s`. With `compare_to`, a line with the change against "+
					"the earlier range (`+12.4%% (+1,234,567 VND) vs 2024-08-01..2024-08-20 (9,876,543 VND)`); with "+
					"`spike_detection`, a table of the %d largest spikes. It holds no time of reading, so the same "+
					"figures give the same text.", billing.ReportTopRows, billing.NoneKey, billing.ReportTopRows),
				Computed: true,
			},
		},
		Blocks: map[string]schema.Block{"timeouts": timeoutsBlock(ctx)},
	}
	maps.Copy(resp.Schema.Attributes, billsHistoryAttributes())
}

func (d *billsDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		fromOrRange{},
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
		if s := v.ValueString(); datePattern.MatchString(s) { // the pattern's own validator reports other shapes
			if _, err := billing.ParseDate(s); err != nil {
				addInvalidValue(&resp.Diagnostics, path.Root(name), shownValue(v),
					err.Error()+"; write a real day of the calendar as YYYY-MM-DD, such as 2024-09-01")
			}
		}
	}
	if resp.Diagnostics.HasError() || from.IsNull() || !datePattern.MatchString(from.ValueString()) {
		return
	}
	toText := from.ValueString()
	if !to.IsNull() {
		if !datePattern.MatchString(to.ValueString()) {
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

func (d *billsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configureDataSource(req, resp)
}

func (d *billsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var model billsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &model)...)
	readTimeout, diags := model.Timeouts.Read(ctx, 0)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := d.data.readContext(ctx, readTimeout, &resp.Diagnostics)
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
	query := billsQuery{
		From: from, To: to, Location: loc,
		Services: model.Services, VPCNames: model.VPCNames, Tags: model.Tags,
		Period:       billing.Period(model.Period.ValueString()),
		IncludeItems: model.IncludeItems.ValueBool(),
		MaxItems:     model.MaxItems.ValueInt64(),
	}

	history, ok := newBillsHistory(&model, from, to, &resp.Diagnostics)
	if !ok {
		return
	}
	result, historyResult, err := d.data.billsWithHistory(ctx, query, history)
	if addHistoryError(&resp.Diagnostics, err) {
		return
	}
	var tooMany *tooManyItemsError
	var badLine *badLineError
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

	forecast, err := billing.Forecast(result.Summary.Total, from, to, now, loc)
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
	report, err := billing.Report{
		Summary: result.Summary, From: from, To: to, Forecast: forecast, Currency: billsCurrency, Final: final,
		History: reportHistory,
	}.Markdown()
	if err != nil {
		resp.Diagnostics.AddError("Cannot write the cost report", err.Error())
		return
	}
	model.From, model.To = types.StringValue(from), types.StringValue(to)
	model.ItemCount = types.Int64Value(result.Summary.Count)
	model.TotalPrice = types.NumberValue(result.Summary.Total.BigFloat())
	model.ForecastTotalPrice = types.NumberValue(forecast.BigFloat())
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
	model.Items = nil // null unless include_items
	if query.IncludeItems {
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

// billsQuery is one read of fptcloud_bills, with every default applied.
type billsQuery struct {
	From, To                 string
	Location                 *time.Location
	Services, VPCNames, Tags []string
	Period                   billing.Period
	IncludeItems             bool
	MaxItems                 int64
	PageSize                 int // 0: the API's largest
}

// billsResult is what a read found.
type billsResult struct {
	Summary billing.Summary
	Items   []fptapi.BillLine // when IncludeItems: the matching lines, sorted
	Mode    fptapi.BillMode
}

type tooManyItemsError struct {
	max, count int64
	from, to   string
}

func (e *tooManyItemsError) Error() string {
	return fmt.Sprintf("%d bill lines match %s..%s, more than max_items = %d. Narrow the range (from/to or range) or the filters "+
		"(services, vpc_names, tags), set include_items = false to keep only the totals, or raise max_items.", e.count, e.from, e.to, e.max)
}

type badLineError struct {
	line  *fptapi.BillLine
	where string // the page or day it came in, when known
	err   error
}

func (e *badLineError) Error() string {
	where := ""
	if e.where != "" {
		where = " (" + e.where + ")"
	}
	return fmt.Sprintf("The bill line of %s for %s %q%s cannot be used: %s. The API answered with data this provider does "+
		"not understand; report it to FPT Cloud support.", e.line.Day, e.line.Service, e.line.Name, where, e.err)
}

// readBills fetches the lines of q from source (the API client, or the day
// cache in front of it), filters them and sums them. It is the whole of a
// read but the Terraform types.
func readBills(ctx context.Context, source billSource, q billsQuery) (*billsResult, error) {
	agg, err := billing.NewAggregator(q.Period, q.Location, q.From, q.To)
	if err != nil {
		return nil, err
	}
	filter := billing.NewFilter(q.Services, q.VPCNames, q.Tags)
	// Pages are fetched by several goroutines at once, and tflog rewrites
	// the fields of its context while masking secrets: every goroutine that
	// logs gets a context (and fields) of its own.
	logCtx := tflog.SetField(ctx, "bills_range", q.From+".."+q.To)
	api := fptapi.BillQuery{From: q.From, To: q.To, PageSize: q.PageSize,
		WorkerContext: func(ctx context.Context, unit int) context.Context {
			return tflog.SetField(ctx, "bills_unit", unit)
		},
	}
	// A single service or VPC is also asked of the API, to fetch less; the
	// filter above applies either way.
	if len(q.Services) == 1 {
		api.Service = q.Services[0]
	}
	if len(q.VPCNames) == 1 && q.VPCNames[0] != billing.NoneKey {
		api.VPCName = q.VPCNames[0]
	}

	result := &billsResult{}
	// The matching lines, and the start time of each for the sort.
	var items []fptapi.BillLine
	var starts []time.Time
	// The data moved during the read, which starts again: what was summed
	// so far is dropped, so that the result is one snapshot.
	api.Reset = func() {
		agg, _ = billing.NewAggregator(q.Period, q.Location, q.From, q.To) // the same arguments succeeded above
		items, starts = nil, nil
	}
	started := time.Now()
	err = source.Bills(ctx, api, func(page fptapi.BillPage) error {
		result.Mode = page.Mode
		logPage(logCtx, page, started)
		for i := range page.Lines {
			apiLine := &page.Lines[i]
			line, err := billingLine(apiLine, q.Location)
			if err != nil {
				return &badLineError{line: apiLine, where: pageName(page, i), err: err}
			}
			if !filter.Match(&line) {
				continue
			}
			agg.Add(&line)
			// Past max_items the lines are still counted, not kept, so
			// that the error can say how many match.
			if q.IncludeItems && int64(len(items)) < q.MaxItems {
				items = append(items, *apiLine)
				starts = append(starts, line.Start)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	summary := agg.Summary()
	if q.IncludeItems && summary.Count > q.MaxItems {
		return nil, &tooManyItemsError{max: q.MaxItems, count: summary.Count, from: q.From, to: q.To}
	}
	// A stable order, the same from either endpoint.
	if q.IncludeItems {
		sortLines(items, starts)
		result.Items = items
		if result.Items == nil {
			result.Items = []fptapi.BillLine{} // an empty list, not null
		}
	}
	result.Summary = summary
	return result, nil
}

// logPage reports the progress of long reads.
func logPage(ctx context.Context, page fptapi.BillPage, started time.Time) {
	fields := map[string]any{
		"mode": string(page.Mode), "lines": len(page.Lines), "from_cache": page.FromCache,
		"elapsed_ms": time.Since(started).Milliseconds(),
	}
	unit := "page"
	if page.Mode == fptapi.ModeByDate {
		unit, fields["day"] = "day", page.Day
	}
	msg := fmt.Sprintf("fetched %s %d of %d", unit, page.Number, page.Of)
	if page.Of > 1 && (page.Number == 1 || page.Number == page.Of || page.Number%10 == 0) {
		tflog.Info(ctx, msg, fields)
		return
	}
	tflog.Debug(ctx, msg, fields)
}

// pageName says where line i of page came from.
func pageName(page fptapi.BillPage, i int) string {
	if page.Mode == fptapi.ModeByDate {
		return fmt.Sprintf("line %d of GET %s?search_date=%s", i+1, fptapi.BillsEndpoint, page.Day)
	}
	return fmt.Sprintf("line %d of page %d of POST %s", i+1, page.Number, fptapi.BillsEndpoint)
}

// billingLine is what the aggregation needs of an API line.
func billingLine(l *fptapi.BillLine, loc *time.Location) (billing.Line, error) {
	price, err := billing.ParseMoney(l.TotalPrice.String())
	if err != nil {
		return billing.Line{}, fmt.Errorf("total_price: %w", err)
	}
	start, err := billing.ParseLineTime(l.StartTime, loc)
	if err != nil {
		return billing.Line{}, err
	}
	return billing.Line{Day: l.Day, Start: start, Service: l.Service, VPC: l.VPCName, Tag: l.Tag, Name: l.Name, Price: price}, nil
}

func moneyMap(totals map[string]billing.Money) types.Map {
	elems := make(map[string]attr.Value, len(totals))
	for k, v := range totals {
		elems[k] = types.NumberValue(v.BigFloat())
	}
	return types.MapValueMust(types.NumberType, elems)
}

func optString(s *string) types.String {
	if s == nil {
		return types.StringNull()
	}
	return types.StringValue(*s)
}

// numbers turns JSON number texts into Terraform numbers at the 512 bits
// of precision Terraform uses, keeping the first failure.
type numbers struct{ err error }

func (n *numbers) exact(field, text string) types.Number {
	f, _, err := big.ParseFloat(text, 10, 512, big.ToNearestEven)
	if err != nil {
		if n.err == nil {
			n.err = fmt.Errorf("%s %q is not a number Terraform can hold: %w", field, text, err)
		}
		return types.NumberNull()
	}
	return types.NumberValue(f)
}

func (n *numbers) opt(field string, v *json.Number) types.Number {
	if v == nil {
		return types.NumberNull()
	}
	return n.exact(field, v.String())
}

func itemModel(l *fptapi.BillLine) (billItemModel, error) {
	var n numbers
	m := billItemModel{
		OrgName: optString(l.OrgName), TenantName: optString(l.TenantName),
		VPCName: optString(l.VPCName), PoolName: optString(l.PoolName),
		Day: types.StringValue(l.Day), StartTime: types.StringValue(l.StartTime),
		Service: types.StringValue(l.Service), Name: types.StringValue(l.Name),
		AttachVM: optString(l.AttachVM), StoragePolicy: optString(l.StoragePolicy), Machine: optString(l.Machine),
		Disk: n.opt("disk", l.Disk), DiskTotal: n.opt("disk_total", l.DiskTotal),
		VCPU: n.opt("vcpu", l.VCPU), VCPUTotal: n.opt("vcpu_total", l.VCPUTotal),
		RAM: n.opt("ram", l.RAM), RAMTotal: n.opt("ram_total", l.RAMTotal),
		RunningTime:  n.opt("running_time", l.RunningTime),
		TotalPrice:   n.exact("total_price", l.TotalPrice.String()),
		DiskQuantity: n.opt("disk_quantity", l.DiskQuantity), CPUQuantity: n.opt("cpu_quantity", l.CPUQuantity),
		RAMQuantity: n.opt("ram_quantity", l.RAMQuantity),
		Tag:         optString(l.Tag),
	}
	if n.err != nil {
		return m, &badLineError{line: l, err: n.err}
	}
	return m, nil
}

// sortLines sorts lines by day, start time, service and name, stably, so
// that both endpoints give the same order. starts[i] is the start time of
// lines[i]. The lines are sorted through an index and moved in place, not
// copied: a read with items holds them once.
func sortLines(lines []fptapi.BillLine, starts []time.Time) {
	order := make([]int32, len(lines))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(a, b int32) int {
		la, lb := &lines[a], &lines[b]
		return cmp.Or(strings.Compare(la.Day, lb.Day), starts[a].Compare(starts[b]),
			strings.Compare(la.Service, lb.Service), strings.Compare(la.Name, lb.Name))
	})
	// Put lines[order[i]] at i, one cycle of the permutation at a time.
	for i := range order {
		if order[i] < 0 {
			continue
		}
		first := lines[i]
		j := i
		for {
			k := int(order[j])
			order[j] = -1
			if k == i {
				lines[j] = first
				break
			}
			lines[j] = lines[k]
			j = k
		}
	}
}
