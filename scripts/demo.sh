#!/usr/bin/env bash
# Builds nothing itself (make demo builds first): starts the emulator on a
# free loopback port, points Terraform or OpenTofu (TF, default terraform) at
# the freshly built provider with a temporary CLI configuration
# (dev_overrides), runs `plan` on the budget example, and stops the emulator
# on every exit path.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

example=${DEMO_EXAMPLE:-$root/examples/budget-check}
bin=${DEMO_BIN:-$root/bin}
token=${DEMO_TOKEN:-demo-token}

emulator_start "$bin" "$token"
echo "emulator: $emulator_url"
write_cli_config "$work/terraformrc" "$bin"

# A copy of the example, so the demo leaves no files behind in the repository.
cp -R "$example" "$work/example"
rm -rf "$work/example/.terraform" "$work/example/.terraform.lock.hcl" "$work/example/tests"

export FPTCLOUD_TOKEN="$token"

cd "$work/example"
"$tf" plan -input=false ${DEMO_VARS:-}
