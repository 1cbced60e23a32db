#!/usr/bin/env bash
# Proves that the token and the refresh token never reach the logs of
# Terraform or OpenTofu (TF, default terraform; TF_LOG=trace, provider and
# core), diagnostics, plan or state: it runs the built provider against the
# emulator twice — once with the right token, once with a wrong one so the
# error path runs too — and searches every byte written for both secrets.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

token="leak-probe-token-7Hq2ZpX9"
refresh="leak-probe-refresh-Vb4Nc8Lm"

build_provider "$work/bin"
emulator_start "$work/bin" "$token"
write_cli_config "$work/terraformrc" "$work/bin"
mkdir -p "$work/cfg"
cat >"$work/cfg/main.tf" <<'EOT'
terraform {
  required_providers {
    fptcloud = { source = "fptcloud-billing/fptcloud" }
  }
}
provider "fptcloud" {}
data "fptcloud_bill_info" "leak" {}
data "fptcloud_bill_service_types" "leak" {}
output "groups" { value = data.fptcloud_bill_info.leak.group_names }
EOT
for f in "$root"/examples/data-sources/*/data-source.tf; do
  name=$(basename "$(dirname "$f")")
  cp "$f" "$work/cfg/example_${name}.tf"
done

export FPTCLOUD_REFRESH_TOKEN="$refresh"
export FPTCLOUD_CACHE_DIR="$work/cache" # the bill cache is searched too
export TF_LOG=trace TF_LOG_PATH="$work/trace.log"
cd "$work/cfg"

FPTCLOUD_TOKEN="$token" "$tf" apply -auto-approve -input=false -no-color >"$work/apply.out" 2>&1 ||
  { cat "$work/apply.out" >&2; echo "secret-leak test: apply with the right token failed" >&2; exit 1; }
FPTCLOUD_TOKEN="$token" "$tf" show -json >"$work/show.json" 2>&1
if FPTCLOUD_TOKEN="$token-wrong" "$tf" plan -refresh-only -input=false -no-color >"$work/wrong.out" 2>&1; then
  echo "secret-leak test: a wrong token did not fail the plan" >&2; exit 1
fi
grep -q "HTTP 401" "$work/wrong.out" || { cat "$work/wrong.out" >&2; echo "secret-leak test: no 401 diagnostic" >&2; exit 1; }
grep -q "FPT Cloud API response" "$work/trace.log" || { echo "secret-leak test: the provider's trace log is missing" >&2; exit 1; }

# The demo (examples/budget-check, its checks and its report) at trace level,
# every byte it prints captured.
DEMO_BIN="$work/bin" DEMO_TOKEN="$token" DEMO_VARS="-var monthly_budget=150000000" TF_LOG=trace TF_LOG_PATH= \
  "$root/scripts/demo.sh" >"$work/demo.out" 2>&1 ||
  { tail -50 "$work/demo.out" >&2; echo "secret-leak test: the demo failed" >&2; exit 1; }
grep -q "FPT Cloud API response" "$work/demo.out" || { echo "secret-leak test: the demo's trace log is missing" >&2; exit 1; }

# The examples read fixed past months: the bill cache must hold days to search.
[ -n "$(ls -A "$work/cache/days" 2>/dev/null)" ] || { echo "secret-leak test: the bill cache holds nothing to search" >&2; exit 1; }

leaks=0
for secret in "$token" "$refresh"; do
  if grep -l -r -F -- "$secret" "$work/trace.log" "$work/apply.out" "$work/wrong.out" "$work/show.json" "$work/demo.out" "$work/cache" terraform.tfstate; then
    echo "secret-leak test: a secret appears in the files above" >&2
    leaks=1
  fi
done
[ "$leaks" = 0 ] || exit 1
echo "secret-leak test: neither secret appears in $(wc -c <"$work/trace.log") bytes of trace log, $(wc -c <"$work/demo.out") bytes of the demo at trace level, the outputs, the plan or the state"
