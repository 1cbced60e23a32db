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

write_cli_config "$work/terraformrc" "$work/bin"
export FPTCLOUD_TOKEN=bench-token

write_config() { # $1: directory, $2: how many reads of each range
  write_main_tf "$1" </dev/null
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
  ms_seconds "$(plan_ms "$1")"
}

write_config "$work/once" 1
write_config "$work/twice" 2

start_emulator
before=$(emulator_requests)
seconds=$(plan "$work/once")
once_calls=$(( $(emulator_requests) - before ))
echo "plan, 3 ranges read once (month_to_date, last_month, year_to_date; $lines_per_day lines a day): ${seconds}s, $once_calls API calls"
grep -E '^\s+\+ (month_to_date|last_month|year_to_date)_1' "$work/once/plan.out" || true

start_emulator # a fresh process: nothing cached
before=$(emulator_requests)
seconds=$(plan "$work/twice")
twice_calls=$(( $(emulator_requests) - before ))
echo "plan, 3 ranges read twice each: ${seconds}s, $twice_calls API calls"
if [ "$twice_calls" -ne "$once_calls" ]; then
  echo "the second reads cost $((twice_calls - once_calls)) extra API calls; want 0" >&2
  exit 1
fi
echo "second reads of a range: 0 extra API calls"

# A month alone against the same month with compare_to and spike_detection:
# last_month (about 30,000 lines at 1000 a day) and, read at the same time,
# the month before it; the baseline days fall in that month, so nothing more
# is read. Each configuration is planned RUNS times (default 3) on a fresh
# emulator; the median time counts.
write_month() { # $1: directory, $2: extra arguments of the data source
  write_main_tf "$1" <<EOT
data "fptcloud_bills" "month" {
  range         = "last_month"
  include_items = false
  $2
}
output "total" { value = data.fptcloud_bills.month.total_price }
EOT
}
median_plan() { # $1: directory; prints the median wall time and the API calls of one plan
  local times=() calls=0 before
  for _ in $(seq 1 "${RUNS:-3}"); do
    start_emulator
    before=$(emulator_requests)
    times+=("$(plan_ms "$1")")
    calls=$(( $(emulator_requests) - before ))
  done
  emulator_stop # this runs in $(...): the script's own cleanup never sees this emulator
  printf '%s %s' "$(ms_seconds "$(printf '%s\n' "${times[@]}" | median)")" "$calls"
}
write_month "$work/month" ""
write_month "$work/month_history" 'compare_to = "previous_month"
  spike_detection = {}'
read -r alone alone_calls <<<"$(median_plan "$work/month")"
read -r history history_calls <<<"$(median_plan "$work/month_history")"
echo "plan, last_month alone: ${alone}s, $alone_calls API calls"
echo "plan, last_month with compare_to = previous_month and spike_detection: ${history}s, $history_calls API calls"
awk -v a="$alone" -v h="$history" 'BEGIN { printf "with the comparison and spikes: %.2fx the month alone (target: at most 2.5x)\n", h / a }'
