package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing"
)

// billsForecastAttributes are fptcloud_bills's forecast attributes: the
// method and the forecast, its interval and its shares by service.
func billsForecastAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"forecast_method": schema.StringAttribute{
			MarkdownDescription: forecastMethodDescription,
			Optional:            true,
			Computed:            true,
			Validators:          []validator.String{oneOf(billing.ForecastMethods...)},
		},
		"forecast_total_price": schema.NumberAttribute{
			MarkdownDescription: forecastTotalDescription,
			Computed:            true,
		},
		"forecast_low": schema.NumberAttribute{
			MarkdownDescription: forecastLowDescription,
			Computed:            true,
		},
		"forecast_high": schema.NumberAttribute{
			MarkdownDescription: "Upper end of the 80% prediction interval of `forecast_low` (the month's total should " +
				"pass it one time in ten). `forecast_high > budget`: the budget may be passed.",
			Computed: true,
		},
		"forecast_by_service": schema.MapAttribute{
			MarkdownDescription: forecastByServiceDescription,
			ElementType:         types.NumberType,
			Computed:            true,
		},
		"forecast_low_by_service": schema.MapAttribute{
			MarkdownDescription: forecastServiceIntervalDescription("Lower", "below", "never less than what the service has billed in the range so far"),
			ElementType:         types.NumberType,
			Computed:            true,
		},
		"forecast_high_by_service": schema.MapAttribute{
			MarkdownDescription: forecastServiceIntervalDescription("Upper", "above", "`forecast_high_by_service[\"Instance\"] > 5000000` warns when Instance may pass a budget of its own"),
			ElementType:         types.NumberType,
			Computed:            true,
		},
	}
}

// forecastServiceIntervalDescription is the description of one end of the
// per-service intervals.
func forecastServiceIntervalDescription(end, side, note string) string {
	return fmt.Sprintf("%s end of each service's own 80%% prediction interval around its forecast (not its rounded "+
		"share: the service's exact forecast), by service name, for the services of `forecast_by_service`: the "+
		"service's month should fall %s it one time in ten; %s. Each is the service's forecast ± 1.2816 × √V(s), "+
		"V(s) its own variance (its noise over the remaining days, its level's and trend's error, its recurring "+
		"charges still to come), widened on one side by a possible shift, rounded half away from zero to %d decimal "+
		"places. They do not add up to `forecast_low` / `forecast_high`: the services' variances add, not their "+
		"half-widths, so the sum of the services' ends is wider than the total's. Equal to `forecast_by_service` "+
		"where the forecast has no interval (`forecast_method = \"%s\"`, a range over or not begun, no complete day).",
		end, side, note, billing.ForecastDecimals, billing.ForecastMethodLinear)
}

// forecastByServiceDescription is forecast_by_service's description.
var forecastByServiceDescription = fmt.Sprintf("Each service's share of `forecast_total_price`, by service name: which "+
	"service drives the month. With `forecast_method = \"%s\"` each service is forecast on its own (its own level, "+
	"shift or trend; see `forecast_total_price`) and `forecast_total_price` is their sum; with `\"%s\"` each service's "+
	"`totals_by_service` entry is extrapolated by the same factor. The shares are rounded to %d decimal places so that "+
	"they add up to `forecast_total_price` exactly: each is rounded down, then the cents still missing go one each to "+
	"the shares with the largest remainders (ties to the earlier name). A service with no spend in the range is listed "+
	"when the forecast expects spend from it; a share of exactly 0 is left out.",
	billing.ForecastMethodCompleteDays, billing.ForecastMethodLinear, billing.ForecastDecimals)

// forecastMethodDescription is forecast_method's description.
var forecastMethodDescription = fmt.Sprintf("How `forecast_total_price`, `forecast_low`, `forecast_high` and "+
	"`forecast_by_service` are computed: `%[1]s` (the default) or `%[2]s`. See `forecast_total_price`. What it costs: "+
	"`%[2]s` reads nothing but the range; `%[1]s`, while the range includes today, also reads the days before "+
	"`from` from %[4]d days before the 1st of the month %[5]d months before `from`'s month (so that recurring charges "+
	"are seen in two months; at least the %[3]d days the levels are fitted on) (without items, once per plan, sharing pages with the spike baselines and the comparison where they overlap, "+
	"through the day cache when it is on): as many more requests as those days fill pages of 1,000 lines. Measured on the "+
	"2nd of a month against an account billing 40 lines a day, a `month_to_date` read makes 4 requests with `%[1]s` "+
	"against 1 with `%[2]s`.",
	billing.ForecastMethodCompleteDays, billing.ForecastMethodLinear, billing.ForecastHistoryDays,
	billing.RecurringBaselineDays, billing.RecurringMonths)

// forecastTotalDescription is forecast_total_price's description.
var forecastTotalDescription = fmt.Sprintf("The spend forecast for the range extended to the end of the month of `to`, "+
	"rounded half away from zero to %[1]d decimal places. Where the range is over (or not begun), equal to `total_price`. "+
	"While it includes today, with `forecast_method = \"%[2]s\"` (the default), each service is forecast on its own and "+
	"the forecasts are summed: the service's spend on the range's complete days (days before today and before "+
	"`data_through`), plus, for each remaining day of the month, its expected spend `L × q^k × f(weekday)` (today and "+
	"later days billed already count what they billed when that is more), plus each recurring charge (a charge the "+
	"service billed on the same day of the month, or the month's last day, in at least two months running, at amounts "+
	"within a factor of 2) whose day this month is still to come, at its latest amount; the recurring charges are "+
	"taken out of the days the level is fitted on. Over the last %[3]d complete days (read "+
	"without items, once per plan), the service's days are explained by a steady level, by a lasting level shift (at "+
	"least %[4]d days at the new level, consistently, so that a one-off charge is never taken for one), or by a steady "+
	"compounding growth or decline, whichever fits best once a shift or a trend pays a penalty in the days' own noise. "+
	"`L` is the mean of the days since the shift, or of the range's complete days (the last %[5]d while there are fewer), "+
	"one-off days left out; `q` is the trend's factor a day (1 without one) and `k` the days since the level's last day; "+
	"`f` is a weekday profile from the medians of each weekday, used once there are %[6]d complete days and it stands out "+
	"of the noise, else 1. A service billed every few days, or with heavy-tailed days, is forecast at its rate (the "+
	"mean of its days), and a level that steps at each month's 1st at its latest level. So a team that doubled its spend a few days ago is forecast at its new level, a one-off counts "+
	"once, a partial day is never taken for a cheap one, and the figure changes only when the data or the date do, never "+
	"with the clock's seconds. The exact formula, and a backtest against `%[7]s`, are in the forecasting guide. With "+
	"`forecast_method = \"%[7]s\"`: `total_price / elapsed × span`, `elapsed` the time from the start of `from` to now "+
	"and `span` to the end of that month, both in the provider's `time_zone`. Use it in a `check` block to warn before "+
	"a budget is passed.",
	billing.ForecastDecimals, billing.ForecastMethodCompleteDays, billing.ForecastHistoryDays, billing.ForecastShiftMinDays,
	billing.ForecastBasisDays, billing.ForecastWeekdayMinDays, billing.ForecastMethodLinear)

// forecastLowDescription is forecast_low's description.
var forecastLowDescription = fmt.Sprintf("Lower end of an 80%% prediction interval of the month's spend around "+
	"`forecast_total_price` (the month's total should fall below it one time in ten), never less than what the range "+
	"has billed already. The half-width is 1.2816 × the square root of the services' summed variances: each service's "+
	"day-to-day noise (robust, in proportion to its level) over the remaining days, the level's own error (wider where "+
	"the level rests on the few days since a shift) and a trend's; and, when a service's last two days both stand out on "+
	"the same side (a shift too young to take), widened on that side to the month at their level; see the forecasting "+
	"guide. `forecast_low > budget`: "+
	"the budget will surely be passed. Equal to `forecast_total_price` where the range is over or not begun, with "+
	"`forecast_method = \"%s\"` (no interval), and while no day is complete yet.", billing.ForecastMethodLinear)
