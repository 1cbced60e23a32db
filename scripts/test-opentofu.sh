#!/usr/bin/env bash
# make test-opentofu: the provider under OpenTofu. With `tofu` from PATH, or
# a pinned OpenTofu built once into a cache folder (scripts/opentofu.sh), it
# runs
#   1. `tofu test` in the examples (scripts/terraform-test.sh with TF=tofu),
#   2. the demo's plan (scripts/demo.sh with TF=tofu), which must warn from
#      the same two checks as under Terraform,
#   3. the secret-leak test under OpenTofu's trace logs,
#   4. the acceptance tests (terraform-plugin-testing) with OpenTofu as the
#      binary they drive: TF_ACC_TERRAFORM_PATH, and TF_ACC_PROVIDER_HOST so
#      that the provider served in-process answers to the address OpenTofu
#      gives `fptcloud` (registry.opentofu.org/hashicorp/fptcloud).
# The demo expects bin/ to be built (make test-opentofu builds it first).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
step() { printf '\n==> opentofu: %s\n' "$*"; }

tofu=$(./scripts/opentofu.sh)
"$tofu" version
export TF="$tofu" CHECKPOINT_DISABLE=1

step "tofu test in the examples"
./scripts/terraform-test.sh

step "the demo's plan"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
demo_vars="-var monthly_budget=${DEMO_BUDGET:-150000000} -no-color"
DEMO_VARS="$demo_vars" ./scripts/demo.sh >"$out/tofu.out" 2>&1 || { cat "$out/tofu.out" >&2; echo "opentofu: the demo's plan failed" >&2; exit 1; }
checks() { # the checks that warned, one line each: where, and which check
  { grep -E '^ +on main\.tf line [0-9]+, in check "' "$1" || true; } | sed -E 's/^ +//' | sort
}
checks "$out/tofu.out" >"$out/tofu.checks"
warnings=$(grep -c 'Warning: Check block assertion failed' "$out/tofu.out" || true)
if [ "$warnings" -ne 2 ] || [ "$(wc -l <"$out/tofu.checks")" -ne 2 ]; then
  cat "$out/tofu.out" >&2
  echo "opentofu: the demo gave $warnings check warnings; want 2 (forecast_within_budget and spend_within_budget)" >&2
  exit 1
fi
if command -v terraform >/dev/null 2>&1; then
  TF=terraform DEMO_VARS="$demo_vars" ./scripts/demo.sh >"$out/terraform.out" 2>&1 ||
    { cat "$out/terraform.out" >&2; echo "opentofu: the demo's plan failed under terraform" >&2; exit 1; }
  checks "$out/terraform.out" >"$out/terraform.checks"
  diff -u "$out/terraform.checks" "$out/tofu.checks" ||
    { echo "opentofu: the demo's checks warn differently under terraform (-) and tofu (+)" >&2; exit 1; }
  echo "the demo warns from the same checks under terraform and tofu:"
else
  echo "the demo warns from these checks (terraform is not on PATH to compare):"
fi
sed 's/^/  /' "$out/tofu.checks"

step "secret-leak test"
./scripts/secret-leak-test.sh

step "acceptance tests (terraform-plugin-testing driving tofu)"
TF_ACC=1 TF_ACC_TERRAFORM_PATH="$tofu" TF_ACC_PROVIDER_HOST=registry.opentofu.org \
  go test ./internal/provider/... -count=1 -timeout 20m ${TESTARGS:-}

echo
echo "opentofu: all passed with $("$tofu" version | head -n 1)"
