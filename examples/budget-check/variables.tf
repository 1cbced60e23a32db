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

variable "max_rise_percent" {
  description = "Warn when this month's complete days cost more than this percentage above the same weekdays a whole number of weeks earlier."
  type        = number
  default     = 10
}

variable "min_rise_amount" {
  description = "The least rise, in VND, that month_over_month_rise warns about, so that a rise of a few hundred thousand VND on a quiet day is not news however large in percent."
  type        = number
  default     = 1000000

  validation {
    condition     = var.min_rise_amount >= 0
    error_message = "min_rise_amount must be an amount of 0 VND or more."
  }
}

variable "spike_min_amount" {
  description = "The least spend, in VND, a service's day must pass to count as a spike, so that small services' noise is not news."
  type        = number
  default     = 5000000

  validation {
    condition     = var.spike_min_amount >= 0
    error_message = "spike_min_amount must be an amount of 0 VND or more."
  }
}
