package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing"
)

// billsReportModel is the report argument of fptcloud_bills.
type billsReportModel struct {
	Budget        types.Number `tfsdk:"budget"`
	MaxCharacters types.Int64  `tfsdk:"max_characters"`
}

// billsReportAttributes is fptcloud_bills's report argument.
func billsReportAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"report": schema.SingleNestedAttribute{
			MarkdownDescription: "Settings of `summary_markdown`. Unset: the report without a budget, within " +
				fmt.Sprintf("%d characters.", billing.DefaultReportMaxCharacters),
			Optional: true,
			Attributes: map[string]schema.Attribute{
				"budget": schema.NumberAttribute{
					MarkdownDescription: "The range's budget in VND, greater than 0, such as `var.monthly_budget`. With it, the " +
						"report leads with one sentence (the spend, the forecast with its 80% interval while the range is not over, " +
						"and the change against `compare_to`'s range when it is set) and a budget line: the spend and the forecast " +
						"as shares of the budget, each followed by the share left (`82.0% (18.0% left)`) or `🔴 OVER`, and " +
						"`🟡 its 80% interval reaches NN.N%` when the forecast is within the budget but `forecast_high` is not. " +
						"Shares are exact, rounded half away from zero to one decimal as `percent_of` is. " +
						"Over a `month_to_date` range this is the month's budget: the forecast runs to the month's end.",
					Optional:   true,
					Validators: []validator.Number{amountValidator{min: billing.Money{}, strict: true, example: "150000000"}},
				},
				"max_characters": schema.Int64Attribute{
					MarkdownDescription: fmt.Sprintf("The most characters (Unicode code points) the report may hold, at least %d. "+
						"Defaults to %d, under GitHub's limit of 65,536 for a comment with room for text around it. "+
						"Service and VPC names longer than %d characters are shortened in the tables (ending in `…`) whatever "+
						"this is; a report still longer leaves out, in turn, the spikes table, the VPCs table, the services table "+
						"and the spend line, and ends with a note naming what it left out.",
						billing.MinReportCharacters, billing.DefaultReportMaxCharacters, billing.ReportNameCharacters),
					Optional:   true,
					Validators: []validator.Int64{int64AtLeast(billing.MinReportCharacters)},
				},
			},
		},
	}
}

// apply sets r's budget and length from the report argument; false when
// the budget cannot be read (the diagnostics say why).
func (m *billsReportModel) apply(r *billing.Report, diags *diag.Diagnostics) bool {
	if m == nil {
		return true
	}
	if !m.Budget.IsNull() && !m.Budget.IsUnknown() {
		budget, err := billing.MoneyFromFloat(m.Budget.ValueBigFloat())
		if err == nil && budget.Sign() <= 0 {
			err = fmt.Errorf("the budget is %s; give a budget greater than 0, such as 150000000", budget)
		}
		if err != nil {
			diags.AddAttributeError(path.Root("report").AtName("budget"), "Invalid report budget", err.Error())
			return false
		}
		r.Budget = &budget
	}
	if !m.MaxCharacters.IsNull() && !m.MaxCharacters.IsUnknown() {
		r.MaxCharacters = int(m.MaxCharacters.ValueInt64())
	}
	return true
}
