variable "team" {
  description = "The team's VPC name."
  type        = string
}

variable "budget" {
  description = "The team's monthly budget in VND."
  type        = number
}

variable "spent" {
  description = "The team's spend so far this month in VND."
  type        = number
}

variable "forecast_factor" {
  description = "Month forecast divided by spend so far, for the whole account."
  type        = number
}

check "team_within_budget" {
  assert {
    condition     = var.spent * var.forecast_factor <= var.budget
    error_message = "Team ${var.team}: at this pace the month will cost ${floor(var.spent * var.forecast_factor)} VND, over its budget of ${var.budget} VND (spent so far: ${var.spent} VND)."
  }
}
