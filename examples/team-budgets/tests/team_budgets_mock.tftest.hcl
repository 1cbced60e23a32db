# The whole configuration with a mocked provider: each team's module gets the
# figures of that team's own read, whatever another team's one-off charge does
# to the account's total. A check that fails inside a module fails the run and
# cannot be expected from here, so the budgets below leave every team under
# its own; team_budget_module.tftest.hcl tests the warning in the module, and
# the provider's acceptance tests plan this configuration against the
# emulator, where exactly one team warns.
mock_provider "fptcloud" {
  mock_data "fptcloud_bills" {
    defaults = {
      from                 = "2026-12-01"
      to                   = "2026-12-02"
      currency             = "VND"
      total_price          = 100000
      forecast_total_price = 1000000
      forecast_low         = 900000
      forecast_high        = 1100000
      item_count           = 10
    }
  }
}

override_data {
  target = data.fptcloud_bills.team["env:staging"]
  values = {
    from                 = "2026-12-01"
    to                   = "2026-12-02"
    currency             = "VND"
    total_price          = 293600.7872
    forecast_total_price = 3749085.93
    forecast_low         = 3343660.58
    forecast_high        = 4696106.96
  }
}

# The one-off: a fee of 180,000,000 VND on the 1st, the account's ratio of
# forecast to spend now close to 1, but this team's own forecast is its own.
override_data {
  target = data.fptcloud_bills.team["dự-án:alpha"]
  values = {
    from                 = "2026-12-01"
    to                   = "2026-12-02"
    currency             = "VND"
    total_price          = 180349961.8
    forecast_total_price = 184349147.1
    forecast_low         = 183295093.6
    forecast_high        = 186361218.7
  }
}

run "each_team_judged_by_its_own_read" {
  command = plan

  variables {
    team_budgets = {
      "env:prod"    = 3000000
      "env:staging" = 4000000
      "dự-án:alpha" = 250000000
    }
  }

  assert {
    condition     = output.spend_by_team["env:staging"].forecast == 3749085.93 && output.spend_by_team["dự-án:alpha"].forecast == 184349147.1 && output.spend_by_team["env:prod"].forecast == 1000000
    error_message = "Each team's forecast should be its own read's: ${jsonencode(output.spend_by_team)}."
  }

  assert {
    condition     = module.team_budget["env:staging"].percent_of_budget == 93 && module.team_budget["env:prod"].percent_of_budget == 33 && module.team_budget["dự-án:alpha"].percent_of_budget == 73
    error_message = "Each team's forecast against its own budget: env:staging at 93%, env:prod at 33%, dự-án:alpha at 73%."
  }
}
