#!/usr/bin/env bash
# Runs the commands of the budget-checks guide's "The cost report on the pull
# request" (its shell block, read from docs/guides/budget-checks.md, so that
# the guide cannot drift from what is tested) in a copy of
# examples/budget-check, after `plan` alone, as a CI job on a pull request
# would: the built provider under dev_overrides, the emulator on a free port.
# The comment they write must be the report: the summary_markdown that
# `terraform output` shows once the same saved plan is applied. The verdict
# does not depend on the day: the report is compared with itself, not with
# fixed figures.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

require_jq "the guide's pull-request commands"

guide="$root/docs/guides/budget-checks.md"
section='## The cost report on the pull request'
guide_commands "$guide" "$section" "$work/commands.sh"
grep -q 'plan' "$work/commands.sh" && grep -q 'report\.md' "$work/commands.sh" ||
  { echo "the guide's commands no longer plan and write report.md (update $0):" >&2; cat "$work/commands.sh" >&2; exit 1; }

build_provider "$work/bin"
emulator_start "$work/bin" demo-token
write_cli_config "$work/terraformrc" "$work/bin"
export FPTCLOUD_TOKEN=demo-token

cp -R "$root/examples/budget-check" "$work/budget"
rm -rf "$work/budget/.terraform" "$work/budget/.terraform.lock.hcl" "$work/budget/tests"
cd "$work/budget"

# The guide's commands, as written; `terraform` is $tf (terraform or tofu).
run_guide_commands "the guide's pull-request commands"
[ -s report.md ] || { echo "the guide's commands wrote no report.md" >&2; exit 1; }
head -n 1 report.md | grep -qE '^### FPT Cloud spend, [0-9]{4}-[0-9]{2}-01\.\.[0-9]{4}-[0-9]{2}-[0-9]{2}$' &&
  grep -qE '^- \*\*Total:\*\* [0-9,]+ VND' report.md &&
  grep -qE '^- \*\*Budget:\*\* [0-9,]+ VND; spent [0-9.]+% \((🔴 OVER|[0-9.]+% left)\)' report.md || {
  echo "report.md is not the cost report:" >&2
  cat report.md >&2
  exit 1
}

# The same plan, applied: the output it leaves is what report.md must hold.
"$tf" apply -input=false -no-color tfplan >"$work/apply.out" 2>&1 ||
  { cat "$work/apply.out" >&2; echo "applying the saved plan failed" >&2; exit 1; }
"$tf" output -no-color -raw summary_markdown >"$work/output.md"
printf '\n' >>"$work/output.md" # jq -r ends the value with a newline, output -raw does not
if ! cmp -s report.md "$work/output.md"; then
  echo "report.md differs from the summary_markdown output:" >&2
  diff "$work/output.md" report.md >&2 || true
  exit 1
fi
echo "ok: after plan alone, the guide's commands wrote the cost report ($(wc -l <report.md) lines: $(head -n 1 report.md))"
