# "12,345,679 VND": rounded to the currency's minor unit, thousands grouped.
output "month_total" {
  value = provider::fptcloud::format_money(data.fptcloud_bills.month.total_price, data.fptcloud_bills.month.currency)
}

# "1,234.50 USD". The code must be ISO 4217 in capitals: "XYZ" and "usd" are errors.
output "in_dollars" {
  value = provider::fptcloud::format_money(1234.5, "USD")
}
