package provider

import (
	"context"
	"fmt"
	"math/big"

	"github.com/hashicorp/terraform-plugin-framework/function"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing"
)

var (
	_ function.Function = formatMoneyFunction{}
	_ function.Function = percentOfFunction{}
	_ function.Function = exceedsFunction{}
)

// NewFormatMoneyFunction is provider::fptcloud::format_money.
func NewFormatMoneyFunction() function.Function { return formatMoneyFunction{} }

// NewPercentOfFunction is provider::fptcloud::percent_of.
func NewPercentOfFunction() function.Function { return percentOfFunction{} }

// NewExceedsFunction is provider::fptcloud::exceeds.
func NewExceedsFunction() function.Function { return exceedsFunction{} }

// moneyArgument reads the number argument at position (0-based) as exact money.
func moneyArgument(f *big.Float, position int64) (billing.Money, *function.FuncError) {
	m, err := billing.MoneyFromFloat(f)
	if err != nil {
		return billing.Money{}, function.NewArgumentFuncError(position, err.Error())
	}
	return m, nil
}

type formatMoneyFunction struct{}

func (formatMoneyFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "format_money"
}

func (formatMoneyFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Formats an amount of money for people to read",
		MarkdownDescription: "Rounds `amount` to the currency's minor unit (halves away from zero), groups thousands with commas " +
			"and appends the currency code: `format_money(12345678.5, \"VND\")` is `\"12,345,679 VND\"`, " +
			"`format_money(1234.5, \"USD\")` is `\"1,234.50 USD\"`. The arithmetic is decimal, so no floating-point " +
			"artefacts appear. The decimals are the currency's ISO 4217 minor unit: VND, JPY, KRW and a few others have none; " +
			"BHD, KWD and a few others three; CLF and UYW four; every other currency two.",
		Parameters: []function.Parameter{
			function.NumberParameter{Name: "amount", MarkdownDescription: "The amount, such as `data.fptcloud_bills.month.total_price`."},
			function.StringParameter{Name: "currency", MarkdownDescription: "An ISO 4217 currency code in capitals, such as `VND` or `USD`. " +
				"It is checked against the ISO 4217 list of the Unicode CLDR (withdrawn codes included) and the codes " +
				"published since: an unknown code such as `XYZ` is an error, and so is `vnd`, with the fix (`VND`)."},
		},
		Return: function.StringReturn{},
	}
}

func (formatMoneyFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var amount *big.Float
	var currency string
	if resp.Error = req.Arguments.Get(ctx, &amount, &currency); resp.Error != nil {
		return
	}
	m, ferr := moneyArgument(amount, 0)
	if ferr != nil {
		resp.Error = ferr
		return
	}
	text, err := billing.Format(m, currency)
	if err != nil {
		resp.Error = function.NewArgumentFuncError(1, err.Error())
		return
	}
	resp.Error = resp.Result.Set(ctx, text)
}

type percentOfFunction struct{}

func (percentOfFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "percent_of"
}

func (percentOfFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "An amount as a percentage of a budget, rounded to 2 decimals",
		MarkdownDescription: "Returns `amount / budget * 100` computed in exact decimal arithmetic and rounded to 2 decimals " +
			"(halves away from zero): `percent_of(1, 3)` is `33.33` and `percent_of(0.3, 0.1)` is exactly `300`. " +
			"A `budget` of 0 or below is an error that names the argument: a negative budget would make every " +
			"`percent_of(spent, budget) <= 100` check pass.",
		Parameters: []function.Parameter{
			function.NumberParameter{Name: "amount", MarkdownDescription: "The amount spent."},
			function.NumberParameter{Name: "budget", MarkdownDescription: "The budget; must be greater than 0."},
		},
		Return: function.NumberReturn{},
	}
}

func (percentOfFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var amount, budget *big.Float
	if resp.Error = req.Arguments.Get(ctx, &amount, &budget); resp.Error != nil {
		return
	}
	a, ferr := moneyArgument(amount, 0)
	if ferr != nil {
		resp.Error = ferr
		return
	}
	b, ferr := moneyArgument(budget, 1)
	if ferr != nil {
		resp.Error = ferr
		return
	}
	percent, err := billing.PercentOf(a, b)
	if err != nil {
		resp.Error = function.NewArgumentFuncError(1, err.Error())
		return
	}
	resp.Error = resp.Result.Set(ctx, percent.BigFloat())
}

type exceedsFunction struct{}

func (exceedsFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "exceeds"
}

func (exceedsFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Whether an amount is over a limit, compared in decimal",
		MarkdownDescription: "Returns `true` when `amount` is strictly greater than `limit`, compared as exact decimals: " +
			"`exceeds(0.1 + 0.2, 0.3)` is `false`, where binary floating point would say `0.30000000000000004 > 0.3`. " +
			"A `limit` below 0 is an error that names the argument: every amount of 0 or more would pass it, so it is " +
			"a mistake (a sign lost in arithmetic, a variable left at a placeholder), never a budget.",
		Parameters: []function.Parameter{
			function.NumberParameter{Name: "amount", MarkdownDescription: "The amount spent."},
			function.NumberParameter{Name: "limit", MarkdownDescription: "The limit it must not pass; 0 or more."},
		},
		Return: function.BoolReturn{},
	}
}

func (exceedsFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var amount, limit *big.Float
	if resp.Error = req.Arguments.Get(ctx, &amount, &limit); resp.Error != nil {
		return
	}
	a, ferr := moneyArgument(amount, 0)
	if ferr != nil {
		resp.Error = ferr
		return
	}
	l, ferr := moneyArgument(limit, 1)
	if ferr != nil {
		resp.Error = ferr
		return
	}
	if l.Sign() < 0 {
		resp.Error = function.NewArgumentFuncError(1, fmt.Sprintf(
			"the limit is %s, below 0, so every amount of 0 or more would exceed it; pass a limit of 0 or more", l))
		return
	}
	resp.Error = resp.Result.Set(ctx, a.Cmp(l) > 0)
}
