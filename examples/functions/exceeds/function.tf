# Compared in decimal: exceeds(0.1 + 0.2, 0.3) is false. A limit below 0 is an error.
check "budget" {
  assert {
    condition     = !provider::fptcloud::exceeds(data.fptcloud_bills.month.forecast_total_price, var.monthly_budget)
    error_message = "The forecast ${provider::fptcloud::format_money(data.fptcloud_bills.month.forecast_total_price, "VND")} passes the budget."
  }
}
