# One budget per team, where each team's resources carry its tag. Each team's
# spend and forecast come from its own read (tags = [team]): a team's forecast
# follows that team's days alone, so another team's one-off charge neither
# hides nor inflates it. Reads of one range share their pages, so the teams'
# reads together cost the API requests of one read.
variable "team_budgets" {
  description = "Monthly budget in VND per team tag."
  type        = map(number)
  default = {
    "env:prod"    = 3000000
    "env:staging" = 2000000
    "dự-án:alpha" = 250000000
  }

  validation {
    condition     = alltrue([for budget in values(var.team_budgets) : budget > 0])
    error_message = "Every team budget must be a positive amount in VND."
  }
}

data "fptcloud_bills" "team" {
  for_each = var.team_budgets

  range         = "month_to_date"
  tags          = [each.key]
  include_items = false
}

# A check block cannot use for_each, a module can: each team over its budget
# gets its own warning in `terraform plan`.
module "team_budget" {
  source   = "./modules/team-budget"
  for_each = var.team_budgets

  team          = each.key
  budget        = each.value
  spent         = data.fptcloud_bills.team[each.key].total_price
  forecast      = data.fptcloud_bills.team[each.key].forecast_total_price
  forecast_high = data.fptcloud_bills.team[each.key].forecast_high
}

output "spend_by_team" {
  description = "Per team tag: spend so far this month, the month's forecast and the budget, in VND."
  value = {
    for team, budget in var.team_budgets : team => {
      spent    = data.fptcloud_bills.team[team].total_price
      forecast = data.fptcloud_bills.team[team].forecast_total_price
      budget   = budget
    }
  }
}
