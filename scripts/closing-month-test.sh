#!/usr/bin/env bash
# Runs the commands of the closing-a-month guide's "Export the month to CSV"
# (its shell block, read from docs/guides/closing-a-month.md, so that the
# guide cannot drift from what is tested) in a copy of
# examples/guides/closing-a-month, after `plan` alone, against the emulator
# on a free port with the built provider under dev_overrides. Then
# internal/testsupport/monthcsv reads every day of the month from the
# emulator's API and checks each CSV file against exact sums of those lines:
# every amount, share, rank and pivot cell, and the files' encoding (byte
# order mark, UTF-8, CRLF, RFC 4180). The verdict does not depend on the
# day: the files are compared with the emulator's lines of the month the
# plan read.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

require_jq "the guide's export commands"

guide="$root/docs/guides/closing-a-month.md"
section='## Export the month to CSV'
guide_commands "$guide" "$section" "$work/commands.sh"

build_provider "$work/bin"
go build -o "$work/bin/monthcsv" "$root/internal/testsupport/monthcsv"
emulator_start "$work/bin" demo-token
write_cli_config "$work/terraformrc" "$work/bin"
export FPTCLOUD_TOKEN=demo-token

cp -R "$root/examples/guides/closing-a-month" "$work/month"
rm -rf "$work/month/.terraform" "$work/month/.terraform.lock.hcl"
cd "$work/month"

before=$(emulator_requests)
run_guide_commands "the guide's export commands"
for table in by_service by_vpc by_tag by_resource top_resources service_by_vpc; do
  [ -s "month-$table.csv" ] || { ls -l >&2; echo "the guide's commands wrote no month-$table.csv" >&2; exit 1; }
done

echo "the plan made $(($(emulator_requests) - before)) API requests"

# The month the plan read, as text (jq reads no number here).
month() { jq -r --arg k "$1" '.planned_values.outputs.month.value[$k]' plan.json; }
"$work/bin/monthcsv" -api "$emulator_url" -token demo-token -from "$(month from)" -to "$(month to)" \
  -total "$(month total_price)" -dir "$work/month" -top 10
