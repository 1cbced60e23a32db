# One team's budget check, from the team's own read of the month.
variable "team" {
  description = "The team's name, as its tag or VPC."
  type        = string
}

variable "budget" {
  description = "The team's monthly budget in VND."
  type        = number

  validation {
    condition     = var.budget > 0
    error_message = "budget must be a positive amount in VND."
  }
}

variable "spent" {
  description = "The team's spend so far this month in VND: its read's total_price."
  type        = number
}

variable "forecast" {
  description = "The team's forecast for the month in VND: its read's forecast_total_price."
  type        = number
}

variable "forecast_high" {
  description = "The high end of the forecast's 80% interval in VND: its read's forecast_high."
  type        = number
}

check "team_within_budget" {
  assert {
    condition     = var.forecast <= var.budget
    error_message = "Team ${var.team} is heading for ${floor(var.forecast)} VND this month (up to ${floor(var.forecast_high)} VND, 80% interval), over its budget of ${var.budget} VND (spent so far: ${floor(var.spent)} VND)."
  }
}

output "percent_of_budget" {
  description = "The forecast as a percentage of the budget, rounded down to a whole percent."
  value       = floor(var.forecast * 100 / var.budget)
}
