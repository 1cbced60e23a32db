#!/usr/bin/env bash
# `make dev-config`: writes a CLI configuration that makes Terraform and
# OpenTofu use the provider built in BIN_DIR (dev_overrides, so no `init`),
# and prints, as shell lines, what points a configuration at it and at the
# emulator of `make emulator`. `eval "$(make -s dev-config)"` runs them.
#
#   scripts/dev-config.sh BIN_DIR EMULATOR_URL
set -euo pipefail
. "$(dirname "$0")/lib.sh"

bin=$(cd "$1" && pwd)
url=$2
write_cli_config "$bin/dev.tfrc" "$bin"
cat <<EOT
# Wrote $bin/dev.tfrc: terraform and tofu now take the fptcloud provider from $bin,
# with no 'init' and no registry. Run these lines in the shell you plan in (or
# eval "\$(make -s dev-config)"), with 'make emulator' running in another terminal.
# Then 'terraform plan' (or 'tofu plan') in your configuration's directory. A
# configuration with modules needs 'terraform get' (or 'tofu get') first, and
# again when a module's source changes; 'init' would look for the provider in
# the registry.
export TF_CLI_CONFIG_FILE=$bin/dev.tfrc
export FPTCLOUD_API_URL=$url
export FPTCLOUD_TOKEN=demo-token
EOT
