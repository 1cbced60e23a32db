#!/usr/bin/env bash
# make test-opentofu: the provider under OpenTofu. With `tofu` from PATH, or
# a pinned OpenTofu built once into a cache folder (scripts/opentofu.sh), it
# runs
#   1. `tofu test` in the examples (scripts/terraform-test.sh with TF=tofu),
#   2. the demo's plan (scripts/demo.sh with TF=tofu), which must warn from
#      the same four checks as under Terraform,
#   3. the secret-leak test under OpenTofu's trace logs,
#   4. the acceptance tests whose outcome can depend on the CLI, named
#      TestAccCLI... (the rule is in internal/provider/acc_test.go: provider-
#      defined functions, the results of check blocks, variables, modules,
#      other providers' resources, values unknown at plan, version checks,
#      empty strings in the provider block, a diagnostic's place in the
#      configuration; accTest fails a test that uses one of the features it
#      can see without the name), with OpenTofu as the binary they drive. The
#      other acceptance tests check the provider's own client and arithmetic,
#      through the same init, plan and state as these, and run under
#      Terraform alone (make test). TESTRUN=. runs them all here.
#      TF_ACC_TERRAFORM_PATH (the helper finds or installs
#      only `terraform` otherwise), and TF_ACC_PROVIDER_HOST so that the
#      provider served in-process answers to the address OpenTofu gives
#      `fptcloud` (registry.opentofu.org/hashicorp/fptcloud). Without it the
#      helper's TF_REATTACH_PROVIDERS also names registry.terraform.io/-/fptcloud,
#      which OpenTofu refuses (the legacy namespace "-" is valid only with
#      registry.opentofu.org), and every test step fails in init.
# The examples ask for version 1.8 or later (required_version, for Terraform's
# provider-defined functions; their tests use mock_provider, which OpenTofu
# has from 1.8), so OpenTofu 1.7 runs step 4 alone and says so.
# The demo expects bin/ to be built (make test-opentofu builds it first).
set -euo pipefail

TF=$("$(dirname "$0")/opentofu.sh")
. "$(dirname "$0")/lib.sh"
export TF
step() { printf '\n==> opentofu: %s\n' "$*"; }
cd "$root"

"$tf" version
release=$(tf_release)
case "$release" in
  "OpenTofu "*) ;;
  *) echo "opentofu: $tf is not OpenTofu (it says: ${release:-nothing})" >&2; exit 1 ;;
esac
version=${release#OpenTofu }

if version_at_least "$version" 1.8.0; then
  step "tofu test in the examples"
  ./scripts/terraform-test.sh

  step "the demo's plan"
  demo_vars="-var monthly_budget=${DEMO_BUDGET:-150000000} -no-color"
  DEMO_VARS="$demo_vars" ./scripts/demo.sh >"$work/tofu.out" 2>&1 ||
    { cat "$work/tofu.out" >&2; echo "opentofu: the demo's plan failed" >&2; exit 1; }
  checks() { # the checks that warned, one line each: where, and which check
    { grep -E '^ +on main\.tf line [0-9]+, in check "' "$1" || true; } | sed -E 's/^ +//' | sort
  }
  checks "$work/tofu.out" >"$work/tofu.checks"
  warnings=$(grep -c 'Warning: Check block assertion failed' "$work/tofu.out" || true)
  # The emulated account warns from these four on every day of the year
  # (the month's fee, billed at 00:00 on the 1st, is past the budget alone),
  # and never from no_spend_spikes (the fee is a recurring charge at its
  # usual size, not a spike). month_over_month_rise compares usage with the
  # fee left out of both sides: it warns once the month's days at a level
  # 30% above the weeks before pass min_rise_amount, on a day between the
  # 3rd and the 15th that depends on the weekdays, so it may warn or not
  # (TestAccCLIBudgetExample_calendar walks the calendar with pinned clocks;
  # demoWarningsAt says why). Under terraform, below, it must do the same.
  always="budget_possibly_exceeded budget_surely_exceeded forecast_within_budget spend_within_budget"
  got_checks=$(sed -E 's/.*in check "([^"]+)".*/\1/' "$work/tofu.checks" | sort | tr '\n' ' ' | sed 's/ $//')
  case "$got_checks" in
    "$always" | "budget_possibly_exceeded budget_surely_exceeded forecast_within_budget month_over_month_rise spend_within_budget") ;;
    *)
      cat "$work/tofu.out" >&2
      echo "opentofu: the demo warned from $warnings check(s) ($got_checks); want the four checks $always, and month_over_month_rise or not, never no_spend_spikes" >&2
      exit 1
      ;;
  esac
  if [ "$warnings" -ne "$(echo "$got_checks" | wc -w)" ]; then
    cat "$work/tofu.out" >&2
    echo "opentofu: $warnings check warnings, but $(echo "$got_checks" | wc -w) checks named in them" >&2
    exit 1
  fi
  if command -v terraform >/dev/null 2>&1; then
    TF=terraform DEMO_VARS="$demo_vars" ./scripts/demo.sh >"$work/terraform.out" 2>&1 ||
      { cat "$work/terraform.out" >&2; echo "opentofu: the demo's plan failed under terraform" >&2; exit 1; }
    checks "$work/terraform.out" >"$work/terraform.checks"
    diff -u "$work/terraform.checks" "$work/tofu.checks" ||
      { echo "opentofu: the demo's checks warn differently under terraform (-) and tofu (+)" >&2; exit 1; }
    echo "the demo warns from the same checks under terraform and tofu:"
  else
    echo "the demo warns from these checks (terraform is not on PATH to compare):"
  fi
  sed 's/^/  /' "$work/tofu.checks"

  step "secret-leak test"
  ./scripts/secret-leak-test.sh
else
  step "skipped: tofu test in the examples, the demo's plan and the secret-leak test"
  echo "the examples require version 1.8 or later (required_version; mock_provider in their tests); this is $release"
fi

step "acceptance tests whose outcome can depend on the CLI (TestAccCLI..., terraform-plugin-testing driving tofu)"
TF_ACC=1 TF_ACC_TERRAFORM_PATH="$(command -v "$tf")" TF_ACC_PROVIDER_HOST=registry.opentofu.org \
  go test ./internal/provider/... -run "${TESTRUN:-^TestAccCLI}" -count=1 -timeout 20m -parallel "${TEST_PARALLEL:-4}" ${TESTARGS:-}

echo
echo "opentofu: passed with $release"
