# The share of the budget spent so far, such as 33.33.
output "percent_of_budget" {
  value = provider::fptcloud::percent_of(data.fptcloud_bills.month.total_price, var.monthly_budget)
}
