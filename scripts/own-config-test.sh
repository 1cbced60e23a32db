#!/usr/bin/env bash
# Follows README.md's "Try it with your own configuration" as a new user
# would: `make dev-config` (into a temporary bin/), its export lines, a
# directory of one's own holding an example and the provider requirement,
# and `terraform plan` with no `init`; then a copy of examples/team-budgets,
# a configuration with a local module, with `terraform get` before `plan`.
# The emulator listens on a free port instead of `make emulator`'s
# 127.0.0.1:8080. The verdict does not depend on the day: the plans must
# succeed and read bills and statements, whatever they are.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

readme_has() {
  grep -qF -- "$1" "$root/README.md" || { echo "README.md no longer says: $1 (update $0 with it)" >&2; exit 1; }
}
readme_has '## Try it with your own configuration'
readme_has 'eval "$(make -s dev-config)"'
readme_has 'cp examples/data-sources/fptcloud_resource_statements/data-source.tf ~/fptcloud-try/'
readme_has 'No `terraform init`'
readme_has 'cp -R examples/team-budgets ~/fptcloud-team-budgets'
readme_has 'terraform get                  # or: tofu get'

# make -s dev-config, as the README says, with its bin/ in the temporary directory.
mkdir -p "$work/bin"
dev_config=$(${MAKE:-make} -s --no-print-directory -C "$root" dev-config BIN_DIR="$work/bin")
grep -qF "'terraform get'" <<<"$dev_config" ||
  { echo "make dev-config no longer says to run 'terraform get' for a configuration with modules:" >&2; echo "$dev_config" >&2; exit 1; }
eval "$dev_config"
[ "$TF_CLI_CONFIG_FILE" = "$work/bin/dev.tfrc" ] && [ -s "$TF_CLI_CONFIG_FILE" ] ||
  { echo "make dev-config did not export TF_CLI_CONFIG_FILE=$work/bin/dev.tfrc" >&2; exit 1; }
[ "$FPTCLOUD_API_URL" = "http://127.0.0.1:8080/api" ] && [ "$FPTCLOUD_TOKEN" = demo-token ] ||
  { echo "make dev-config printed FPTCLOUD_API_URL=$FPTCLOUD_API_URL FPTCLOUD_TOKEN=$FPTCLOUD_TOKEN, not make emulator's" >&2; exit 1; }

# make emulator, on a free port (this exports FPTCLOUD_API_URL again).
emulator_start "$work/bin" "$FPTCLOUD_TOKEN"

# The README's own configuration, in a fresh directory.
own="$work/fptcloud-try"
mkdir -p "$own"
cp "$root/examples/data-sources/fptcloud_resource_statements/data-source.tf" "$own/"
sed -n '/^cat > ~\/fptcloud-try\/versions.tf <<.EOF.$/,/^EOF$/p' "$root/README.md" | sed '1d;$d' >"$own/versions.tf"
grep -q 'fptcloud-billing/fptcloud' "$own/versions.tf" ||
  { echo "README.md's versions.tf block was not found" >&2; exit 1; }

echo "$(basename "$tf") plan: the README's own configuration, no init"
(cd "$own" && "$tf" plan -input=false -no-color -out=plan.bin >"$work/plan.out" 2>&1) ||
  { cat "$work/plan.out" >&2; echo "plan failed" >&2; exit 1; }
[ ! -e "$own/.terraform.lock.hcl" ] || { echo "plan wrote a lock file: was init run?" >&2; exit 1; }

# Both data sources were read during plan; the statements of all time with
# an amount of at least 100 are never none, those of the last 30 days only
# are counted for the log.
counts=$(cd "$own" && "$tf" show -json plan.bin | grep -oE '"item_count":[0-9]+' | cut -d: -f2 | tr '\n' ' ' | sed 's/ $//')
read -r -a n <<<"$counts"
if [ "${#n[@]}" -ne 2 ]; then
  cat "$work/plan.out" >&2
  echo "the plan holds ${#n[@]} statement counts ($counts), want 2: were the data sources read during plan?" >&2
  exit 1
fi
total=$((n[0] + n[1]))
if [ "$total" -eq 0 ]; then
  cat "$work/plan.out" >&2
  echo "the plan read no statement at all" >&2
  exit 1
fi
echo "ok: the plan read $counts statements (large charges, unpaid VMs of the last 30 days; no init, dev_overrides, the emulator at $FPTCLOUD_API_URL)"

# The README's configuration with a module: a copy of examples/team-budgets
# (whatever it holds), `terraform get`, `terraform plan`, still no init.
team="$work/fptcloud-team-budgets"
cp -R "$root/examples/team-budgets" "$team"
rm -rf "$team/.terraform" "$team/.terraform.lock.hcl"
echo "$(basename "$tf") get and plan: examples/team-budgets, a configuration with a local module, no init"
(cd "$team" && "$tf" get -no-color >"$work/get.out" 2>&1) ||
  { cat "$work/get.out" >&2; echo "get failed" >&2; exit 1; }
(cd "$team" && "$tf" plan -input=false -no-color -out=plan.bin >"$work/plan.out" 2>&1) ||
  { cat "$work/plan.out" >&2; echo "plan failed after get" >&2; exit 1; }
[ ! -e "$team/.terraform.lock.hcl" ] || { echo "get or plan wrote a lock file: was init run?" >&2; exit 1; }
[ -s "$team/.terraform/modules/modules.json" ] ||
  { echo "get installed no module (no .terraform/modules/modules.json): does examples/team-budgets still call one?" >&2; exit 1; }
# The bills were read during plan: the plan holds fptcloud_bills values,
# each with a known line count.
plan_json=$(cd "$team" && "$tf" show -json plan.bin)
if ! grep -qF '"type":"fptcloud_bills"' <<<"$plan_json" || ! grep -qE '"item_count":[0-9]+' <<<"$plan_json"; then
  cat "$work/plan.out" >&2
  echo "the plan of examples/team-budgets holds no fptcloud_bills read during plan" >&2
  exit 1
fi
echo "ok: get and plan of examples/team-budgets, the bills read during plan (no init, dev_overrides, the emulator at $FPTCLOUD_API_URL)"
