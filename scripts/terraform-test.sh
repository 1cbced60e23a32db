#!/usr/bin/env bash
# Runs `terraform test` (or `tofu test` with TF=tofu) in every example that
# has a tests/ folder, with the provider built from this checkout
# (dev_overrides) and, for the tests that talk to an API, the emulator on a
# free loopback port.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

examples=$(find "$root/examples" -mindepth 2 -maxdepth 2 -type d -name tests -printf '%h\n' | sort)
if [ -z "$examples" ]; then
  echo "$(basename "$tf") test: no example has tests"
  exit 0
fi

build_provider "$work/bin"
emulator_start "$work/bin" test-token
write_cli_config "$work/terraformrc" "$work/bin"
export FPTCLOUD_TOKEN=test-token

for dir in $examples; do
  echo "$(basename "$tf") test: ${dir#$root/}"
  cp -R "$dir" "$work/example"
  rm -rf "$work/example/.terraform" "$work/example/.terraform.lock.hcl"
  # dev_overrides spare `init` its provider download, not the modules: `get`
  # installs the local modules (of the configuration, and of the test files'
  # `module` blocks) offline, and does nothing in an example without any.
  (cd "$work/example" && "$tf" get -no-color >/dev/null)
  (cd "$work/example" && "$tf" test -no-color)
  rm -rf "$work/example"
done
