#!/usr/bin/env bash
# Builds nothing itself (make demo builds first): starts the emulator on a
# free loopback port, points terraform at the freshly built provider with a
# temporary CLI configuration (dev_overrides), runs `terraform plan` on the
# budget example, and stops the emulator on every exit path.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
example=${DEMO_EXAMPLE:-$root/examples/budget-check}
bin=${DEMO_BIN:-$root/bin}
token=${DEMO_TOKEN:-demo-token}
work=$(mktemp -d)
emulator_pid=""

cleanup() {
  if [ -n "$emulator_pid" ]; then kill "$emulator_pid" 2>/dev/null || true; wait "$emulator_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$bin/fptcloud-emulator" -addr 127.0.0.1:0 -addr-file "$work/url" -token "$token" >"$work/emulator.log" 2>&1 &
emulator_pid=$!
for _ in $(seq 1 100); do [ -s "$work/url" ] && break; sleep 0.05; done
[ -s "$work/url" ] || { echo "the emulator did not start:" >&2; cat "$work/emulator.log" >&2; exit 1; }
url=$(cat "$work/url")
echo "emulator: $url"

cat >"$work/terraformrc" <<EOT
provider_installation {
  dev_overrides {
    "registry.terraform.io/fptcloud-billing/fptcloud" = "$bin"
  }
  direct {}
}
EOT

# A copy of the example, so the demo leaves no files behind in the repository.
cp -R "$example" "$work/example"
rm -rf "$work/example/.terraform" "$work/example/.terraform.lock.hcl" "$work/example/tests"

export TF_CLI_CONFIG_FILE="$work/terraformrc"
export CHECKPOINT_DISABLE=1
export FPTCLOUD_API_URL="$url"
export FPTCLOUD_TOKEN="$token"
export TF_IN_AUTOMATION=1

cd "$work/example"
terraform plan -input=false ${DEMO_VARS:-}
