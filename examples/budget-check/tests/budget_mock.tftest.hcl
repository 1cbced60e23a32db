# The budget checks with a mocked provider: fixed figures, no API. Spend so far
# is 60,000,000 VND and the month's forecast 90,000,000 VND (80% interval
# 85,000,000 to 95,000,000 VND); the month's complete days (to 2024-09-19)
# cost 60,000,000 VND against 55,000,000 VND on the same weekdays three weeks
# earlier (2024-08-11 to 2024-08-29, compare_to = "previous_weeks": +9.09%),
# and no day spiked.
mock_provider "fptcloud" {
  mock_data "fptcloud_bills" {
    defaults = {
      from                 = "2024-09-01"
      to                   = "2024-09-20"
      currency             = "VND"
      total_price          = 60000000
      forecast_total_price = 90000000
      forecast_low         = 85000000
      forecast_high        = 95000000
      item_count           = 1200
      totals_by_service    = { Instance = 45000000, Storage = 15000000 }
      is_final             = false
      data_through         = "2024-09-20"
      summary_markdown     = "### FPT Cloud spend, 2024-09-01..2024-09-20\n\n- **Total:** 60,000,000 VND over 1,200 bill lines\n"
      comparison = {
        from                = "2024-08-11"
        to                  = "2024-08-29"
        total_price         = 55000000
        item_count          = 1100
        current_to          = "2024-09-19"
        current_total_price = 60000000
        change              = 5000000
        change_percent      = 9.09
        change_by_service   = { Instance = 6000000, Storage = -1000000 }
        change_by_vpc       = { "(none)" = 5000000 }
        # No recurring charge on either side: usage is the whole change.
        current_recurring_price = 0
        recurring_price         = 0
        usage_change            = 5000000
        usage_change_percent    = 9.09
      }
      spikes = []
    }
  }
}

run "quiet_under_budget" {
  command = plan

  variables {
    monthly_budget = 200000000 # warns at 160,000,000
  }

  assert {
    condition     = output.percent_of_budget_used == 30
    error_message = "60,000,000 of 200,000,000 should be 30% used, got ${output.percent_of_budget_used}."
  }

  assert {
    condition     = length(output.spikes) == 0 && output.change_vs_last_month.change_percent == 9.09
    error_message = "No spikes and a rise of 9.09%, under the 10% allowed: ${jsonencode(output.change_vs_last_month)}."
  }

  assert {
    condition     = !output.is_final && output.data_through == "2024-09-20"
    error_message = "The month under way should not be final, with data through 2024-09-20."
  }

  assert {
    condition     = strcontains(output.summary_markdown, "60,000,000 VND")
    error_message = "The report should show the total: ${output.summary_markdown}"
  }
}

run "forecast_warns_first" {
  command = plan

  variables {
    monthly_budget = 100000000 # warns at 80,000,000: the forecast is past it, the spend is not
  }

  expect_failures = [check.forecast_within_budget]
}

run "both_warn_over_budget" {
  command = plan

  variables {
    monthly_budget = 50000000 # warns at 40,000,000: both are past it, and the whole interval past the budget
  }

  expect_failures = [check.forecast_within_budget, check.spend_within_budget, check.budget_surely_exceeded, check.budget_possibly_exceeded]
}

run "custom_threshold" {
  command = plan

  variables {
    monthly_budget  = 100000000
    warn_at_percent = 95 # warns at 95,000,000: the forecast of 90,000,000 is under it
  }
}

run "hard_gate_fails_the_plan" {
  command = plan

  variables {
    monthly_budget = 50000000
    enforce_budget = true
  }

  # The failed postcondition stops everything that depends on the data source
  # (the forecast check); the check with its own scoped read still warns.
  expect_failures = [data.fptcloud_bills.month, check.spend_within_budget]
}

run "hard_gate_passes_under_budget" {
  command = plan

  variables {
    monthly_budget = 200000000
    enforce_budget = true
  }
}

run "rejects_a_zero_budget" {
  command = plan

  variables {
    monthly_budget = 0
  }

  expect_failures = [var.monthly_budget]
}

run "warns_on_a_rise_past_the_limit" {
  command = plan

  variables {
    monthly_budget   = 200000000
    max_rise_percent = 5 # +9.09% is past it
  }

  expect_failures = [check.month_over_month_rise]

  assert {
    condition     = output.change_vs_last_month.change_percent == 9.09 && output.change_vs_last_month.from == "2024-08-11"
    error_message = "The output should carry the comparison: ${jsonencode(output.change_vs_last_month)}."
  }
}

run "warns_on_a_rise_from_nothing" {
  command = plan

  variables {
    monthly_budget = 200000000
  }

  # The earlier days cost nothing, so there is no percentage: any spend is a rise.
  override_data {
    target = data.fptcloud_bills.month
    values = {
      from                 = "2024-09-01"
      to                   = "2024-09-20"
      total_price          = 60000000
      forecast_total_price = 90000000
      forecast_low         = 85000000
      forecast_high        = 95000000
      spikes               = []
      comparison = {
        from                    = "2024-08-11"
        to                      = "2024-08-29"
        total_price             = 0
        item_count              = 0
        current_to              = "2024-09-19"
        current_total_price     = 60000000
        change                  = 60000000
        change_percent          = null
        change_by_service       = { Instance = 60000000 }
        change_by_vpc           = {}
        current_recurring_price = 0
        recurring_price         = 0
        usage_change            = 60000000
        usage_change_percent    = null
      }
    }
  }

  expect_failures = [check.month_over_month_rise]
}

# A monthly fee of 180,000,000 VND on the 1st against weeks without one:
# the totals rise by 336%, but usage, the fee left out, by 9.09%: no warning.
run "quiet_on_a_recurring_fee" {
  command = plan

  variables {
    monthly_budget = 500000000
  }

  override_data {
    target = data.fptcloud_bills.month
    values = {
      from                 = "2024-09-01"
      to                   = "2024-09-20"
      total_price          = 240000000
      forecast_total_price = 270000000
      forecast_low         = 265000000
      forecast_high        = 275000000
      spikes               = []
      comparison = {
        from                    = "2024-08-11"
        to                      = "2024-08-29"
        total_price             = 55000000
        item_count              = 1100
        current_to              = "2024-09-19"
        current_total_price     = 240000000
        change                  = 185000000
        change_percent          = 336.36
        change_by_service       = { Storage = 181000000, Instance = 4000000 }
        change_by_vpc           = { "(none)" = 185000000 }
        current_recurring_price = 180000000
        recurring_price         = 0
        usage_change            = 5000000
        usage_change_percent    = 9.09
      }
    }
  }

  assert {
    condition     = output.change_vs_last_month.change_percent > 300 && output.change_vs_last_month.usage_change_percent == 9.09
    error_message = "The fee should move the totals and not usage: ${jsonencode(output.change_vs_last_month)}."
  }
}

run "warns_on_spikes" {
  command = plan

  variables {
    monthly_budget = 200000000
  }

  override_data {
    target = data.fptcloud_bills.month
    values = {
      from                 = "2024-09-01"
      to                   = "2024-09-20"
      total_price          = 60000000
      forecast_total_price = 90000000
      forecast_low         = 85000000
      forecast_high        = 95000000
      comparison = {
        from                    = "2024-08-11"
        to                      = "2024-08-29"
        total_price             = 60000000
        item_count              = 1200
        current_to              = "2024-09-19"
        current_total_price     = 60000000
        change                  = 0
        change_percent          = 0
        change_by_service       = {}
        change_by_vpc           = {}
        current_recurring_price = 0
        recurring_price         = 0
        usage_change            = 0
        usage_change_percent    = 0
      }
      spikes = [
        { day = "2024-09-03", service = "Instance", amount = 30000000, baseline = 1000000, ratio = 30 },
        { day = "2024-09-05", service = "Database", amount = 8000000, baseline = 0, ratio = null },
      ]
    }
  }

  expect_failures = [check.no_spend_spikes]

  assert {
    condition     = length(output.spikes) == 2 && output.spikes[0].service == "Instance"
    error_message = "The output should list both spikes: ${jsonencode(output.spikes)}."
  }
}

run "rejects_a_negative_spike_minimum" {
  command = plan

  variables {
    monthly_budget   = 200000000
    spike_min_amount = -1
  }

  expect_failures = [var.spike_min_amount]
}
