# The team-budget module's check, tested in the module itself: `expect_failures`
# cannot name a check inside a module called from the root
# (module.team_budget["env:staging"].check.team_within_budget is refused), so
# each run below makes the module its root with a `module` block, and the
# check is `check.team_within_budget`. The module reads nothing: its inputs
# are the figures of a team's own fptcloud_bills read.

run "warns_when_the_forecast_passes_the_budget" {
  command = plan

  module {
    source = "./modules/team-budget"
  }

  variables {
    team          = "env:staging"
    budget        = 2000000
    spent         = 293600.7872
    forecast      = 3749085.93
    forecast_high = 4696106.96
  }

  expect_failures = [check.team_within_budget]

  assert {
    condition     = output.percent_of_budget == 187
    error_message = "3,749,085.93 VND of a 2,000,000 VND budget is 187% (rounded down), got ${output.percent_of_budget}."
  }
}

run "quiet_under_the_budget" {
  command = plan

  module {
    source = "./modules/team-budget"
  }

  # Spent is small and the forecast under the budget: no warning. The high end
  # of the interval may pass the budget without one; the check judges the forecast.
  variables {
    team          = "env:prod"
    budget        = 3000000
    spent         = 82165.5917
    forecast      = 1349087.62
    forecast_high = 3100000
  }

  assert {
    condition     = output.percent_of_budget == 44
    error_message = "1,349,087.62 VND of a 3,000,000 VND budget is 44% (rounded down), got ${output.percent_of_budget}."
  }
}

run "quiet_at_exactly_the_budget" {
  command = plan

  module {
    source = "./modules/team-budget"
  }

  variables {
    team          = "env:prod"
    budget        = 3000000
    spent         = 1500000
    forecast      = 3000000
    forecast_high = 3200000
  }
}

run "rejects_a_zero_budget" {
  command = plan

  module {
    source = "./modules/team-budget"
  }

  variables {
    team          = "env:prod"
    budget        = 0
    spent         = 0
    forecast      = 0
    forecast_high = 0
  }

  expect_failures = [var.budget]
}
