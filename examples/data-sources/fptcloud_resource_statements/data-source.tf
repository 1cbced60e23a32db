# Unpaid virtual machine charges of the last 30 days, largest first.
# plantimestamp() is known during plan, so the statements are read during plan;
# literal days such as "2024-09-01" (midnight in the provider's time_zone) work too.
data "fptcloud_resource_statements" "unpaid_vms" {
  resource_type = "vm"
  status        = "unpaid"
  started_after = timeadd(plantimestamp(), "-720h")

  sort_field = "amount"
  sort_order = "desc"
}

output "unpaid_vm_total" {
  value = data.fptcloud_resource_statements.unpaid_vms.total_amount
}

output "largest_unpaid_vm_charges" {
  value = [
    for s in slice(
      data.fptcloud_resource_statements.unpaid_vms.statements, 0,
      min(5, data.fptcloud_resource_statements.unpaid_vms.item_count)
    ) : "${s.resource_id} ${s.type} ${s.amount} (${s.started_time})"
  ]
}

# Any filter the API knows, with totals per status, resource type and type.
data "fptcloud_resource_statements" "large_charges" {
  filters = [
    { key = "amount", op = "gte", value = "100" },
    { key = "type", op = "ne", value = "upgrade_fee" },
  ]
  page_size = 500
  max_items = 20000
}

output "large_charges_by_status" {
  value = data.fptcloud_resource_statements.large_charges.totals_by_status
}

# Warn during plan when unpaid charges pass a threshold.
check "unpaid_statements" {
  assert {
    condition     = data.fptcloud_resource_statements.unpaid_vms.total_amount < 1000
    error_message = "Unpaid VM charges of the last 30 days are ${data.fptcloud_resource_statements.unpaid_vms.total_amount}, over 1000."
  }
}
