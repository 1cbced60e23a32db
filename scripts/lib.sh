# Shared by the scripts that run the provider under Terraform or OpenTofu.
# Source it (`. "$(dirname "$0")/lib.sh"`); it sets:
#
#   root   the repository's top directory
#   work   a fresh temporary directory, removed on exit with the emulator stopped
#   tf     the Terraform-compatible binary to run: $TF (default terraform),
#          a command on PATH or a path to an executable
#
# and defines tf_release, version_at_least, build_provider, write_cli_config,
# plan_ms, median, ms_seconds, write_main_tf, emulator_start,
# emulator_requests, emulator_stop, require_jq, guide_commands and
# run_guide_commands below.

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d)
emulator_pid=""
emulator_url=""

# tf_release: "Terraform 1.11.4" or "OpenTofu 1.10.10", from `$tf version`.
tf_release() {
  "$tf" version 2>/dev/null | sed -nE '1s/^(Terraform|OpenTofu) v([0-9][0-9.]*).*/\1 \2/p'
}

# version_at_least VERSION MINIMUM: whether VERSION >= MINIMUM (dotted numbers).
version_at_least() {
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n 1)" = "$2" ]
}

# require_jq WHAT: stops with how to install jq when it is missing; WHAT
# names the commands that use it.
require_jq() {
  command -v jq >/dev/null 2>&1 || {
    echo "jq is not installed: $1 use it. Install it (Debian, Ubuntu: apt-get install jq) and run again." >&2
    exit 1
  }
}

# guide_commands GUIDE SECTION OUT: writes to OUT the shell blocks (fences
# left out) of SECTION, a "## " heading of the rendered GUIDE, so that a
# guide's commands are tested as the guide prints them. It stops when the
# section or its shell block is missing, or when the commands apply or read
# outputs: a guide's commands must work after plan alone.
guide_commands() {
  local guide=$1 section=$2 out=$3
  grep -qxF "$section" "$guide" || { echo "$guide has no section \"$section\" (update $0)" >&2; exit 1; }
  awk -v section="$section" '
    $0 == section { on = 1; next }
    on && /^## / { exit }
    on && /^```shell$/ { block = 1; next }
    block && /^```$/ { block = 0; next }
    block { print }
  ' "$guide" >"$out"
  [ -s "$out" ] || { echo "the guide's section \"$section\" has no \`\`\`shell block (update $0)" >&2; exit 1; }
  if grep -qE '(terraform|tofu) (apply|output)' "$out"; then
    echo "the commands of $guide's \"$section\" apply or read outputs; they must work after plan alone:" >&2
    cat "$out" >&2
    exit 1
  fi
}

# run_guide_commands WHAT: prints and runs $work/commands.sh (written by
# guide_commands) in the current directory, as a user would paste them,
# with `terraform` standing for $tf; stops with their output when they fail.
# WHAT names the commands in the messages.
run_guide_commands() {
  echo "$1, with $(basename "$tf") for terraform:"
  sed 's/^/  /' "$work/commands.sh"
  terraform() { command "$tf" "$@"; }
  local status
  set +e
  (set -eo pipefail; . "$work/commands.sh") >"$work/commands.out" 2>&1
  status=$?
  set -e
  unset -f terraform
  if [ "$status" -ne 0 ]; then
    cat "$work/commands.out" >&2
    echo "the guide's commands failed (exit status $status)" >&2
    exit 1
  fi
}

# build_provider DIR: builds the provider and the emulator from this checkout into DIR.
build_provider() {
  go build -trimpath -o "$1/terraform-provider-fptcloud" "$root"
  go build -trimpath -o "$1/fptcloud-emulator" "$root/cmd/fptcloud-emulator"
}

# write_cli_config FILE DIR: a CLI configuration that makes both Terraform and
# OpenTofu use the provider in DIR. Terraform resolves "fptcloud-billing/fptcloud"
# to registry.terraform.io and OpenTofu to registry.opentofu.org, so both
# addresses are overridden. It is exported as TF_CLI_CONFIG_FILE, which both
# binaries read.
write_cli_config() {
  cat >"$1" <<EOT
provider_installation {
  dev_overrides {
    "registry.terraform.io/fptcloud-billing/fptcloud" = "$2"
    "registry.opentofu.org/fptcloud-billing/fptcloud" = "$2"
  }
  direct {}
}
EOT
  export TF_CLI_CONFIG_FILE="$1"
}

# plan_ms DIR: runs `$tf plan` in DIR (its output in DIR/plan.out, shown if
# it fails) and prints its wall time in milliseconds.
plan_ms() {
  local t0 t1
  t0=$(date +%s%N)
  (cd "$1" && "$tf" plan -input=false -no-color >"$1/plan.out" 2>&1) ||
    { cat "$1/plan.out" >&2; exit 1; }
  t1=$(date +%s%N)
  echo $(((t1 - t0) / 1000000))
}

# median: the median of the whole numbers on standard input, one a line.
median() {
  sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# ms_seconds MS: milliseconds as seconds, such as 1.234.
ms_seconds() {
  printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000))
}

# write_main_tf DIR: starts DIR/main.tf with the provider requirement and an
# empty provider block (settings come from the environment); the body follows
# on standard input.
write_main_tf() {
  mkdir -p "$1"
  {
    cat <<'EOT'
terraform {
  required_providers {
    fptcloud = { source = "fptcloud-billing/fptcloud" }
  }
}
provider "fptcloud" {}
EOT
    cat
  } >"$1/main.tf"
}

# emulator_start BIN TOKEN [FLAG...]: starts BIN/fptcloud-emulator on a free
# loopback port with the extra flags, stopping one started before, waits until
# it listens, and exports its address as FPTCLOUD_API_URL (also in emulator_url).
emulator_start() {
  local bin=$1 token=$2
  shift 2
  emulator_stop
  rm -f "$work/emulator.url"
  "$bin/fptcloud-emulator" -addr 127.0.0.1:0 -addr-file "$work/emulator.url" -token "$token" "$@" >"$work/emulator.log" 2>&1 &
  emulator_pid=$!
  for _ in $(seq 1 200); do [ -s "$work/emulator.url" ] && break; sleep 0.05; done
  if [ ! -s "$work/emulator.url" ]; then
    echo "the emulator did not start:" >&2
    cat "$work/emulator.log" >&2
    exit 1
  fi
  emulator_url=$(cat "$work/emulator.url")
  export FPTCLOUD_API_URL="$emulator_url"
}

# emulator_requests [KEY]: a top-level number of the emulator's request
# counters (default total; refused counts the rate limit's 429s), read with
# bash alone.
emulator_requests() {
  local key=${1:-total}
  local hostport=${emulator_url#http://}
  hostport=${hostport%%/*}
  exec 3<>"/dev/tcp/${hostport%:*}/${hostport##*:}"
  printf 'GET /_emulator/requests HTTP/1.0\r\nHost: %s\r\n\r\n' "$hostport" >&3
  sed -nE "s/.*\"$key\":([0-9]+).*/\\1/p" <&3
  exec 3<&-
}

emulator_stop() {
  if [ -n "$emulator_pid" ]; then
    kill "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
    emulator_pid=""
  fi
}

lib_cleanup() {
  emulator_stop
  rm -rf "$work"
}
trap lib_cleanup EXIT
trap 'exit 130' INT TERM

tf=${TF:-terraform}
if ! command -v "$tf" >/dev/null 2>&1; then
  echo "TF=$tf: no such command on PATH. Install Terraform (>= 1.8) or OpenTofu (>= 1.7), or set TF to the binary's path; 'make test-opentofu' builds OpenTofu into ${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-fptcloud/opentofu/." >&2
  exit 1
fi
case "$tf" in # a relative path, made absolute: the scripts run it from other directories
  */*) tf="$(cd "$(dirname "$tf")" && pwd)/$(basename "$tf")" ;;
esac

export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
