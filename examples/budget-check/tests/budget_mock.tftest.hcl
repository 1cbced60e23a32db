# The budget checks with a mocked provider: fixed figures, no API. Spend so far
# is 60,000,000 VND and the month's forecast 90,000,000 VND.
mock_provider "fptcloud" {
  mock_data "fptcloud_bills" {
    defaults = {
      from                 = "2024-09-01"
      to                   = "2024-09-20"
      currency             = "VND"
      total_price          = 60000000
      forecast_total_price = 90000000
      item_count           = 1200
      totals_by_service    = { Instance = 45000000, Storage = 15000000 }
      is_final             = false
      data_through         = "2024-09-20"
      summary_markdown     = "### FPT Cloud spend, 2024-09-01..2024-09-20\n\n- **Total:** 60,000,000 VND over 1,200 bill lines\n"
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
    monthly_budget = 50000000 # warns at 40,000,000: both are past it
  }

  expect_failures = [check.forecast_within_budget, check.spend_within_budget]
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
