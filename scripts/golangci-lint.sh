#!/usr/bin/env bash
# Prints the path of golangci-lint GOLANGCI_LINT_VERSION (default below, the
# version the GNUmakefile pins), installed once from the Go module proxy with
# `go install` into a cache folder outside the repository,
# ${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-fptcloud/golangci-lint/<version>/golangci-lint,
# which later runs reuse, as scripts/opentofu.sh does for OpenTofu. A released
# binary is not downloaded: only the Go module proxy is assumed reachable.
# The folder is keyed by the version and the Go toolchain that built it, so a
# new pin or a new Go installs afresh instead of reusing a stale binary.
set -euo pipefail

version=${GOLANGCI_LINT_VERSION:-v2.15.0}
goversion=$(go env GOVERSION)
cache=${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-fptcloud/golangci-lint/$version-$goversion
if [ -x "$cache/golangci-lint" ]; then
  echo "$cache/golangci-lint"
  exit 0
fi

echo "golangci-lint: installing $version from the Go module proxy into $cache (a few minutes, once)" >&2
started=$(date +%s)
mkdir -p "$cache"
tmp=$(mktemp -d "$cache/install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# Outside this module, so that its go.mod and GOFLAGS play no part.
(cd "$tmp" && GOWORK=off GOFLAGS= GOBIN="$tmp" go install "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$version")
mv -f "$tmp/golangci-lint" "$cache/golangci-lint"
echo "golangci-lint: installed $("$cache/golangci-lint" version 2>/dev/null | head -n 1) in $(( $(date +%s) - started ))s" >&2
echo "$cache/golangci-lint"
