# This month so far, resolved during plan in the provider's time zone: the
# total, the total per service and a forecast to the end of the month.
data "fptcloud_bills" "month" {
  range         = "month_to_date"
  include_items = false
}

output "month_total_vnd" {
  value = data.fptcloud_bills.month.total_price
}

output "month_by_service_vnd" {
  value = data.fptcloud_bills.month.totals_by_service
}

output "month_per_day_vnd" {
  value = { for p in data.fptcloud_bills.month.periods : substr(p.start, 0, 10) => p.total_price }
}

# The price of one named resource so far this month.
output "web_01_month_vnd" {
  value = lookup(data.fptcloud_bills.month.totals_by_name, "web-01", 0)
}

# Whether the figures can still change: false while the range includes today.
output "month_is_final" {
  value = data.fptcloud_bills.month.is_final
}

# A Markdown cost report, ready to post on a pull request.
output "month_report" {
  value = data.fptcloud_bills.month.summary_markdown
}

variable "monthly_budget_vnd" {
  type    = number
  default = 50000000
}

# Warns in `terraform plan` when the month is on course to pass the budget.
check "monthly_budget" {
  assert {
    condition     = data.fptcloud_bills.month.forecast_total_price <= var.monthly_budget_vnd
    error_message = "This month is forecast to cost ${data.fptcloud_bills.month.forecast_total_price} VND, over the budget of ${var.monthly_budget_vnd} VND."
  }
}

# This month against the same days of last month, and the days on which a
# service cost over 3x the median of its 7 days before (and over 1,000,000 VND).
data "fptcloud_bills" "month_vs_last" {
  range         = "month_to_date"
  include_items = false
  compare_to    = "previous_month"

  spike_detection = {
    baseline_days = 7
    factor        = 3
    min_amount    = 1000000
  }
}

output "change_vs_last_month_percent" {
  value = data.fptcloud_bills.month_vs_last.comparison.change_percent # null when last month cost nothing
}

output "change_by_service_vnd" {
  value = data.fptcloud_bills.month_vs_last.comparison.change_by_service
}

output "spikes" {
  value = [for s in data.fptcloud_bills.month_vs_last.spikes : "${s.day} ${s.service}: ${s.amount} VND, ${coalesce(s.ratio, "new")}x its median"]
}

# A fixed range with filters, by week, keeping every line.
data "fptcloud_bills" "prod_instances" {
  from      = "2024-09-01"
  to        = "2024-09-30"
  services  = ["Instance"]
  vpc_names = ["prod-vpc"]
  period    = "week"
}

output "prod_instance_lines" {
  value = [for item in data.fptcloud_bills.prod_instances.items : "${item.day} ${item.name}: ${item.total_price} VND"]
}

# Lines without a VPC or a tag are grouped, and selected, as "(none)".
data "fptcloud_bills" "untagged_last_month" {
  range         = "last_month"
  tags          = ["(none)"]
  include_items = false
}

output "untagged_last_month_vnd" {
  value = data.fptcloud_bills.untagged_last_month.total_price
}
