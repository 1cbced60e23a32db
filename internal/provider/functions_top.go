package provider

import (
	"context"
	"fmt"
	"math/big"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing"
)

var _ function.Function = topTotalsFunction{}

// NewTopTotalsFunction is provider::fptcloud::top_totals.
func NewTopTotalsFunction() function.Function { return topTotalsFunction{} }

// topTotalType is the type of one entry of top_totals' result.
var topTotalType = types.ObjectType{AttrTypes: map[string]attr.Type{"key": types.StringType, "amount": types.NumberType}}

// topTotalModel is one entry of top_totals' result.
type topTotalModel struct {
	Key    types.String `tfsdk:"key"`
	Amount types.Number `tfsdk:"amount"`
}

type topTotalsFunction struct{}

func (topTotalsFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "top_totals"
}

func (topTotalsFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "The largest entries of a map of amounts, largest first",
		MarkdownDescription: "Returns the `n` largest entries of `totals` (such as `data.fptcloud_bills.month.totals_by_name`) " +
			"as a list of objects `{ key, amount }`, largest amount first, equal amounts in the order of their keys, compared " +
			"as exact decimals (Terraform's `sort` compares strings, so it puts `9` after `10`). `amount` is the map's value, " +
			"every digit kept: `tostring(entry.amount)` is its exact decimal text, never an exponent. `n` larger than the map " +
			"returns every entry, so `length(totals)` sorts the whole map. A null amount or an `n` below 0 is an error that " +
			"names the argument.",
		Parameters: []function.Parameter{
			function.MapParameter{Name: "totals", ElementType: types.NumberType,
				MarkdownDescription: "Amounts by key, such as `totals_by_service`, `totals_by_vpc`, `totals_by_tag` or `totals_by_name`."},
			function.Int64Parameter{Name: "n", MarkdownDescription: "How many entries to keep; 0 or more."},
		},
		Return: function.ListReturn{ElementType: topTotalType},
	}
}

func (topTotalsFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var totals map[string]*big.Float
	var n int64
	if resp.Error = req.Arguments.Get(ctx, &totals, &n); resp.Error != nil {
		return
	}
	if n < 0 {
		resp.Error = function.NewArgumentFuncError(1, fmt.Sprintf("n is %d; pass how many entries to keep, 0 or more", n))
		return
	}
	amounts := make(map[string]billing.Money, len(totals))
	for key, value := range totals {
		if value == nil {
			resp.Error = function.NewArgumentFuncError(0, fmt.Sprintf("the amount of %q is null; give every key an amount", key))
			return
		}
		m, ferr := moneyArgument(value, 0)
		if ferr != nil {
			resp.Error = ferr
			return
		}
		amounts[key] = m
	}
	rows := billing.TopTotals(amounts, int(min(n, int64(len(amounts)))))
	entries := make([]topTotalModel, len(rows))
	for i, row := range rows {
		entries[i] = topTotalModel{Key: types.StringValue(row.Key), Amount: types.NumberValue(row.Amount.BigFloat())}
	}
	list, diags := types.ListValueFrom(ctx, topTotalType, entries)
	if diags.HasError() {
		resp.Error = function.FuncErrorFromDiags(ctx, diags)
		return
	}
	resp.Error = resp.Result.Set(ctx, list)
}
