# The services FPT Cloud bills for: the keys of fptcloud_bills' totals_by_service.
data "fptcloud_bill_service_types" "all" {}

output "service_names" {
  value = data.fptcloud_bill_service_types.all.names
}

output "service_codes" {
  value = { for st in data.fptcloud_bill_service_types.all.service_types : st.code => st.name }
}
