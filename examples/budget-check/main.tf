# This month's spend, read during plan: `range` is resolved by the provider in
# its time zone, so no timestamp() is needed and the checks run at plan time.
data "fptcloud_bills" "month" {
  range         = "month_to_date"
  include_items = false # totals only: small state, flat memory

  # Against the same weekdays a whole number of weeks earlier, read in the same
  # plan: "previous_month" would set a Tuesday against a Sunday early in the month.
  compare_to = "previous_weeks"
  # A service's day over 3x the median of its 7 days before, and over the minimum.
  spike_detection = {
    min_amount = var.spike_min_amount
  }
  # summary_markdown leads with the spend, the forecast and the budget line.
  report = {
    budget = var.monthly_budget
  }

  lifecycle {
    # The hard gate: with enforce_budget = true, a month over budget fails the plan.
    postcondition {
      condition     = !var.enforce_budget || self.total_price <= var.monthly_budget
      error_message = "Spend this month (${self.total_price} ${self.currency}, ${self.from} to ${self.to}) is over the budget of ${var.monthly_budget} ${self.currency}. Reduce usage or raise monthly_budget; set enforce_budget = false to only warn."
    }
  }
}

locals {
  warn_at       = var.monthly_budget * var.warn_at_percent / 100
  total         = data.fptcloud_bills.month.total_price
  forecast      = data.fptcloud_bills.month.forecast_total_price
  forecast_low  = data.fptcloud_bills.month.forecast_low
  forecast_high = data.fptcloud_bills.month.forecast_high
  percent_used  = floor(local.total * 10000 / var.monthly_budget) / 100
}

# The soft gates: a failed check is a warning in `terraform plan`, so CI shows
# it on the merge request without blocking it.
check "forecast_within_budget" {
  assert {
    condition     = local.forecast <= local.warn_at
    error_message = "At this pace the month will cost ${local.forecast} VND, past ${var.warn_at_percent}% of the ${var.monthly_budget} VND budget (spent so far: ${local.total} VND, ${local.percent_used}%)."
  }
}

# The forecast's 80% interval against the budget itself: *surely over* when
# even its low end passes the budget, *possibly over* when its high end does.
check "budget_surely_exceeded" {
  assert {
    condition     = local.forecast_low <= var.monthly_budget
    error_message = "The month will cost at least ${local.forecast_low} VND (80% interval), over the ${var.monthly_budget} VND budget."
  }
}

check "budget_possibly_exceeded" {
  assert {
    condition     = local.forecast_high <= var.monthly_budget
    error_message = "The month may cost up to ${local.forecast_high} VND (80% interval), over the ${var.monthly_budget} VND budget."
  }
}

check "spend_within_budget" {
  # A data source scoped to the check: if the billing API is down, this check
  # warns instead of failing the plan. The provider serves the identical read
  # above from its cache, so this costs no extra API call.
  data "fptcloud_bills" "month_so_far" {
    range         = "month_to_date"
    include_items = false
    period        = "month" # Terraform prints check-scoped reads in the plan: keep it short
  }

  assert {
    condition     = data.fptcloud_bills.month_so_far.total_price <= local.warn_at
    error_message = "Spend so far this month is ${data.fptcloud_bills.month_so_far.total_price} VND, past ${var.warn_at_percent}% of the ${var.monthly_budget} VND budget."
  }
}

locals {
  comparison = data.fptcloud_bills.month.comparison
  spikes     = data.fptcloud_bills.month.spikes
}

# Did usage rise? The month's complete days (today's partial day left out)
# against the same weekdays a whole number of weeks earlier (on the 2nd, the
# 1st against the same weekday a week before); on the 1st no day is complete
# and nothing is compared. Recurring charges (a fee billed on the same day
# every month) are left out of both sides: the weeks before have no twin of
# the 1st's fee. A rise must pass both the percentage and the amount;
# usage_change_percent is null when the earlier days cost nothing.
check "month_over_month_rise" {
  assert {
    condition     = local.comparison.usage_change <= var.min_rise_amount || (local.comparison.usage_change_percent != null ? local.comparison.usage_change_percent <= var.max_rise_percent : false)
    error_message = "Usage is up ${coalesce(local.comparison.usage_change_percent, "∞")}% (${local.comparison.usage_change} VND) on the same weekdays before, recurring charges left out (${local.comparison.current_recurring_price} VND against ${local.comparison.recurring_price} VND): ${local.comparison.current_total_price} VND to ${local.comparison.current_to} against ${local.comparison.total_price} VND from ${local.comparison.from} to ${local.comparison.to}, more than the ${var.max_rise_percent}% allowed. The largest rises by service: ${jsonencode({ for k, v in local.comparison.change_by_service : k => v if v > 0 })}."
  }
}

# Did any service jump on one day? Each spike is a service's spend on a day
# over 3x the median of its 7 days before; a recurring charge on its day is
# judged against the usual day plus the charge, so a monthly fee is no spike
# unless it is more than twice its size of the month before.
check "no_spend_spikes" {
  assert {
    condition     = length(local.spikes) == 0
    error_message = "${length(local.spikes)} spend spike(s) this month: ${join("; ", [for s in local.spikes : "${s.service} on ${s.day}: ${s.amount} VND, ${s.ratio != null ? "${s.ratio}x" : "new, against nothing in"} the median of ${s.baseline} VND"])}."
  }
}
