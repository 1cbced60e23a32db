#!/usr/bin/env bash
# Runs `terraform test` in every example that has a tests/ folder, with the
# provider built from this checkout (dev_overrides) and, for the tests that
# talk to an API, the emulator on a free loopback port.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
emulator_pid=""
cleanup() {
  if [ -n "$emulator_pid" ]; then kill "$emulator_pid" 2>/dev/null || true; wait "$emulator_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

examples=$(find "$root/examples" -mindepth 2 -maxdepth 2 -type d -name tests -printf '%h\n' | sort)
if [ -z "$examples" ]; then
  echo "terraform test: no example has tests"
  exit 0
fi

go build -trimpath -o "$work/bin/terraform-provider-fptcloud" "$root"
go build -trimpath -o "$work/bin/fptcloud-emulator" "$root/cmd/fptcloud-emulator"
"$work/bin/fptcloud-emulator" -addr 127.0.0.1:0 -addr-file "$work/url" -token test-token >"$work/emulator.log" 2>&1 &
emulator_pid=$!
for _ in $(seq 1 100); do [ -s "$work/url" ] && break; sleep 0.05; done
[ -s "$work/url" ] || { cat "$work/emulator.log" >&2; exit 1; }

cat >"$work/terraformrc" <<EOT
provider_installation {
  dev_overrides {
    "registry.terraform.io/fptcloud-billing/fptcloud" = "$work/bin"
  }
  direct {}
}
EOT
export TF_CLI_CONFIG_FILE="$work/terraformrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
export FPTCLOUD_API_URL=$(cat "$work/url") FPTCLOUD_TOKEN=test-token

for dir in $examples; do
  echo "terraform test: ${dir#$root/}"
  cp -R "$dir" "$work/example"
  rm -rf "$work/example/.terraform" "$work/example/.terraform.lock.hcl"
  (cd "$work/example" && terraform test -no-color)
  rm -rf "$work/example"
done
