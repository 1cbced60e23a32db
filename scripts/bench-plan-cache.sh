#!/usr/bin/env bash
# The day cache across plans: builds the provider, starts the emulator with
# LINES_PER_DAY lines a day (default 1000) answering each request after
# LATENCY (default 50ms, a real API is farther away than localhost), and
# times three `terraform plan`s in a row of a year_to_date with
# include_items = false, first without the cache and then with cache_dir.
# For each plan it prints the API requests (the emulator's request counter)
# and the wall time. The goal: with the cache, the second plan makes at most
# 5% of the first plan's requests and takes at most half its time.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

lines_per_day=${LINES_PER_DAY:-1000}
latency=${LATENCY:-50ms}

build_provider "$work/bin"
emulator_start "$work/bin" bench-token -lines-per-day "$lines_per_day" -latency "$latency"
write_cli_config "$work/cli.tfrc" "$work/bin"
export FPTCLOUD_TOKEN=bench-token
unset FPTCLOUD_CACHE_DIR

write_main_tf "$work/config" <<'EOT'
data "fptcloud_bills" "year" {
  range         = "year_to_date"
  include_items = false
}
output "year_to_date" { value = data.fptcloud_bills.year.total_price }
EOT

fmt_ms() { echo "$(ms_seconds "$1")s"; }

# plan: one terraform plan; sets plan_ms, plan_calls and plan_total.
plan() {
  local before
  before=$(emulator_requests)
  plan_ms=$(plan_ms "$work/config")
  plan_calls=$(( $(emulator_requests) - before ))
  plan_total=$(sed -nE 's/.*year_to_date *= *([0-9.e+]+).*/\1/p' "$work/config/plan.out" | head -1)
  [ -n "$plan_total" ] || { echo "no year_to_date total in the plan:" >&2; cat "$work/config/plan.out" >&2; exit 1; }
}

echo "year_to_date, include_items = false, $lines_per_day lines a day, emulator latency $latency"
declare -A calls ms totals
for mode in without with; do
  if [ "$mode" = with ]; then export FPTCLOUD_CACHE_DIR="$work/cache"; fi
  for n in 1 2 3; do
    plan
    calls[$mode$n]=$plan_calls ms[$mode$n]=$plan_ms totals[$mode$n]=$plan_total
    printf '  %-13s plan %d: %4d API requests, %s\n' "$mode cache" "$n" "$plan_calls" "$(fmt_ms "$plan_ms")"
  done
done
echo "  cache directory after the plans: $(du -sh "$work/cache" | cut -f1), $(find "$work/cache/days" -type f | wc -l) entries"

for key in "${!totals[@]}"; do
  if [ "${totals[$key]}" != "${totals[without1]}" ]; then
    echo "plan $key gave total_price ${totals[$key]}, the first plan without the cache ${totals[without1]}" >&2
    exit 1
  fi
done
first_calls=${calls[with1]} second_calls=${calls[with2]}
first_ms=${ms[with1]} second_ms=${ms[with2]}
echo "  with the cache, second plan: $second_calls of $first_calls requests ($(( second_calls * 1000 / first_calls / 10 )).$(( second_calls * 1000 / first_calls % 10 ))%)," \
  "$(fmt_ms "$second_ms") of $(fmt_ms "$first_ms") ($(( second_ms * 100 / first_ms ))%)"
if [ $(( second_calls * 20 )) -gt "$first_calls" ] || [ $(( second_ms * 2 )) -gt "$first_ms" ]; then
  echo "goal not met: the second plan must make <= 5% of the first plan's requests and take <= 0.5x its time" >&2
  exit 1
fi
echo "  goal met: <= 5% of the requests and <= 0.5x the time"
