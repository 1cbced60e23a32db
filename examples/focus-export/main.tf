terraform {
  required_version = ">= 1.8"

  required_providers {
    fptcloud = {
      source = "fptcloud-billing/fptcloud"
    }
  }
}

# The token and the API address come from FPTCLOUD_TOKEN and, for a local
# emulator, FPTCLOUD_API_URL. BillingAccountId is each line's tenant_name;
# set tenant_name here for lines that come without one.
provider "fptcloud" {}

# Last month's bill lines as FOCUS 1.2 rows, read during plan. The state
# keeps the CSV and not the list of items.
data "fptcloud_bills" "month" {
  range             = "last_month"
  include_items     = false
  include_focus_csv = true
  max_items         = 200000 # a guard against a runaway month, not a cap on a normal one
}

output "focus_rows" {
  description = "How many FOCUS rows the CSV holds: one per bill line."
  value       = data.fptcloud_bills.month.item_count
}

output "focus_period" {
  description = "The days the rows cover."
  value       = "${data.fptcloud_bills.month.from} to ${data.fptcloud_bills.month.to}"
}
