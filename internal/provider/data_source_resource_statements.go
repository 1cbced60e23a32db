package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/bills"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

// Defaults of fptcloud_resource_statements.
const (
	defaultStatementsMaxItems = 10_000
	statementsWhat            = "resource statements (" + fptapi.StatementsEndpoint + ")"
)

var (
	_ datasource.DataSource              = (*resourceStatementsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*resourceStatementsDataSource)(nil)
)

// NewResourceStatementsDataSource is the fptcloud_resource_statements data source.
func NewResourceStatementsDataSource() datasource.DataSource {
	return &resourceStatementsDataSource{}
}

type resourceStatementsDataSource struct {
	data *providerData
}

type resourceStatementsModel struct {
	ResourceType     types.String           `tfsdk:"resource_type"`
	Status           types.String           `tfsdk:"status"`
	Type             types.String           `tfsdk:"type"`
	Filters          []statementFilterModel `tfsdk:"filters"`
	StartedAfter     types.String           `tfsdk:"started_after"`
	StartedBefore    types.String           `tfsdk:"started_before"`
	SortField        types.String           `tfsdk:"sort_field"`
	SortOrder        types.String           `tfsdk:"sort_order"`
	UnmatchedFilters types.String           `tfsdk:"unmatched_filters"`
	PageSize         types.Int64            `tfsdk:"page_size"`
	MaxItems         types.Int64            `tfsdk:"max_items"`

	Statements           types.List   `tfsdk:"statements"`
	Total                types.Int64  `tfsdk:"total"`
	ItemCount            types.Int64  `tfsdk:"item_count"`
	TotalAmount          types.Number `tfsdk:"total_amount"`
	TotalsByStatus       types.Map    `tfsdk:"totals_by_status"`
	TotalsByResourceType types.Map    `tfsdk:"totals_by_resource_type"`
	TotalsByType         types.Map    `tfsdk:"totals_by_type"`
	TotalsByResource     types.Map    `tfsdk:"totals_by_resource"`

	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

type statementFilterModel struct {
	Key   types.String `tfsdk:"key"`
	Op    types.String `tfsdk:"op"`
	Value types.String `tfsdk:"value"`
}

func (d *resourceStatementsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_resource_statements"
}

func (d *resourceStatementsDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	fields := "`" + strings.Join(fptapi.StatementFields, "`, `") + "`"
	ops := "`" + strings.Join(fptapi.FilterOps, "`, `") + "`"
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the charge statements of the tenant's resources (`GET " + fptapi.StatementsEndpoint + "`): " +
			"what each virtual machine or volume was charged, when, and whether it is paid. Filter by resource type, " +
			"payment status, statement type, start time or any field; sort by any field; and read exact totals per status, " +
			"resource type and type, for example to list the unpaid charges of a month or to check them against a budget.\n\n" +
			"Every filter is sent to the API, which does the filtering and the counting (`total`); the start time window is " +
			"also checked again on the statements that come back. The statements are read page by page (`page_size` at a " +
			"time, several pages at once) and kept in the order the API returns them. An API that answers the same page " +
			"for every offset makes the read fail with an error rather than loop.",
		Attributes: map[string]schema.Attribute{
			"resource_type": schema.StringAttribute{
				MarkdownDescription: "Only statements of this resource type, such as `vm` (virtual machines) or `volume` (storage volumes). " +
					"A shortcut for a filter `{ key = \"resource_type\", op = \"eq\", value = ... }`.",
				Optional:   true,
				Validators: []validator.String{nonEmpty()},
			},
			"status": schema.StringAttribute{
				MarkdownDescription: "Only statements with this payment status, such as `paid` or `unpaid`. " +
					"A shortcut for a filter `{ key = \"status\", op = \"eq\", value = ... }`.",
				Optional:   true,
				Validators: []validator.String{nonEmpty()},
			},
			"type": schema.StringAttribute{
				MarkdownDescription: "Only statements of this type, such as `lease_fee`. " +
					"A shortcut for a filter `{ key = \"type\", op = \"eq\", value = ... }`.",
				Optional:   true,
				Validators: []validator.String{nonEmpty()},
			},
			"unmatched_filters": unmatchedFiltersAttribute("`resource_type`, `status` or `type` (checked when no statement " +
				"matches, against the values the API documents and those of the window's statements, read then once)"),
			"filters": schema.ListNestedAttribute{
				MarkdownDescription: "Conditions that every statement must meet, sent to the API's `filters` parameter " +
					"together with `resource_type`, `status`, `type` and the `started_after`/`started_before` window.",
				Optional: true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"key": schema.StringAttribute{
							MarkdownDescription: "Field to test: a statement field (" + fields + ") or another field the API filters on.",
							Required:            true,
							Validators:          []validator.String{nonEmpty()},
						},
						"op": schema.StringAttribute{
							MarkdownDescription: "Comparison, one of " + ops + ". Defaults to `eq`. `contains` matches part of a text; " +
								"`gt`, `gte`, `lt` and `lte` compare numbers on `amount`, `started_time` and `due_time`.",
							Optional:   true,
							Validators: []validator.String{oneOf(fptapi.FilterOps...)},
						},
						"value": schema.StringAttribute{
							MarkdownDescription: "Value to compare with, always written as a string. On `amount`, `started_time` and " +
								"`due_time` a number such as `\"12.5\"` or `\"1725003272\"` (Unix seconds) is sent as a JSON number.",
							Required: true,
						},
					},
				},
			},
			"started_after": schema.StringAttribute{
				MarkdownDescription: "Only statements that started at or after this time: an RFC 3339 time such as " +
					"`2024-09-01T00:00:00+07:00`, or a day such as `2024-09-01` (midnight in the provider's `time_zone`). " +
					"Sent to the API as the filter `started_time gte` in Unix seconds, and checked again on what it returns.",
				Optional:   true,
				Validators: []validator.String{instantValidator()},
			},
			"started_before": schema.StringAttribute{
				MarkdownDescription: "Only statements that started before this time (exclusive), written as for `started_after`: " +
					"`started_after = \"2024-09-01\"` with `started_before = \"2024-10-01\"` is the month of September. " +
					"Sent to the API as the filter `started_time lt` in Unix seconds, and checked again on what it returns.",
				Optional:   true,
				Validators: []validator.String{instantValidator()},
			},
			"sort_field": schema.StringAttribute{
				MarkdownDescription: "Field to sort by, one of " + fields + ". Unset, the API's own order is kept " +
					"(newest `started_time` first).",
				Optional:   true,
				Validators: []validator.String{oneOf(fptapi.StatementFields...)},
			},
			"sort_order": schema.StringAttribute{
				MarkdownDescription: "`asc` (smallest first) or `desc` (largest first) by `sort_field`, which must be set with it: FPT Cloud does not " +
					"document which field its own order sorts by, so the provider does not guess one. Unset, the API's default applies.",
				Optional:   true,
				Validators: []validator.String{oneOf("asc", "desc"), sortOrderNeedsField{}},
			},
			"page_size": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("Statements asked for per request, from 1 to %d. Defaults to `%d`. "+
					"Larger pages mean fewer requests.", fptapi.MaxStatementsPageSize, fptapi.DefaultStatementsPageSize),
				Optional:   true,
				Validators: []validator.Int64{int64Between(1, fptapi.MaxStatementsPageSize)},
			},
			"max_items": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("Most statements this data source reads. When the API counts more matching "+
					"statements, the read fails with an error instead of filling the state with them: narrow the filters or "+
					"raise the limit. Defaults to `%d`.",
					defaultStatementsMaxItems),
				Optional:   true,
				Validators: []validator.Int64{int64AtLeast(1)},
			},

			"statements": schema.ListNestedAttribute{
				MarkdownDescription: "The matching statements, in the order the API returns them (see `sort_field` and `sort_order`).",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: statementItemAttributes()},
			},
			"total": schema.Int64Attribute{
				MarkdownDescription: "Number of matching statements, as the API counts them. Null when the API does not say.",
				Computed:            true,
			},
			"item_count": schema.Int64Attribute{
				MarkdownDescription: "Number of statements in `statements`.",
				Computed:            true,
			},
			"total_amount": schema.NumberAttribute{
				MarkdownDescription: "Sum of the amounts of `statements`, computed exactly in decimal. `0` when there are none.",
				Computed:            true,
			},
			"totals_by_status": schema.MapAttribute{
				MarkdownDescription: "Sum of the amounts per payment status, such as `{ paid = 12.5, unpaid = 3.25 }`.",
				ElementType:         types.NumberType,
				Computed:            true,
			},
			"totals_by_resource_type": schema.MapAttribute{
				MarkdownDescription: "Sum of the amounts per resource type, such as `{ vm = 10, volume = 5.75 }`.",
				ElementType:         types.NumberType,
				Computed:            true,
			},
			"totals_by_type": schema.MapAttribute{
				MarkdownDescription: "Sum of the amounts per statement type, such as `{ lease_fee = 15.75 }`.",
				ElementType:         types.NumberType,
				Computed:            true,
			},
			"totals_by_resource": schema.MapAttribute{
				MarkdownDescription: "Sum of the amounts per resource, keyed by `resource_id`, so that a configuration can price " +
					"a resource it manages: `lookup(data.fptcloud_resource_statements.month.totals_by_resource, fptcloud_instance.web.id, 0)`.",
				ElementType: types.NumberType,
				Computed:    true,
			},
		},
		Blocks: map[string]schema.Block{"timeouts": timeoutsBlock(ctx)},
	}
}

func (d *resourceStatementsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configureDataSource(req, resp)
}

func (d *resourceStatementsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var model resourceStatementsModel
	ctx, cancel, ok := d.data.beginRead(ctx, req.Config, &model, &model.Timeouts, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}

	window, ok := model.window(d.data.location, &resp.Diagnostics)
	if !ok {
		return
	}
	maxItems := int64OrDefault(model.MaxItems, defaultStatementsMaxItems)
	query := fptapi.StatementsQuery{
		Filters:   append(model.apiFilters(), window.Filters()...),
		SortField: model.SortField.ValueString(),
		SortOrder: model.SortOrder.ValueString(),
		PageSize:  int(int64OrDefault(model.PageSize, fptapi.DefaultStatementsPageSize)),
		MaxItems:  int(maxItems),
	}
	list, err := d.data.client.ResourceStatements(ctx, query)
	var tooMany *fptapi.TooManyItemsError
	switch {
	case errors.As(err, &tooMany):
		resp.Diagnostics.AddAttributeError(path.Root("max_items"), "Too many resource statements",
			fmt.Sprintf("%s. Narrow the read with resource_type, status, type, filters or started_after/started_before, "+
				"or raise max_items (now %d) if you want them all.", tooMany, maxItems))
		return
	case fptapi.IsKind(err, fptapi.KindInconsistent):
		var apiErr *fptapi.APIError
		errors.As(err, &apiErr)
		resp.Diagnostics.AddError("Cannot read "+statementsWhat,
			fmt.Sprintf("%s\n\n%s If the API ignores offset, set page_size (at most %d) to at least the number of "+
				"matching statements, narrowing the filters if needed, so that one request reads them all.",
				apiErr.Error(), apiErr.Hint(), fptapi.MaxStatementsPageSize))
		return
	case err != nil:
		addAPIError(&resp.Diagnostics, statementsWhat, err)
		return
	}

	kept, totals, outside, err := bills.KeepStatements(list.Statements, window)
	var badAmount *bills.BadAmountError
	switch {
	case errors.As(err, &badAmount):
		resp.Diagnostics.AddError("Cannot read "+statementsWhat,
			fmt.Sprintf("Statement %q has the amount %q, which is not a decimal number: %s. "+
				"Report this to FPT Cloud support.", badAmount.ID, badAmount.Amount, badAmount.Err))
		return
	case err != nil:
		resp.Diagnostics.AddError("Cannot read "+statementsWhat, err.Error())
		return
	}
	d.data.addStatementHints(ctx, &model, window, len(kept), &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := setStatements(ctx, &model, kept, d.data.location); err != nil {
		resp.Diagnostics.AddError("Cannot read "+statementsWhat, err.Error())
		return
	}

	if outside > 0 {
		resp.Diagnostics.AddWarning("Statements outside started_after/started_before left out",
			fmt.Sprintf("The API returned %d statement(s) that started outside the requested window, although the "+
				"window was sent as a filter; they are not in statements nor in the totals. The API may not apply "+
				"that filter: check total, which is the API's own count.", outside))
	} else if list.Total >= 0 && list.Total != int64(len(list.Statements)) {
		resp.Diagnostics.AddWarning("Resource statements changed while they were read",
			fmt.Sprintf("The API counted %d matching statements but returned %d across its pages. Statements may "+
				"have been added or removed during the read; read again for a consistent list.", list.Total, len(list.Statements)))
	}

	model.Total = types.Int64Null()
	if list.Total >= 0 {
		model.Total = types.Int64Value(list.Total)
	}
	model.ItemCount = types.Int64Value(int64(len(kept)))
	model.TotalAmount = types.NumberValue(totals.Amount.BigFloat())
	model.TotalsByStatus = moneyMap(totals.ByStatus)
	model.TotalsByResourceType = moneyMap(totals.ByResourceType)
	model.TotalsByType = moneyMap(totals.ByType)
	model.TotalsByResource = moneyMap(totals.ByResource)
	resp.Diagnostics.Append(resp.State.Set(ctx, &model)...)
}

// apiFilters are the shortcut attributes and the filters list, as the API's filters.
func (m *resourceStatementsModel) apiFilters() []fptapi.Filter {
	var filters []fptapi.Filter
	for _, shortcut := range []struct {
		key   string
		value types.String
	}{{fptapi.FieldResourceType, m.ResourceType}, {fptapi.FieldStatus, m.Status}, {fptapi.FieldType, m.Type}} {
		if !shortcut.value.IsNull() {
			filters = append(filters, fptapi.Filter{Key: shortcut.key, Op: fptapi.OpEq, Value: shortcut.value.ValueString()})
		}
	}
	for _, f := range m.Filters {
		op := f.Op.ValueString()
		if op == "" {
			op = fptapi.OpEq
		}
		filters = append(filters, fptapi.Filter{Key: f.Key.ValueString(), Op: op, Value: f.Value.ValueString()})
	}
	return filters
}

// window reads started_after and started_before and checks their order.
func (m *resourceStatementsModel) window(loc *time.Location, diags *diag.Diagnostics) (bills.StartWindow, bool) {
	var w bills.StartWindow
	for _, a := range []struct {
		name  string
		value types.String
		dst   **time.Time
	}{{"started_after", m.StartedAfter, &w.After}, {"started_before", m.StartedBefore, &w.Before}} {
		if a.value.IsNull() {
			continue
		}
		t, err := bills.ParseInstant(a.value.ValueString(), loc)
		if err != nil {
			diags.AddAttributeError(path.Root(a.name), "Invalid time", err.Error())
			return w, false
		}
		*a.dst = &t
	}
	if w.After != nil && w.Before != nil && !w.After.Before(*w.Before) {
		diags.AddAttributeError(path.Root("started_before"), "Empty time window",
			fmt.Sprintf("started_before (%s) must be later than started_after (%s): the window [started_after, started_before) "+
				"holds no time. Swap them or widen the window.", w.Before.Format(time.RFC3339), w.After.Format(time.RFC3339)))
		return w, false
	}
	return w, true
}

// unixText formats Unix seconds as RFC 3339 in loc; false when sec is nil.
func unixText(sec *int64, loc *time.Location) (string, bool) {
	if sec == nil {
		return "", false
	}
	return time.Unix(*sec, 0).In(loc).Format(time.RFC3339), true
}
