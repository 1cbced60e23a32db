# The whole configuration with a mocked provider: one read per team, filtered
# by the team's tag, and each team's module judging that read against the
# team's own budget. Every read gets the same mocked figures (OpenTofu's
# override_data cannot target one instance of a for_each), so the budgets
# tell the teams apart. A check that fails inside a module fails the run and
# cannot be expected from here, so every team stays under its budget;
# team_budget_module.tftest.hcl tests the warning in the module itself, and
# the provider's acceptance tests plan this configuration against the
# emulator, where exactly one team warns.
mock_provider "fptcloud" {
  mock_data "fptcloud_bills" {
    defaults = {
      from                 = "2026-12-01"
      to                   = "2026-12-02"
      currency             = "VND"
      total_price          = 100000
      forecast_total_price = 1500000
      forecast_low         = 1200000
      forecast_high        = 1800000
      item_count           = 10
    }
  }
}

run "each_team_judged_by_its_own_read" {
  command = plan

  variables {
    team_budgets = {
      "env:prod"    = 3000000
      "env:staging" = 2000000
      "dự-án:alpha" = 250000000
    }
  }

  assert {
    condition     = alltrue([for team, read in data.fptcloud_bills.team : read.tags == tolist([team])])
    error_message = "Each team's read should be filtered by the team's tag alone."
  }

  assert {
    condition     = output.spend_by_team["env:staging"].forecast == 1500000 && output.spend_by_team["env:staging"].budget == 2000000
    error_message = "The report should carry each team's forecast and budget: ${jsonencode(output.spend_by_team)}."
  }

  assert {
    condition     = module.team_budget["env:prod"].percent_of_budget == 50 && module.team_budget["env:staging"].percent_of_budget == 75 && module.team_budget["dự-án:alpha"].percent_of_budget == 0
    error_message = "Each team's forecast of 1,500,000 VND against its own budget: env:prod at 50%, env:staging at 75%, dự-án:alpha at 0%."
  }
}
