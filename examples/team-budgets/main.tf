# One budget per team, where each team owns a VPC. The bills are read once;
# each team's check runs in its own module instance, so every team over its
# budget gets its own warning in `terraform plan`.
variable "team_budgets" {
  description = "Monthly budget in VND per VPC name."
  type        = map(number)
  default = {
    "prod-vpc"    = 60000000
    "staging-vpc" = 15000000
  }

  validation {
    condition     = alltrue([for budget in values(var.team_budgets) : budget > 0])
    error_message = "Every team budget must be a positive amount in VND."
  }
}

data "fptcloud_bills" "month" {
  range         = "month_to_date"
  include_items = false
}

module "team_budget" {
  source   = "./modules/team-budget"
  for_each = var.team_budgets

  team   = each.key
  budget = each.value
  spent  = lookup(data.fptcloud_bills.month.totals_by_vpc, each.key, 0)
  forecast_factor = (
    data.fptcloud_bills.month.total_price == 0 ? 1 :
    data.fptcloud_bills.month.forecast_total_price / data.fptcloud_bills.month.total_price
  )
}

output "spend_by_team" {
  description = "Spend so far this month per team VPC, in VND, with each team's budget."
  value = {
    for team, budget in var.team_budgets : team => {
      spent  = lookup(data.fptcloud_bills.month.totals_by_vpc, team, 0)
      budget = budget
    }
  }
}
