# The share of the budget spent so far, such as 33.33. A budget of 0 or below is an
# error, so a variable left at a placeholder such as -1 cannot make a check pass.
output "percent_of_budget" {
  value = provider::fptcloud::percent_of(data.fptcloud_bills.month.total_price, var.monthly_budget)
}
