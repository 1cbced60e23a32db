# The five resources that cost the most last month, largest first, compared as exact decimals;
# tostring keeps every digit of each amount.
output "top_resources" {
  value = [
    for e in provider::fptcloud::top_totals(data.fptcloud_bills.last_month.totals_by_name, 5) :
    "${e.key}: ${tostring(e.amount)} VND"
  ]
}
