# The budget checks against the real provider. `make test` points it at the
# emulator (FPTCLOUD_API_URL, FPTCLOUD_TOKEN), whose month always has spend.
run "no_warning_with_a_large_budget" {
  command = plan

  variables {
    monthly_budget   = 1000000000000000
    max_rise_percent = 1000000000 # the emulator's months differ: no rise warning here
    spike_min_amount = 1000000000000000
  }

  assert {
    condition     = output.month_to_date_total > 0 && output.forecast_total >= output.month_to_date_total
    error_message = "The emulator's month should have spend, and the forecast should be at least the spend so far."
  }

  assert {
    condition     = length(output.totals_by_service) > 0
    error_message = "The month should have spend per service."
  }

  assert {
    condition     = !output.is_final && output.data_through != null
    error_message = "The month to date includes today, so it cannot be final, and the emulator bills every day."
  }

  assert {
    condition     = strcontains(output.summary_markdown, "- **Total:** ${provider::fptcloud::format_money(output.month_to_date_total, "VND")} over ")
    error_message = "The report should show the month's total: ${output.summary_markdown}"
  }
}

run "warns_over_a_small_budget" {
  command = plan

  variables {
    monthly_budget   = 1
    max_rise_percent = 1000000000
    spike_min_amount = 1000000000000000
  }

  expect_failures = [check.forecast_within_budget, check.spend_within_budget, check.budget_surely_exceeded, check.budget_possibly_exceeded]
}

# Whether the rise check warns depends on the day (on the 1st no day is
# complete and nothing is compared): TestAccCLIBudgetExample_calendar proves it
# with pinned clocks. Here, with the emulator's real clock, the figures.
run "compares_complete_days" {
  command = plan

  variables {
    monthly_budget   = 1000000000000000
    max_rise_percent = 1000000000
    spike_min_amount = 1000000000000000
  }

  assert {
    # Terraform subtracts in binary floating point: compare to a thousandth of a VND.
    condition     = abs(output.change_vs_last_month.change - (output.change_vs_last_month.current_total_price - output.change_vs_last_month.total_price)) < 0.001 && output.change_vs_last_month.current_total_price <= output.month_to_date_total
    error_message = "The change should be the complete days' total less the earlier days', and those days at most the month so far: ${jsonencode(output.change_vs_last_month)}."
  }

  assert {
    # previous_weeks: the earlier days start on the weekday of the 1st, a whole number of weeks before it.
    condition = (
      formatdate("EEE", "${output.change_vs_last_month.from}T00:00:00Z") == formatdate("EEE", "${split(" ", output.period)[0]}T00:00:00Z") &&
      timecmp("${output.change_vs_last_month.from}T00:00:00Z", "${split(" ", output.period)[0]}T00:00:00Z") < 0 &&
      length(output.spikes) == 0
    )
    error_message = "The earlier days should start on the same weekday as the month, before it (${output.period}: ${jsonencode(output.change_vs_last_month)}), and no day passes a minimum of 10^15 VND."
  }

  assert {
    condition     = strcontains(output.summary_markdown, "- **Change:** ") && strcontains(output.summary_markdown, "#### Spikes")
    error_message = "The report should show the change and the spikes: ${output.summary_markdown}"
  }
}
