# The budget checks against the real provider. `make test` points it at the
# emulator (FPTCLOUD_API_URL, FPTCLOUD_TOKEN), whose month always has spend.
run "no_warning_with_a_large_budget" {
  command = plan

  variables {
    monthly_budget = 1000000000000000
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
    monthly_budget = 1
  }

  expect_failures = [check.forecast_within_budget, check.spend_within_budget]
}
