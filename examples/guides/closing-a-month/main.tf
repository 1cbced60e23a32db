# Closing a month: the whole previous month's totals by service, VPC, tag and resource, the top
# resources and a service × VPC pivot, as tables of exact decimal text for a CSV file.
terraform {
  required_providers {
    fptcloud = { source = "fptcloud-billing/fptcloud" }
  }
}

# Settings come from the environment: FPTCLOUD_TOKEN, and FPTCLOUD_API_URL for another address.
provider "fptcloud" {}

variable "top_n" {
  description = "How many resources the top list keeps."
  type        = number
  default     = 10
}

# The month to close: the whole month before today, in the provider's time zone.
data "fptcloud_bills" "month" {
  range         = "last_month"
  include_items = false
}

# A month is closed once every day of it is closed (see is_final): until then lines may still
# arrive, and the plan warns.
check "month_closed" {
  assert {
    condition     = data.fptcloud_bills.month.is_final
    error_message = "${data.fptcloud_bills.month.from}..${data.fptcloud_bills.month.to} is not closed yet: its last day may still get lines. Export it again once is_final is true."
  }
}

# One read per VPC of the month (lines without a VPC under "(none)"): each VPC's totals by
# service, summed exactly by the provider, are one column of the pivot.
data "fptcloud_bills" "vpc" {
  for_each      = data.fptcloud_bills.month.totals_by_vpc
  from          = data.fptcloud_bills.month.from
  to            = data.fptcloud_bills.month.to
  vpc_names     = [each.key]
  include_items = false
}

locals {
  month = data.fptcloud_bills.month
  # Every amount leaves Terraform as text: tostring writes a number's exact decimal digits, so no
  # tool on the way (jq 1.6 reads JSON numbers as 64-bit floats) can round it.
  totals = {
    service  = local.month.totals_by_service
    vpc      = local.month.totals_by_vpc
    tag      = local.month.totals_by_tag
    resource = local.month.totals_by_name
  }
  # Largest first, compared as exact decimals (Terraform's sort compares text).
  sorted = { for k, m in local.totals : k => provider::fptcloud::top_totals(m, length(m)) }
  vpcs   = [for e in local.sorted.vpc : e.key]
  # Share of the month in percent, rounded half away from zero to 2 decimals; empty for a month
  # that cost nothing, where a share means nothing.
  total = local.month.total_price
  share = { for k, m in local.totals : k => {
    for key, amount in m : key => local.total > 0 ? tostring(provider::fptcloud::percent_of(amount, local.total > 0 ? local.total : 1)) : ""
  } }
}

# Each table is a list of rows, each row a list of strings, the first row the header.
output "month_tables" {
  value = merge(
    {
      for k, rows in local.sorted : "by_${k}" => concat(
        [[k, "amount_vnd", "share_percent"]],
        [for e in rows : [e.key, tostring(e.amount), local.share[k][e.key]]],
      )
    },
    {
      top_resources = concat(
        [["rank", "resource", "amount_vnd", "share_percent"]],
        [for i, e in provider::fptcloud::top_totals(local.month.totals_by_name, var.top_n) :
        [tostring(i + 1), e.key, tostring(e.amount), local.share.resource[e.key]]],
      )
      service_by_vpc = concat(
        [concat(["service"], local.vpcs, ["total"])],
        [for e in local.sorted.service : concat(
          [e.key],
          [for v in local.vpcs : tostring(lookup(data.fptcloud_bills.vpc[v].totals_by_service, e.key, 0))],
          [tostring(e.amount)],
        )],
        [concat(["total"], [for e in local.sorted.vpc : tostring(e.amount)], [tostring(local.month.total_price)])],
      )
    },
  )
}

output "month" {
  value = {
    from        = local.month.from
    to          = local.month.to
    is_final    = tostring(local.month.is_final)
    total_price = tostring(local.month.total_price)
    item_count  = tostring(local.month.item_count)
  }
}
