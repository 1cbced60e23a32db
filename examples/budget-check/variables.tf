variable "monthly_budget" {
  description = "The month's budget, in VND."
  type        = number

  validation {
    condition     = var.monthly_budget > 0
    error_message = "monthly_budget must be a positive amount in VND, such as 50000000."
  }
}

variable "warn_at_percent" {
  description = "Warn when the month's forecast or spend passes this share of the budget, in percent."
  type        = number
  default     = 80

  validation {
    condition     = var.warn_at_percent > 0 && var.warn_at_percent <= 100
    error_message = "warn_at_percent must be greater than 0 and at most 100."
  }
}

variable "enforce_budget" {
  description = "When true, the plan fails (a hard gate) if the month's spend so far is over the budget. When false, the checks only warn."
  type        = bool
  default     = false
}
