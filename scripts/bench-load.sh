#!/usr/bin/env bash
# Many workspaces planning at once against a rate-limited API: builds the
# provider and the emulator, writes N workspaces (each its own directory,
# so each `terraform plan` runs its own provider process and API client) that
# read month_to_date with compare_to = "previous_month" and spike_detection,
# and for each N in WORKSPACES (default "8 16 32"):
#   1. plans the N workspaces at once against an emulator without a limit,
#      which counts the requests the work needs;
#   2. plans them at once again against a fresh emulator that serves RATE
#      requests a second (default 5) over all clients and answers the others
#      429 with Retry-After, and reports the plans that succeeded (each with
#      the same total as without the limit), the requests made and refused,
#      and the wall time against the floor: the requests needed / RATE.
# Goal: every plan succeeds, the wall time is at most 1.3x the floor and the
# refused requests at most as many as those that succeed. It measures, it
# asserts nothing but that every plan of the unlimited run succeeds.
# With CACHE=1, every plan shares one day cache (FPTCLOUD_CACHE_DIR), filled
# first by one plan, as a CI cache restored into each workspace's job would be.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

rate=${RATE:-5}
workspaces=${WORKSPACES:-8 16 32}

build_provider "$work/bin"
write_cli_config "$work/cli.tfrc" "$work/bin"
export FPTCLOUD_TOKEN=bench-token
unset FPTCLOUD_CACHE_DIR

write_workspaces() { # $1: how many; in $work/ws-$1/1..$1
  for i in $(seq 1 "$1"); do
    write_main_tf "$work/ws-$1/$i" <<'EOT'
data "fptcloud_bills" "month" {
  range           = "month_to_date"
  include_items   = false
  compare_to      = "previous_month"
  spike_detection = {}
}
output "total" { value = data.fptcloud_bills.month.total_price }
EOT
  done
}

# plan_all N: plans the N workspaces at once; sets wall_ms and ok (plans
# that succeeded). Each plan's output is in its directory's plan.out.
plan_all() {
  local n=$1 t0 t1 i pids=()
  t0=$(date +%s%N)
  for i in $(seq 1 "$n"); do
    rm -f "$work/ws-$n/$i/plan.rc"
    (cd "$work/ws-$n/$i" && { "$tf" plan -input=false -no-color >plan.out 2>&1 && echo 0 >plan.rc || echo $? >plan.rc; }) &
    pids+=($!)
  done
  wait "${pids[@]}" # not a bare wait: the emulator runs in the background too
  t1=$(date +%s%N)
  wall_ms=$(((t1 - t0) / 1000000))
  ok=0
  for i in $(seq 1 "$n"); do
    if [ "$(cat "$work/ws-$n/$i/plan.rc")" = 0 ]; then ok=$((ok + 1)); fi
  done
}

total_of() { sed -nE 's/.*\+ total *= *(.+)$/\1/p' "$1/plan.out" | head -1; }

if [ "${CACHE:-0}" = 1 ]; then
  export FPTCLOUD_CACHE_DIR="$work/cache"
  write_workspaces 1
  emulator_start "$work/bin" bench-token
  plan_all 1
  [ "$ok" = 1 ] || { cat "$work/ws-1/1/plan.out" >&2; echo "bench-load: the plan that fills the day cache failed" >&2; exit 1; }
  echo "with a day cache shared by every plan, filled first by one plan ($(find "$work/cache/days" -type f | wc -l) entries)"
fi
echo "N workspaces planning at once (month_to_date, compare_to, spike_detection), emulator limited to $rate requests a second; $(tf_release)"
printf '| workspaces | plans succeeded | requests needed | requests made | refused (429) | refused / succeeded | wall time | floor | wall / floor |\n'
printf '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n'
for n in $workspaces; do
  write_workspaces "$n"

  emulator_start "$work/bin" bench-token
  plan_all "$n"
  needed=$(emulator_requests total)
  if [ "$ok" -ne "$n" ]; then
    for i in $(seq 1 "$n"); do cat "$work/ws-$n/$i/plan.out" >&2; done
    echo "bench-load: $((n - ok)) of $n plans failed without a rate limit" >&2
    exit 1
  fi
  want=$(total_of "$work/ws-$n/1")
  [ -n "$want" ] || { cat "$work/ws-$n/1/plan.out" >&2; echo "bench-load: no total in the plan" >&2; exit 1; }

  emulator_start "$work/bin" bench-token -rate-limit "$rate"
  plan_all "$n"
  made=$(emulator_requests total)
  refused=$(emulator_requests refused)
  exact=0
  for i in $(seq 1 "$n"); do
    if [ "$(cat "$work/ws-$n/$i/plan.rc")" = 0 ] && [ "$(total_of "$work/ws-$n/$i")" = "$want" ]; then
      exact=$((exact + 1))
    fi
  done
  if [ "$exact" -ne "$ok" ]; then
    echo "bench-load: $((ok - exact)) plans succeeded with a total other than $want" >&2
  fi
  if [ "$ok" -ne "$n" ]; then
    first_failed=$(for i in $(seq 1 "$n"); do [ "$(cat "$work/ws-$n/$i/plan.rc")" = 0 ] || { echo "$i"; break; }; done)
    echo "first failed plan (workspace $first_failed):" >&2
    grep -A6 '^Error' "$work/ws-$n/$first_failed/plan.out" | head -12 >&2
  fi
  floor_ms=$((needed * 1000 / rate))
  printf '| %d | %d of %d | %d | %d | %d | %s | %ss | %ss | %s |\n' "$n" "$exact" "$n" "$needed" "$made" "$refused" \
    "$(awk -v r="$refused" -v s="$((made - refused))" 'BEGIN { printf "%.2f", (s ? r / s : 0) }')" \
    "$(ms_seconds "$wall_ms")" "$(ms_seconds "$floor_ms")" \
    "$(awk -v w="$wall_ms" -v f="$floor_ms" 'BEGIN { printf "%.2fx", w / f }')"
done
