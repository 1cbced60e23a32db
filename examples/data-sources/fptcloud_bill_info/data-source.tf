# The tenant's billing groups and the billing configurations in each.
data "fptcloud_bill_info" "this" {}

output "billing_group_names" {
  value = data.fptcloud_bill_info.this.group_names
}

output "billing_configs_by_group" {
  value = {
    for group in data.fptcloud_bill_info.this.billing_groups : group.name => group.config_names
  }
}
