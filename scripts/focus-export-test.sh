#!/usr/bin/env bash
# Runs the commands of the FOCUS export guide's "The CSV from one command"
# (its shell block, read from docs/guides/focus-export.md, so that the guide
# cannot drift from what is tested) in a copy of examples/focus-export, after
# `plan` alone: the built provider under dev_overrides, the emulator on a free
# port. The focus.csv they write must hold one row per bill line, every
# column, and BilledCost summing exactly (decimal arithmetic, in Go) to the
# data source's total_price, read as text once the same saved plan is
# applied. The verdict does not depend on the day: the file is compared with
# the plan's own figures.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

require_jq "the FOCUS export guide's commands"

guide="$root/docs/guides/focus-export.md"
section='## The CSV from one command'
guide_commands "$guide" "$section" "$work/commands.sh"
grep -q 'focus\.csv' "$work/commands.sh" ||
  { echo "the guide's commands no longer write focus.csv (update $0):" >&2; cat "$work/commands.sh" >&2; exit 1; }

build_provider "$work/bin"
go build -o "$work/bin/focuscsv" "$root/internal/testsupport/focuscsv"
emulator_start "$work/bin" demo-token
write_cli_config "$work/terraformrc" "$work/bin"
export FPTCLOUD_TOKEN=demo-token

cp -R "$root/examples/focus-export" "$work/focus"
rm -rf "$work/focus/.terraform" "$work/focus/.terraform.lock.hcl"
cd "$work/focus"
# Outputs for the check below, planned with the guide's commands: the total
# as text (tostring keeps every digit of the number; `output` of a number
# may not) and the count.
cat >checks.tf <<'EOT'
output "total_price_text" { value = tostring(data.fptcloud_bills.month.total_price) }
output "item_count" { value = data.fptcloud_bills.month.item_count }
EOT

run_guide_commands "the guide's FOCUS commands"
[ -s focus.csv ] || { echo "the guide's commands wrote no focus.csv" >&2; exit 1; }
"$work/bin/focuscsv" focus.csv >"$work/sum.out" || { echo "focus.csv is not the FOCUS rows" >&2; exit 1; }
rows=$(sed -n 's/^rows //p' "$work/sum.out")
sum=$(sed -n 's/^BilledCost //p' "$work/sum.out")

# The same plan, applied: the figures the file must match.
"$tf" apply -input=false -no-color tfplan >"$work/apply.out" 2>&1 ||
  { cat "$work/apply.out" >&2; echo "applying the saved plan failed" >&2; exit 1; }
total=$("$tf" output -no-color -raw total_price_text)
count=$("$tf" output -no-color -raw item_count)
"$work/bin/focuscsv" -column BilledCost <(printf 'x\n') >/dev/null 2>&1 && { echo "focuscsv accepts a file without the FOCUS columns" >&2; exit 1; }
if [ "$rows" != "$count" ] || [ "$sum" != "$total" ]; then
  echo "focus.csv: $rows rows summing to $sum; the data source: $count lines, total_price $total" >&2
  exit 1
fi
[ "$rows" -gt 0 ] || { echo "focus.csv has no rows: the emulator's last month should have lines" >&2; exit 1; }
echo "ok: after plan alone, the guide's commands wrote focus.csv: $rows rows, BilledCost summing to $total VND, total_price exactly"
