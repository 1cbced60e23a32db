#!/usr/bin/env bash
# Plan time of the large lists beside Terraform's own floor (TF=tofu for OpenTofu). Builds the
# provider, the emulator and the plan floor provider (internal/bench/floor: the
# same lists from terraform-plugin-go alone, no HTTP, no framework), then
# times `terraform plan` (median of RUNS, default 3) of the same
# configuration with each:
#   - fptcloud_bills with include_items = true at SIZES lines (default
#     "10000 30000"; BENCH_LARGE=1 adds 100000), 1000 lines a day;
#   - fptcloud_bills with include_items = false at 30000 lines;
#   - fptcloud_resource_statements at the same sizes;
# and prints the ratios. With /usr/bin/time on the machine it also reports
# the provider process's peak RSS for the largest bills read. PROVIDER_SRC
# builds the provider from another checkout (default: this one), to measure
# a change against the code before it.
set -euo pipefail

. "$(dirname "$0")/lib.sh"

runs=${RUNS:-3}
sizes=${SIZES:-10000 30000}
if [ -n "${BENCH_LARGE:-}" ]; then sizes="$sizes 100000"; fi
lines_per_day=1000

mkdir -p "$work/provider" "$work/floor" "$work/rss"
(cd "${PROVIDER_SRC:-$root}" && go build -trimpath -o "$work/provider/terraform-provider-fptcloud" .)
go build -trimpath -o "$work/floor/terraform-provider-fptcloud" "$root/internal/bench/floor/provider"
go build -trimpath -o "$work/fptcloud-emulator" "$root/cmd/fptcloud-emulator"

start_emulator() { # $1: statements
  emulator_start "$work" bench-token -lines-per-day "$lines_per_day" -statements "$1"
  export PLANFLOOR_STATEMENTS=$1
}
export FPTCLOUD_TOKEN=bench-token PLANFLOOR_LINES_PER_DAY=$lines_per_day PLANFLOOR_SEED=1
write_cli_config "$work/provider.tfrc" "$work/provider"
write_cli_config "$work/floor.tfrc" "$work/floor"

write_config() { # $1: folder, $2: data source block, $3: list attribute
  write_main_tf "$1" <<EOT
$2
output "count" { value = length(data.$3) }
EOT
}

median_ms() { # $1: folder, $2: CLI config
  for _ in $(seq 1 "$runs"); do TF_CLI_CONFIG_FILE="$2" plan_ms "$1"; done | median
}

seconds() { printf '%d.%02d' $(($1 / 1000)) $(($1 % 1000 / 10)); }
ratio() { printf '%d.%02d' $(($1 / $2)) $(($1 * 100 / $2 % 100)); }

compare() { # $1: label, $2: folder
  local floor provider
  floor=$(median_ms "$2" "$work/floor.tfrc")
  provider=$(median_ms "$2" "$work/provider.tfrc")
  printf '%-44s floor %6ss   provider %6ss   ratio %s\n' "$1" "$(seconds "$floor")" "$(seconds "$provider")" "$(ratio "$provider" "$floor")"
}

largest=0
for size in $sizes; do
  start_emulator "$size"
  days=$((size / lines_per_day))
  to=$(date -u -d "2024-05-01 + $((days - 1)) days" +%F)
  write_config "$work/bills-$size" "data \"fptcloud_bills\" \"b\" {
  from      = \"2024-05-01\"
  to        = \"$to\"
  max_items = $size
}" "fptcloud_bills.b.items"
  write_config "$work/statements-$size" "data \"fptcloud_resource_statements\" \"s\" {
  page_size = 1000
  max_items = $size
}" "fptcloud_resource_statements.s.statements"
  compare "fptcloud_bills, items, $size lines" "$work/bills-$size"
  compare "fptcloud_resource_statements, $size" "$work/statements-$size"
  largest=$size
done

start_emulator 500
write_config "$work/totals-30000" 'data "fptcloud_bills" "b" {
  from          = "2024-05-01"
  to            = "2024-05-30"
  include_items = false
}' "fptcloud_bills.b.totals_by_service"
printf '%-44s provider %6ss\n' "fptcloud_bills, include_items = false, 30000" \
  "$(seconds "$(median_ms "$work/totals-30000" "$work/provider.tfrc")")"

if [ -x /usr/bin/time ]; then
  start_emulator 500
  cat >"$work/rss/terraform-provider-fptcloud" <<EOT
#!/bin/sh
exec /usr/bin/time -a -f %M -o "$work/rss/kib" "$work/provider/terraform-provider-fptcloud" "\$@"
EOT
  chmod +x "$work/rss/terraform-provider-fptcloud"
  write_cli_config "$work/rss.tfrc" "$work/rss"
  TF_CLI_CONFIG_FILE="$work/rss.tfrc" plan_ms "$work/bills-$largest" >/dev/null
  printf '%-44s %s MiB\n' "peak RSS of the provider, $largest items" "$(($(sort -n "$work/rss/kib" | tail -1) / 1024))"
fi
