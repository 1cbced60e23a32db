#!/usr/bin/env bash
# Plan time at scale: builds the provider, starts the emulator with a year of
# data at LINES_PER_DAY lines a day (default 1000), and times `terraform plan`
# (`tofu plan` with TF=tofu)
# on a configuration that reads month_to_date, last_month and year_to_date
# with include_items = false. Then it plans a configuration that reads each
# range twice and shows, from the emulator's request counter, that the second
# reads cost no API calls.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

lines_per_day=${LINES_PER_DAY:-1000}

build_provider "$work/bin"

start_emulator() { # a fresh emulator process with a year of data: nothing cached
  emulator_start "$work/bin" bench-token -lines-per-day "$lines_per_day" -latency "${LATENCY:-0s}"
  url=$emulator_url
}

requests() { # the emulator's request counter, read with bash alone
  local hostport=${url#http://}
  hostport=${hostport%%/*}
  exec 3<>"/dev/tcp/${hostport%:*}/${hostport##*:}"
  printf 'GET /_emulator/requests HTTP/1.0\r\nHost: %s\r\n\r\n' "$hostport" >&3
  sed -nE 's/.*"total":([0-9]+).*/\1/p' <&3
  exec 3<&-
}

write_cli_config "$work/terraformrc" "$work/bin"
export FPTCLOUD_TOKEN=bench-token

write_config() { # $1: directory, $2: how many reads of each range
  mkdir -p "$1"
  cat >"$1/main.tf" <<'EOT'
terraform {
  required_providers {
    fptcloud = { source = "fptcloud-billing/fptcloud" }
  }
}
provider "fptcloud" {}
EOT
  for copy in $(seq 1 "$2"); do
    for range in month_to_date last_month year_to_date; do
      cat >>"$1/main.tf" <<EOT
data "fptcloud_bills" "${range}_${copy}" {
  range         = "$range"
  include_items = false
  period        = "day"
}
output "${range}_${copy}" { value = data.fptcloud_bills.${range}_${copy}.total_price }
EOT
    done
  done
}

plan() { # $1: directory; prints the wall time in seconds
  local t0 t1 ms
  t0=$(date +%s%N)
  (cd "$1" && "$tf" plan -input=false -no-color >"$1/plan.out" 2>&1) ||
    { cat "$1/plan.out" >&2; exit 1; }
  t1=$(date +%s%N)
  ms=$(( (t1 - t0) / 1000000 ))
  printf '%d.%03d' $((ms / 1000)) $((ms % 1000))
}

write_config "$work/once" 1
write_config "$work/twice" 2

start_emulator
before=$(requests)
seconds=$(plan "$work/once")
once_calls=$(( $(requests) - before ))
echo "plan, 3 ranges read once (month_to_date, last_month, year_to_date; $lines_per_day lines a day): ${seconds}s, $once_calls API calls"
grep -E '^\s+\+ (month_to_date|last_month|year_to_date)_1' "$work/once/plan.out" || true

start_emulator # a fresh process: nothing cached
before=$(requests)
seconds=$(plan "$work/twice")
twice_calls=$(( $(requests) - before ))
echo "plan, 3 ranges read twice each: ${seconds}s, $twice_calls API calls"
if [ "$twice_calls" -ne "$once_calls" ]; then
  echo "the second reads cost $((twice_calls - once_calls)) extra API calls; want 0" >&2
  exit 1
fi
echo "second reads of a range: 0 extra API calls"
