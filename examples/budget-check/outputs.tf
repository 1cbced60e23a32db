output "period" {
  description = "The days the figures cover."
  value       = "${data.fptcloud_bills.month.from} to ${data.fptcloud_bills.month.to}"
}

output "month_to_date_total" {
  description = "Spend so far this month, in VND."
  value       = local.total
}

output "forecast_total" {
  description = "Spend expected by the end of the month at the current daily pace, in VND."
  value       = local.forecast
}

output "forecast_low" {
  description = "The low end of the forecast's 80% interval for the month, in VND."
  value       = local.forecast_low
}

output "forecast_high" {
  description = "The high end of the forecast's 80% interval for the month, in VND."
  value       = local.forecast_high
}

output "percent_of_budget_used" {
  description = "Spend so far as a percentage of the monthly budget."
  value       = local.percent_used
}

output "totals_by_service" {
  description = "Spend so far this month per service, in VND."
  value       = data.fptcloud_bills.month.totals_by_service
}

output "is_final" {
  description = "Whether the figures are settled. False while the month is under way: today's spend is still being billed."
  value       = data.fptcloud_bills.month.is_final
}

output "data_through" {
  description = "The latest day the billing data has lines for (null when there are none yet)."
  value       = data.fptcloud_bills.month.data_through
}

output "summary_markdown" {
  description = "A Markdown cost report of the month so far, for a pull or merge request comment. After `terraform plan -out=tfplan` (no apply): `terraform show -json tfplan | jq -r '.planned_values.outputs.summary_markdown.value'`."
  value       = data.fptcloud_bills.month.summary_markdown
}

output "change_vs_last_month" {
  description = "The month's complete days against the same weekdays a whole number of weeks earlier: the days, both totals, the change in VND and percent, the recurring charges of each side and the change of usage without them."
  value = {
    from                    = local.comparison.from
    to                      = local.comparison.to
    total_price             = local.comparison.total_price
    current_to              = local.comparison.current_to
    current_total_price     = local.comparison.current_total_price
    change                  = local.comparison.change
    change_percent          = local.comparison.change_percent
    current_recurring_price = local.comparison.current_recurring_price
    recurring_price         = local.comparison.recurring_price
    usage_change            = local.comparison.usage_change
    usage_change_percent    = local.comparison.usage_change_percent
  }
}

output "spikes" {
  description = "Days on which a service cost over 3x the median of its 7 days before (and over spike_min_amount)."
  value       = local.spikes
}
