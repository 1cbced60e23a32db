# Labels for the report: the account's billing groups and the services it is billed for.
data "fptcloud_bill_info" "account" {}

data "fptcloud_bill_service_types" "all" {}

output "billing_groups" {
  description = "The account's billing groups."
  value       = data.fptcloud_bill_info.account.group_names
}

output "billed_services" {
  description = "The services FPT Cloud bills for."
  value       = data.fptcloud_bill_service_types.all.names
}
