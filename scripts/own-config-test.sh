#!/usr/bin/env bash
# Follows README.md's "Try it with your own configuration" as a new user
# would: `make dev-config` (into a temporary bin/), its export lines, a
# directory of one's own holding an example and the provider requirement,
# and `terraform plan` with no `init`. The emulator listens on a free port
# instead of `make emulator`'s 127.0.0.1:8080. The verdict does not depend
# on the day: the plan must succeed and read statements, whatever they are.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

readme_has() {
  grep -qF -- "$1" "$root/README.md" || { echo "README.md no longer says: $1 (update $0 with it)" >&2; exit 1; }
}
readme_has '## Try it with your own configuration'
readme_has 'eval "$(make -s dev-config)"'
readme_has 'cp examples/data-sources/fptcloud_resource_statements/data-source.tf ~/fptcloud-try/'
readme_has 'No `terraform init`'

# make -s dev-config, as the README says, with its bin/ in the temporary directory.
mkdir -p "$work/bin"
eval "$(${MAKE:-make} -s --no-print-directory -C "$root" dev-config BIN_DIR="$work/bin")"
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
